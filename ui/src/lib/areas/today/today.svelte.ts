// The Today area's state: the days ahead (or the week at a glance), the
// booking the keyboard is on, and the clock the late-cancel window is judged by.
import { call, commands, messageOf } from "../../api";
import { TODAY_DAYS, TODAY_PAGE } from "../../bindings";
import type { Agenda, AgendaAsk, BookingView } from "../../bindings";
import { changes } from "../../changes.svelte";
import { Latest } from "../../latest";

export type TodayView = "days" | "week";

/** How many days the Today list shows, today included. The core's
 * (`TODAY_DAYS`): it reads the first screen ahead of the window, as the file
 * opens. */
export const DAYS_AHEAD: number = TODAY_DAYS;

/** How many bookings the day list reads at first, and how many more each
 * time: a screenful and a half, so the first screen draws only about what
 * it shows; the next page is read as the list is scrolled near its end.
 * The core's too (`TODAY_PAGE`). */
export const PAGE: number = TODAY_PAGE;

/** How many bookings each day of the week shows at first, and how many more each time. */
export const WEEK_FEW = 12;
export const WEEK_MORE = 40;

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
  /** What `agenda` holds: the day list or a week (the view asked for may
   * not have come yet). */
  shown: TodayView = $state("days");
  error = $state("");
  /** The booking the keyboard acts on. */
  currentId: string | null = $state(null);
  /** Now, refreshed every minute: when cancelling turns late. */
  now = $state(Date.now());
  /** How many bookings the day list reads (the rest are only counted). */
  limit = $state(PAGE);
  /** How many bookings each day of the week shows. */
  perDay = $state(WEEK_FEW);

  private request = new Latest();
  /** A move to make once more bookings are read (the keyboard went past the last). */
  private pendingStep = 0;

  /** Reads the days shown; call from an `$effect` (tracks the view and the changes). */
  load(today: string) {
    void (changes.packages + changes.clients + changes.practice);
    const week = this.view === "week";
    const from = week ? this.weekOf || mondayOf(today) : "";
    const days = week ? 7 : DAYS_AHEAD;
    const ask: AgendaAsk = week ? { eachDay: this.perDay } : { first: this.limit };
    this.request.run(
      call(commands.agenda(from, days, ask)),
      (a) => {
        this.agenda = a;
        this.shown = week ? "week" : "days";
        this.error = "";
        const step = this.pendingStep;
        this.pendingStep = 0;
        if (step !== 0) this.move(step);
      },
      (e) => (this.error = messageOf(e)),
    );
  }

  /** Reads the page after the bookings shown. Asked again before that
   * page is in (the list's end came into view, then its button was
   * pressed), it is the same page, read once. */
  more() {
    const read = this.shown === "days" ? (this.agenda?.days.reduce((n, d) => n + d.bookings.length, 0) ?? 0) : 0;
    this.limit = Math.max(this.limit, read + PAGE);
  }

  /** Shows more of each day of the week. */
  moreEachDay() {
    this.perDay += WEEK_MORE;
  }

  /** Every booking shown, in screen order (earlier days first). */
  get all(): BookingView[] {
    if (!this.agenda) return [];
    const unclosed = this.shown === "days" ? this.agenda.unclosed : [];
    return [...unclosed, ...this.agenda.days.flatMap((d) => d.bookings)];
  }

  get current(): BookingView | null {
    return this.all.find((b) => b.sessionId === this.currentId) ?? null;
  }

  /** Moves the keyboard to the next (1) or previous (-1) booking; past the
   * last one read, reads the next page and moves on to it. */
  move(step: number) {
    const list = this.all;
    if (list.length === 0) return;
    const here = list.findIndex((b) => b.sessionId === this.currentId);
    if (step > 0 && here === list.length - 1 && this.shown === "days" && (this.agenda?.more ?? 0) > 0) {
      this.pendingStep = step;
      this.more();
      return;
    }
    const next = here < 0 ? 0 : Math.max(0, Math.min(list.length - 1, here + step));
    this.currentId = list[next].sessionId;
    queueMicrotask(() =>
      document.querySelector<HTMLElement>(`.today [data-session="${list[next].sessionId}"] .acts button`)?.focus(),
    );
  }

  shiftWeek(today: string, weeks: number) {
    this.weekOf = addDays(this.weekOf || mondayOf(today), 7 * weeks);
    this.perDay = WEEK_FEW;
  }

  reset() {
    this.view = "days";
    this.weekOf = "";
    this.limit = PAGE;
    this.perDay = WEEK_FEW;
    this.pendingStep = 0;
    this.agenda = null;
    this.shown = "days";
    this.error = "";
    this.currentId = null;
  }
}

export const today = new TodayState();
