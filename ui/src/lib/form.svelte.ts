// What every sheet does on submit: one request at a time, the core's errors
// mapped to the fields they name, and nothing the user typed thrown away.
import { errorsFrom, type FormErrors } from "./api";

export class Form {
  errors: FormErrors = $state({});
  busy = $state(false);

  /** Runs `action` for a submit event; a failure lands in `errors`. */
  submit = (e: SubmitEvent | undefined, action: () => Promise<unknown>) => {
    e?.preventDefault();
    return this.run(action);
  };

  async run(action: () => Promise<unknown>) {
    if (this.busy) return;
    this.busy = true;
    this.errors = {};
    try {
      await action();
    } catch (err) {
      this.errors = errorsFrom(err);
    } finally {
      this.busy = false;
    }
  }
}
