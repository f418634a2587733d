// Bookings, wherever they are shown (Today, the week, a client's record):
// the actions on one booking and the sheets they open. One instance for the
// window; the sheets are drawn once, by <BookingSheets />.
import { AppError, call, commands, messageOf } from "../../api";
import type { BookingOutcome, BookingView } from "../../bindings";
import { app } from "../../app.svelte";
import { longDate, plural } from "../../format";

/** The client a sheet is for, as far as it needs to know. */
export interface ClientRef {
  id: string;
  name: string;
}

export type BookingSheet =
  | { kind: "schedule"; client: ClientRef | null; date?: string }
  | { kind: "reschedule"; booking: BookingView }
  | { kind: "lateCancel"; booking: BookingView }
  | { kind: "owed"; booking: BookingView; message: string }
  | null;

/** "Thu 26 Nov 2026, 10:00" */
export function when(b: { date: string; time: string | null }): string {
  return b.time ? `${longDate(b.date)}, ${b.time}` : longDate(b.date);
}

/** Cancelling now is a late cancel: inside the package's window (or after the start). */
export function isLate(b: BookingView, now: number = Date.now()): boolean {
  return b.status === "scheduled" && b.lateFrom !== null && now >= Date.parse(b.lateFrom);
}

/** What a closed booking's status reads as. */
export function statusText(b: BookingView): string {
  switch (b.status) {
    case "completed": return b.owed ? "Completed · owed" : "Completed";
    case "noShow": return "No-show";
    case "cancelled": return "Cancelled";
    case "lateCancelled": return "Late cancel";
    default: return "Booked";
  }
}

function left(o: BookingOutcome): string {
  return o.remaining !== null && o.packageName ? `: ${o.remaining} left on ${o.packageName}` : "";
}

export class BookingsState {
  sheet: BookingSheet = $state(null);
  /** The booking an action is on its way for. */
  pending: string | null = $state(null);
  /** Opens a client's record (wired by the app, so this module needs no screen). */
  openClient: (id: string) => void = () => {};

  private async act(b: BookingView, run: () => Promise<BookingOutcome>, said: (o: BookingOutcome) => string) {
    if (this.pending) return;
    this.pending = b.sessionId;
    try {
      const o = await run();
      app.showToast(said(o), async () => {
        await call(commands.reopenBooking(b.sessionId));
      });
    } catch (e) {
      if (e instanceof AppError && e.kind === "Conflict" && /record the session as owed/.test(e.message)) {
        this.sheet = { kind: "owed", booking: b, message: e.message };
      } else {
        app.showToast(messageOf(e));
      }
    } finally {
      this.pending = null;
    }
  }

  complete(b: BookingView) {
    return this.act(
      b,
      () => call(commands.completeSession(b.sessionId, false)),
      (o) => `Completed: ${b.clientName}${left(o)}`,
    );
  }

  /** Completes a session no credit covers, as owed (from the owed sheet). */
  completeOwed(b: BookingView) {
    return this.act(
      b,
      () => call(commands.completeSession(b.sessionId, true)),
      () => `Completed as owed: the next package sold to ${b.clientName} settles it`,
    );
  }

  noShow(b: BookingView) {
    return this.act(
      b,
      () => call(commands.markNoShow(b.sessionId)),
      (o) => (o.entryId ? `No-show: a credit forfeited${left(o)}` : `No-show recorded for ${b.clientName} (no credit to forfeit)`),
    );
  }

  /**
   * Cancels: in time it is done at once (Undo books it again); inside the
   * late-cancel window the sheet asks whether to forfeit or waive.
   */
  cancel(b: BookingView) {
    if (isLate(b)) {
      this.sheet = { kind: "lateCancel", booking: b };
      return Promise.resolve();
    }
    return this.act(
      b,
      () => call(commands.cancelSession(b.sessionId, null)),
      (o) => (o.late ? `Late cancel: a credit forfeited${left(o)}` : `Cancelled ${b.clientName}'s session on ${when(b)}: nothing taken`),
    );
  }

  /** The late-cancel sheet's answer: forfeit (no reason) or waive (with one). */
  async cancelLate(b: BookingView, waive: string | null) {
    const o = await call(commands.cancelSession(b.sessionId, waive));
    const said = !o.late
      ? `Cancelled ${b.clientName}'s session: nothing taken`
      : waive !== null
        ? `Late cancel, forfeit waived: ${b.clientName} keeps the credit`
        : `Late cancel: a credit forfeited${left(o)}`;
    app.showToast(said, async () => {
      await call(commands.reopenBooking(b.sessionId));
    });
  }

  reschedule(b: BookingView) {
    this.sheet = { kind: "reschedule", booking: b };
  }

  schedule(client: ClientRef | null, date?: string) {
    this.sheet = { kind: "schedule", client, date };
  }

  /** Books a closed booking again (undoing how it was closed). */
  async reopen(b: BookingView) {
    if (this.pending) return;
    this.pending = b.sessionId;
    try {
      await call(commands.reopenBooking(b.sessionId));
      app.showToast(`Booked again: ${b.clientName}, ${when(b)}`);
    } catch (e) {
      app.showToast(messageOf(e));
    } finally {
      this.pending = null;
    }
  }

  close() {
    this.sheet = null;
  }
}

/** "3 weekly sessions from Thu 26 Nov 2026, 10:00" */
export function seriesText(weeks: number, first: { date: string; time: string | null }): string {
  return weeks > 1 ? `${plural(weeks, "weekly session", "weekly sessions")} from ${when(first)}` : when(first);
}

export const bookings = new BookingsState();
