// Today, the booking actions and their sheets, against a mocked core.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { Agenda, BookingView, ClientRecord as Record, SchedulePreview, TimelineItem } from "../../bindings";
import { app } from "../../app.svelte";
import { dispatch } from "../../shortcuts.svelte";
import ClientRecord from "../clients/ClientRecord.svelte";
import Toast from "../../components/Toast.svelte";
import TodayScreen from "../today/TodayScreen.svelte";
import { today } from "../today/today.svelte";
import BookingSheets from "./BookingSheets.svelte";
import { bookings } from "./bookings.svelte";
import { attention } from "../attention/attention.svelte";
import { core } from "../../test-core";

const practice = {
  name: "Move Well", currency: "EUR", timeZone: "UTC", lowBalanceThreshold: 2, expiringSoonDays: 14,
  lateCancelHours: 24,
};

function booking(over: Partial<BookingView>): BookingView {
  return {
    sessionId: "se_1", clientId: "cl_1", clientName: "Ana Souza", date: "2026-11-25", time: "10:00",
    durationMinutes: 60, service: "", status: "scheduled", packageId: "pk_1", packageName: "Ten", leftAfter: 6,
    beyondBalance: false, owed: false, lateFrom: null, notes: "", ...over,
  };
}

function agenda(bookings: BookingView[], over: Partial<Agenda> = {}, read = bookings.length): Agenda {
  const days = Array.from({ length: 14 }, (_, i) => {
    const d = new Date(Date.UTC(2026, 10, 25 + i)).toISOString().slice(0, 10);
    const all = bookings.filter((b) => b.date === d);
    return {
      date: d, total: all.length, toClose: all.filter((b) => b.status === "scheduled").length,
      bookings: bookings.slice(0, read).filter((b) => b.date === d),
    };
  });
  const unclosed = over.unclosed ?? [];
  return { today: "2026-11-25", days, more: Math.max(0, bookings.length - read), unclosed, unclosedTotal: unclosed.length, ...over };
}

beforeEach(() => {
  app.info = { dbPath: "/tmp/x.sqlite3", openError: null, practice, today: "2026-11-25", readOnly: null, upgrading: null };
  today.reset();
  bookings.close();
  attention.data = null;
  app.dismissToast();
  window.addEventListener("keydown", dispatch);
});

afterEach(() => {
  window.removeEventListener("keydown", dispatch);
  cleanup();
  clearMocks();
});

const done = { sessionId: "se_1", status: "completed", entryId: "le_9", packageName: "Ten", remaining: 6, owed: false, late: false };

