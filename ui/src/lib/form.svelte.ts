// What every sheet does on submit: one request at a time, each of the core's
// field errors beside its field, and nothing the user typed thrown away. A
// form knows which fields it shows right now; an error for any other field
// (or one that names no field) is the form's own error, so no message can
// vanish.
import { AppError, messageOf } from "./api";

export class Form {
  /** Every field's message, as the core named them. */
  private all: Record<string, string> = $state({});
  private general: string = $state("");
  busy = $state(false);

  /** `shown` returns the fields the form renders at this moment. */
  constructor(private shown: () => readonly string[]) {}

  /** The message to show beside `field`, when the form shows that field. */
  error(field: string): string | undefined {
    return this.shown().includes(field) ? this.all[field] : undefined;
  }

  /** The form's own error: a general failure, and every message for a field it does not show. */
  get formError(): string {
    const shown = this.shown();
    const orphans = Object.entries(this.all)
      .filter(([f]) => !shown.includes(f))
      .map(([, m]) => m);
    return [this.general, ...orphans].filter(Boolean).join(" ");
  }

  get hasErrors(): boolean {
    return this.general !== "" || Object.keys(this.all).length > 0;
  }

  /** Shows a failure as the core reported it. */
  fail(e: unknown) {
    if (e instanceof AppError && e.fields.length > 0) {
      this.all = Object.fromEntries(e.fields.map((f) => [f.field, f.message]));
      this.general = "";
    } else {
      this.all = {};
      this.general = messageOf(e);
    }
  }

  clear() {
    this.all = {};
    this.general = "";
  }

  /** Runs `action` for a submit event; a failure lands in the errors. */
  submit = (e: SubmitEvent | undefined, action: () => Promise<unknown>) => {
    e?.preventDefault();
    return this.run(action);
  };

  async run(action: () => Promise<unknown>) {
    if (this.busy) return;
    this.busy = true;
    this.clear();
    try {
      await action();
    } catch (err) {
      this.fail(err);
    } finally {
      this.busy = false;
    }
  }

  /** `aria-describedby` for a field: its error when it has one, else its hint. */
  describedBy(id: string, field: string, hint = false): string | undefined {
    if (this.error(field)) return `${id}-error`;
    return hint ? `${id}-hint` : undefined;
  }
}
