// The Today area's state: the days ahead (or the week at a glance), the
// booking the keyboard is on, and the clock the late-cancel window is judged by.
import { call, commands, messageOf } from "../../api";
import type { Agenda, BookingView } from "../../bindings";
import { changes } from "../../changes.svelte";
import { Latest } from "../../latest";

export type TodayView = "days" | "week";

/** How many days the Today list shows, today included. */
export const DAYS_AHEAD = 14;

/** The Monday of the week holding `day` (`YYYY-MM-DD`). */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export class TodayState {
  view: TodayView = $state("days");
  /** The Monday of the week shown (empty: this week). */
  weekOf = $state("");
  agenda: Agenda | null = $state(null);
  error = $state("");
  /** The booking the keyboard acts on. */
  currentId: string | null = $state(null);
  /** Now, refreshed every minute: when cancelling turns late. */
  now = $state(Date.now());

  private request = new Latest();

  /** Reads the days shown; call from an `$effect` (tracks the view and the changes). */
  load(today: string) {
    void (changes.packages + changes.clients + changes.practice);
    const [from, days] = this.view === "week" ? [this.weekOf || mondayOf(today), 7] : ["", DAYS_AHEAD];
    this.request.run(
      call(commands.agenda(from, days)),
      (a) => {
        this.agenda = a;
        this.error = "";
      },
      (e) => (this.error = messageOf(e)),
    );
  }

  /** Every booking shown, in screen order (earlier days first). */
  get all(): BookingView[] {
    if (!this.agenda) return [];
    const unclosed = this.view === "days" ? this.agenda.unclosed : [];
    return [...unclosed, ...this.agenda.days.flatMap((d) => d.bookings)];
  }

  get current(): BookingView | null {
    return this.all.find((b) => b.sessionId === this.currentId) ?? null;
  }

  /** Moves the keyboard to the next (1) or previous (-1) booking. */
  move(step: number) {
    const list = this.all;
    if (list.length === 0) return;
    const here = list.findIndex((b) => b.sessionId === this.currentId);
    const next = here < 0 ? 0 : Math.max(0, Math.min(list.length - 1, here + step));
    this.currentId = list[next].sessionId;
    queueMicrotask(() =>
      document.querySelector<HTMLElement>(`.today [data-session="${list[next].sessionId}"] .acts button`)?.focus(),
    );
  }

  shiftWeek(today: string, weeks: number) {
    this.weekOf = addDays(this.weekOf || mondayOf(today), 7 * weeks);
  }

  reset() {
    this.view = "days";
    this.weekOf = "";
    this.agenda = null;
    this.error = "";
    this.currentId = null;
  }
}

export const today = new TodayState();