describe("Today", () => {
  it("shows each booking with its package and what is left after it, and closes one with a key", async () => {
    const calls = core({
      agenda: agenda([
        booking({}),
        booking({ sessionId: "se_2", clientName: "Bruno Lima", time: "11:00", packageName: null, leftAfter: 0, beyondBalance: true }),
        booking({ sessionId: "se_3", clientName: "Chiara", date: "2026-11-26", time: "09:00", leftAfter: 2 }),
      ]),
      complete_session: done,
      reopen_booking: { ...done, status: "scheduled" },
    });
    attention.data = { items: [], total: 1, snoozed: 0, bookedBeyond: 1 };
    render(TodayScreen);
    render(Toast);
    const todayList = await screen.findByRole("list", { name: "Bookings today" });
    const ana = within(todayList).getByRole("group", { name: "10:00 Ana Souza, Booked" });
    expect(ana.textContent).toContain("Ten");
    expect(ana.textContent?.replace(/\s+/g, " ")).toContain("6 left after");
    const bruno = within(todayList).getByRole("group", { name: /Bruno Lima/ });
    expect(bruno.textContent).toContain("Beyond balance");
    expect(screen.getByRole("note").textContent).toContain("A client has bookings ahead that no credit covers");
    expect(screen.getByText(/2 sessions today, 2 to close/)).toBeTruthy();
    expect(screen.getByRole("heading", { name: /^Tomorrow/ })).toBeTruthy();

    // ↓ moves onto the first booking; C completes it; Undo books it again.
    await fireEvent.keyDown(document.body, { key: "ArrowDown" });
    await waitFor(() => expect(today.currentId).toBe("se_1"));
    await fireEvent.keyDown(document.activeElement ?? document.body, { key: "c" });
    await waitFor(() => expect(calls.some((c) => c.cmd === "complete_session")).toBe(true));
    expect(calls.find((c) => c.cmd === "complete_session")?.args).toEqual({ sessionId: "se_1", owed: false });
    expect(await screen.findByText("Completed: Ana Souza: 6 left on Ten")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "reopen_booking")?.args).toEqual({ sessionId: "se_1" }));
  });

  it("cancels in time at once, and asks to forfeit or waive inside the late window", async () => {
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const calls = core({
      agenda: agenda([
        booking({ sessionId: "se_late", lateFrom: past }),
        booking({ sessionId: "se_early", clientName: "Bruno Lima", date: "2026-11-28", lateFrom: future }),
      ]),
      cancel_session: (args: { sessionId: string; waive: string | null }) => {
        if (args.waive !== null && args.waive.trim() === "") {
          throw { kind: "Validation", message: "Say why the forfeit is waived.", fields: [{ field: "reason", message: "Say why the forfeit is waived." }] };
        }
        return { ...done, sessionId: args.sessionId, status: "lateCancelled", late: args.sessionId === "se_late" };
      },
    });
    render(TodayScreen);
    render(BookingSheets);
    await fireEvent.click(await screen.findByRole("button", { name: "Cancel Bruno Lima's session on 2026-11-28 at 10:00" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "cancel_session")?.args).toEqual({ sessionId: "se_early", waive: null }));
    expect(screen.queryByRole("dialog")).toBeNull();

    // Inside the window the button says so, and the sheet asks.
    const late = screen.getByRole("button", { name: "Cancel Ana Souza's session on 2026-11-25 at 10:00" });
    expect(late.textContent).toBe("Late cancel");
    await fireEvent.click(late);
    const sheet = await screen.findByRole("dialog", { name: "Late cancel" });
    expect(sheet.textContent).toContain("forfeits a credit");
    await fireEvent.click(within(sheet).getByLabelText(/Waive the forfeit/));
    await fireEvent.click(within(sheet).getByRole("button", { name: "Cancel and waive" }));
    const error = await within(sheet).findByText("Say why the forfeit is waived.");
    expect(error.id).toBe("late-reason-error");
    await fireEvent.input(within(sheet).getByLabelText("Reason for waiving"), { target: { value: "Flu" } });
    await fireEvent.click(within(sheet).getByRole("button", { name: "Cancel and waive" }));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "cancel_session").at(-1)?.args).toEqual({ sessionId: "se_late", waive: "Flu" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("offers to record a session as owed when no credit is left", async () => {
    const calls = core({
      agenda: agenda([booking({ packageName: null, beyondBalance: true, leftAfter: 0 })]),
      complete_session: (args: { owed: boolean }) => {
        if (!args.owed) {
          throw { kind: "Conflict", message: "Ana Souza has no sessions left to use on 2026-11-25: sell a package, or record the session as owed.", fields: [] };
        }
        return { ...done, entryId: null, remaining: null, packageName: null, owed: true };
      },
    });
    render(TodayScreen);
    render(BookingSheets);
    await fireEvent.click(await screen.findByRole("button", { name: "Complete Ana Souza's session on 2026-11-25 at 10:00" }));
    const sheet = await screen.findByRole("dialog", { name: "No credit left" });
    expect(sheet.textContent).toContain("no sessions left");
    await fireEvent.click(within(sheet).getByRole("button", { name: "Record as owed" }));
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === "complete_session").map((c) => c.args)).toEqual([
        { sessionId: "se_1", owed: false },
        { sessionId: "se_1", owed: true },
      ]),
    );
  });

  it("lists what earlier days left open, and shows the week at a glance", async () => {
    core({
      agenda: (args: { from: string; days: number }) =>
        args.days === 7
          ? { ...agenda([booking({ date: "2026-11-27", clientName: "Week Person" })]), days: agenda([booking({ date: "2026-11-27", clientName: "Week Person" })]).days.slice(0, 7) }
          : agenda([], { unclosed: [booking({ sessionId: "se_old", date: "2026-11-20", clientName: "Old Open" })] }),
    });
    render(TodayScreen);
    expect(await screen.findByRole("heading", { name: "Still open from earlier days (1)" })).toBeTruthy();
    expect(screen.queryByText(/The oldest/)).toBeNull();
    expect(screen.getByRole("group", { name: /Old Open/ })).toBeTruthy();
    expect(screen.getByText("Nothing booked today.")).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: "w" });
    const chip = await screen.findByRole("button", { name: /Week Person, Booked/ });
    await fireEvent.click(chip);
    expect(within(screen.getByLabelText("Selected booking")).getByRole("button", { name: /^Complete Week Person/ })).toBeTruthy();
  });
});

describe("Today on a busy practice", () => {
  // Sixty bookings today, one every ten minutes from 08:00.
  const many = Array.from({ length: 60 }, (_, i) =>
    booking({
      sessionId: `se_${i}`, clientId: `cl_${i}`, clientName: `Client ${String(i).padStart(2, "0")}`,
      time: `${String(8 + Math.floor(i / 6)).padStart(2, "0")}:${String((i % 6) * 10).padStart(2, "0")}`,
    }),
  );

  it("reads the day list a page at a time, and the keyboard goes on past the last one read", async () => {
    const calls = core({
      agenda: (args: { ask: { first: number } }) => agenda(many, {}, args.ask.first),
    });
    render(TodayScreen);
    const list = await screen.findByRole("list", { name: "Bookings today" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(20);
    expect(calls.find((c) => c.cmd === "agenda")?.args).toEqual({ from: "", days: 14, ask: { first: 20 } });
    // The day's counts come from the core, not from the rows read.
    expect(screen.getByText(/60 sessions today, 60 to close/)).toBeTruthy();
    expect(screen.getByText("40 more bookings in the next two weeks")).toBeTruthy();

    // ↓ from the last one read asks for the next page and moves onto it.
    today.currentId = "se_19";
    await fireEvent.keyDown(document.body, { key: "ArrowDown" });
    await waitFor(() => expect(today.currentId).toBe("se_20"));
    expect(calls.filter((c) => c.cmd === "agenda").at(-1)?.args).toEqual({ from: "", days: 14, ask: { first: 40 } });
    expect(within(list).getAllByRole("listitem")).toHaveLength(40);
    today.currentId = "se_39";
    await fireEvent.keyDown(document.body, { key: "ArrowDown" });
    await waitFor(() => expect(today.currentId).toBe("se_40"));
    expect(within(list).getAllByRole("listitem")).toHaveLength(60);
    expect(screen.queryByRole("button", { name: /^Show .* more$/ })).toBeNull();
  });

  it("reads the next page as the day list is scrolled near its end, one page for each answer", async () => {
    const watched: (() => void)[] = [];
    vi.stubGlobal(
      "IntersectionObserver",
      class {
        private live = true;
        constructor(private seen: (entries: { isIntersecting: boolean }[]) => void) {}
        observe() {
          watched.push(() => this.live && this.seen([{ isIntersecting: true }]));
        }
        disconnect() {
          this.live = false;
        }
      },
    );
    try {
      const calls = core({
        agenda: (args: { ask: { first: number } }) => agenda(many, {}, args.ask.first),
      });
      render(TodayScreen);
      const list = await screen.findByRole("list", { name: "Bookings today" });
      expect(within(list).getAllByRole("listitem")).toHaveLength(20);
      expect(calls.filter((c) => c.cmd === "agenda")).toHaveLength(1);
      // The end of the list comes near: the next page, and a new watch on
      // the end once it is in (the old one is spent).
      // Its button pressed before the page is in: the same page, read once.
      watched.at(-1)!();
      await fireEvent.click(screen.getByRole("button", { name: "Show 20 more" }));
      await waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(40));
      watched[0]();
      expect(calls.filter((c) => c.cmd === "agenda").map((c) => c.args)).toMatchObject([
        { ask: { first: 20 } }, { ask: { first: 40 } },
      ]);
      watched.at(-1)!();
      await waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(60));
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("says how many bookings wait to be closed when it lists only the oldest", async () => {
    const old = [booking({ sessionId: "se_a", date: "2026-11-02" }), booking({ sessionId: "se_b", date: "2026-11-03" })];
    core({ agenda: agenda([], { unclosed: old, unclosedTotal: 130 }) });
    render(TodayScreen);
    expect(await screen.findByRole("heading", { name: "Still open from earlier days (130)" })).toBeTruthy();
    // One paragraph, two sentences, a space between them.
    expect(screen.getByText(/The oldest 2 are listed; the rest follow as these are closed\./).textContent).toMatch(
      /so balances are right\. The oldest 2/,
    );
  });

  it("shows more with a button, and the week shows the first of each day", async () => {
    const calls = core({
      agenda: (args: { days: number; ask: { first?: number; eachDay?: number } }) =>
        args.ask.eachDay !== undefined
          ? { ...agenda(many, {}, args.ask.eachDay), days: agenda(many, {}, args.ask.eachDay).days.slice(0, 7) }
          : agenda(many, {}, args.ask.first),
    });
    render(TodayScreen);
    await fireEvent.click(await screen.findByRole("button", { name: "Show 20 more" }));
    await waitFor(() => expect(within(screen.getByRole("list", { name: "Bookings today" })).getAllByRole("listitem")).toHaveLength(40));
    await fireEvent.click(await screen.findByRole("button", { name: "Show 20 more" }));
    await waitFor(() => expect(within(screen.getByRole("list", { name: "Bookings today" })).getAllByRole("listitem")).toHaveLength(60));

    await fireEvent.keyDown(document.body, { key: "w" });
    await screen.findByRole("button", { name: /Client 11, Booked/ });
    expect(calls.filter((c) => c.cmd === "agenda").at(-1)?.args).toMatchObject({ days: 7, ask: { eachDay: 12 } });
    expect(screen.queryByRole("button", { name: /Client 12, Booked/ })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: /^Show more of .*: 48 more bookings$/ }));
    await screen.findByRole("button", { name: /Client 51, Booked/ });
    expect(calls.filter((c) => c.cmd === "agenda").at(-1)?.args).toMatchObject({ ask: { eachDay: 52 } });
  });
});

describe("the Schedule sheet", () => {
  const preview = (over: Partial<SchedulePreview>): SchedulePreview => ({
    packages: [
      { id: "pk_1", name: "Ten", service: "", remaining: 3, expiresOn: "2026-12-31" },
      { id: "pk_2", name: "Massage five", service: "Massage", remaining: 5, expiresOn: null },
    ],
    packageId: "pk_1", packageName: "Ten", why: "expires soonest (31 Dec 2026) of 2 usable packages", leftAfter: 2, beyond: 0,
    ...over,
  });

  it("shows which package it draws from and what is left, lets another be picked, and warns beyond the balance", async () => {
    const calls = core({
      schedule_preview: (args: { input: { packageId: string | null; weeks: string } }) =>
        args.input.packageId === "pk_2"
          ? preview({ packageId: "pk_2", packageName: "Massage five", why: "chosen", leftAfter: 4 })
          : args.input.weeks === "5"
            ? preview({ leftAfter: 0, beyond: 2 })
            : preview({}),
      schedule: { sessionIds: ["se_1"], preview: preview({}) },
    });
    bookings.schedule({ id: "cl_1", name: "Ana Souza" }, "2026-11-27");
    render(BookingSheets);
    const sheet = await screen.findByRole("dialog", { name: "Schedule a session for Ana Souza" });
    const said = within(sheet).getByRole("status", { name: "What it draws from" });
    await waitFor(() => expect(said.textContent).toContain("Draws from Ten"));
    expect(said.textContent?.replace(/\s+/g, " ")).toContain("2 left after it");
    // The first field has the focus, not the close button.
    expect(document.activeElement?.id).toBe("schedule-date");

    await fireEvent.change(within(sheet).getByLabelText("Draw from"), { target: { value: "pk_2" } });
    await waitFor(() => expect(said.textContent).toContain("Draws from Massage five"));
    await fireEvent.change(within(sheet).getByLabelText("Draw from"), { target: { value: "" } });
    await fireEvent.input(within(sheet).getByLabelText("Weekly, for how many weeks"), { target: { value: "5" } });
    await waitFor(() => expect(said.textContent).toContain("2 of these 5 sessions find no credit"));
    await fireEvent.click(within(sheet).getByRole("button", { name: "Schedule 5 sessions" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "schedule")).toBe(true));
    expect((calls.find((c) => c.cmd === "schedule")?.args as { input: { date: string; weeks: string } }).input).toMatchObject({
      clientId: "cl_1", date: "2026-11-27", weeks: "5", packageId: null,
    });
  });

  it("from Today asks for the client first, and says so beside the field", async () => {
    core({
      schedule: () => {
        throw { kind: "Validation", message: "Choose who the session is for.", fields: [
          { field: "clientId", message: "Choose who the session is for." },
          { field: "time", message: "Enter the time the session starts, as HH:MM." },
        ] };
      },
      list_clients: { total: 0, exact: true, offset: 0, rows: [], selectedIndex: null },
    });
    bookings.schedule(null, "2026-11-25");
    render(BookingSheets);
    const sheet = await screen.findByRole("dialog", { name: "Schedule a session" });
    expect(document.activeElement?.id).toBe("schedule-client");
    await fireEvent.click(within(sheet).getByRole("button", { name: "Schedule" }));
    expect((await within(sheet).findByText("Choose who the session is for.")).id).toBe("schedule-client-error");
    expect(within(sheet).getByText("Enter the time the session starts, as HH:MM.").id).toBe("schedule-time-error");
  });
});

describe("the client record's bookings and balances", () => {
  const ana = { id: "cl_1", name: "Ana Souza", email: "", phone: "", notes: "", archived: false };
  const ten = {
    id: "pk_1", clientId: "cl_1", offeringId: null, name: "Ten", sessions: 10, used: 4, remaining: 6, expired: 0, renewsId: null, price: "800.00",
    paid: "800.00", soldOn: "2026-10-01", expiresOn: null, validity: { kind: "none" as const }, lateCancelHours: 24,
    service: "Massage", state: "active" as const, low: false, expiringSoon: false, payment: "paid" as const, refunded: "0.00", due: "400.00", listPrice: null, discountReason: "", owed: "0.00", overdue: "0.00", overdueDays: 0, nextDue: null, plan: [], hold: null, startedOn: null, pauses: [],
  };
  function line(over: Partial<TimelineItem>): TimelineItem {
    return {
      id: "le_1", date: "2026-11-20", time: "09:30", kind: "lateCancel", label: "Late cancel (forfeited)",
      packageId: "pk_1", packageName: "Ten", packageSoldOn: "2026-10-01", sessions: -1, balanceAfter: 6,
      amount: null, note: "", why: "the only package with credit then", sessionId: "se_9", reverses: null,
      reversedBy: null, reversible: true, waivable: true, ...over,
    };
  }

  it("shows the packages in use and the three latest ended, and the rest on asking", async () => {
    // Newest sale first: one in use, then six used up.
    const packages = [
      { ...ten, id: "pk_new", name: "Newest" },
      ...Array.from({ length: 6 }, (_, i) => ({ ...ten, id: `pk_${i}`, name: `Ended ${i}`, state: "usedUp" as const, remaining: 0 })),
    ];
    const record: Record = { client: ana, packages, bookings: [], owed: 0, timeline: [], timelineMore: false };
    const noop = () => {};
    render(ClientRecord, { record, onedit: noop, onlog: noop, onsell: noop, onreverse: noop });
    const names = () => screen.getAllByRole("heading", { level: 3 }).map((h) => h.textContent);
    expect(names()).toEqual(["Newest", "Ended 0", "Ended 1", "Ended 2"]);
    expect(screen.getByText("3 earlier packages used up, expired or cancelled")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Show earlier packages" }));
    expect(names()).toHaveLength(7);
    expect(screen.queryByRole("button", { name: "Show earlier packages" })).toBeNull();
  });

  it("shows owed sessions, bookings ahead, the package's service, the balance on a past day and Waive on a forfeit", async () => {
    const calls = core({ balances_on: [{ packageId: "pk_1", balance: 9 }] });
    const record: Record = {
      client: ana,
      packages: [ten],
      bookings: [booking({ date: "2026-11-30", leftAfter: 5 }), booking({ sessionId: "se_2", date: "2026-12-07", beyondBalance: true })],
      owed: 2,
      timeline: [
        line({}),
        line({ id: "se_2.1", kind: "scheduled", label: "Session scheduled", sessions: null, balanceAfter: null, packageName: null, why: "", reversible: false, waivable: false }),
      ],
      timelineMore: false,
    };
    let waived: TimelineItem | null = null;
    const noop = () => {};
    render(ClientRecord, { record, onedit: noop, onlog: noop, onsell: noop, onreverse: noop, onwaive: (t: TimelineItem) => (waived = t) });
    expect(screen.getByText("Owes 2 sessions")).toBeTruthy();
    expect(screen.getByText("1 booking beyond balance")).toBeTruthy();
    expect(screen.getAllByRole("group", { name: /Ana Souza/ })).toHaveLength(2);
    expect(screen.getByText("Massage")).toBeTruthy();
    expect(screen.getByText("the only package with credit then")).toBeTruthy();

    await fireEvent.input(screen.getByLabelText("Balances on"), { target: { value: "2026-10-15" } });
    await fireEvent.click(screen.getByRole("button", { name: "Show" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "balances_on")?.args).toEqual({ clientId: "cl_1", date: "2026-10-15" }));
    expect((await screen.findByRole("status")).textContent?.replace(/\s+/g, " ")).toContain("9 left");

    await fireEvent.click(screen.getByRole("button", { name: "Waive Late cancel (forfeited) on 2026-11-20 09:30" }));
    expect(waived).not.toBeNull();
    // A booking line moves no credit: no balance is shown for it.
    expect(screen.getAllByText(/left$/).length).toBeGreaterThan(0);
  });
});
