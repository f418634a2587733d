import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type { Agenda, ClientRecord as Record, ClientSummary, Offering, TimelineItem } from "../bindings";
import { app } from "../app.svelte";
import { clients } from "./clients/clients.svelte";
import { today } from "./today/today.svelte";
import FirstRun from "./first-run/FirstRun.svelte";
import ClientsScreen from "./clients/ClientsScreen.svelte";
import ClientRecord from "./clients/ClientRecord.svelte";
import LogSheet from "./clients/LogSheet.svelte";
import SellSheet from "./clients/SellSheet.svelte";
import OfferingsScreen from "./offerings/OfferingsScreen.svelte";
import { core } from "../test-core";
import { noteChanged } from "../changes.svelte";

const practice = {
  name: "Move Well", currency: "EUR", timeZone: "UTC", lowBalanceThreshold: 2, expiringSoonDays: 14,
  lateCancelHours: 24,
};
const ana = { id: "cl_1", name: "Ana Souza", email: "ana@example.com", phone: "", notes: "", archived: false };

beforeEach(() => {
  app.info = { dbPath: "/tmp/x.sqlite3", openError: null, practice, today: "2026-11-25", readOnly: null, upgrading: null };
  clients.reset();
});

afterEach(() => {
  cleanup();
  clearMocks();
});

/** A core validation error, as it crosses IPC. */
function invalid(...fields: [string, string][]) {
  return {
    kind: "Validation",
    message: fields[0][1],
    fields: fields.map(([field, message]) => ({ field, message })),
  };
}

describe("first run", () => {
  it("shows the core's error beside the field it names and keeps what was typed", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "setup_practice") {
        // A core error crosses IPC as a plain { kind, message, fields } object.
        throw invalid(["currency", "“XYZ” is not an ISO 4217 currency code."]);
      }
    });
    render(FirstRun);
    const name = screen.getByLabelText("Practice name") as HTMLInputElement;
    await fireEvent.input(name, { target: { value: "Move Well" } });
    const currency = screen.getByLabelText("Currency") as HTMLInputElement;
    await fireEvent.input(currency, { target: { value: "XYZ" } });
    await fireEvent.click(screen.getByRole("button", { name: "Start" }));
    const error = await screen.findByText(/not an ISO 4217 currency/);
    expect(error.id).toBe("practice-currency-error");
    expect(currency.getAttribute("aria-invalid")).toBe("true");
    expect(currency.getAttribute("aria-describedby")).toBe("practice-currency-error");
    expect(name.value).toBe("Move Well");
    expect(calls).toEqual(["setup_practice"]);
  });

  it("shows every field's error at once", async () => {
    mockIPC((cmd) => {
      if (cmd === "setup_practice") throw invalid(["name", "Give the practice a name."], ["currency", "“X” is not a currency."]);
    });
    render(FirstRun);
    await fireEvent.click(screen.getByRole("button", { name: "Start" }));
    expect((await screen.findByText("Give the practice a name.")).id).toBe("practice-name-error");
    expect(screen.getByText("“X” is not a currency.").id).toBe("practice-currency-error");
  });
});

/** The core's answer to a page request, from a whole list. */
function pageOf(all: ClientSummary[], args: unknown) {
  const q = (args as { query: { text: string; offset: number; limit: number } }).query;
  const rows = all.slice(q.offset, q.offset + q.limit);
  return { total: all.length, exact: true, offset: q.offset, rows, selectedIndex: null };
}

function summary(over: Partial<ClientSummary>): ClientSummary {
  return {
    id: "cl_1", name: "Ana Souza", email: "", phone: "", remaining: 3, total: 10, activePackages: 1,
    low: false, expiresOn: null, expiringSoon: false, owed: 0, booked: 0, bookedBeyond: false,
    owes: "0.00", overdue: "0.00", overdueDays: 0, ...over,
  };
}

/** 250 clients ("Client 000"…) behind the mocked core; returns the offsets of the pages it is asked for. */
function manyClients(): number[] {
  const all = Array.from({ length: 250 }, (_, i) => summary({ id: `cl_${i}`, name: `Client ${String(i).padStart(3, "0")}` }));
  const asked: number[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "list_clients") {
      asked.push((args as { query: { offset: number } }).query.offset);
      return pageOf(all, args);
    }
    if (cmd === "client_record") {
      const id = (args as { clientId: string }).clientId;
      return { client: { ...ana, id, name: all.find((c) => c.id === id)!.name }, packages: [], bookings: [], owed: 0, timeline: [], timelineMore: false };
    }
  });
  return asked;
}

describe("client list", () => {
  it("shows live balances and badges, and searches as you type", async () => {
    const queries: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "list_clients") {
        const q = (args as { query: { text: string } }).query.text;
        queries.push(q);
        const all = [
          summary({}),
          summary({ id: "cl_2", name: "Zoë Ångström", remaining: 1, low: true }),
          summary({ id: "cl_3", name: "Bruno", activePackages: 0, remaining: 0, total: 0 }),
        ];
        return pageOf(q ? all.filter((c) => c.name.toLowerCase().startsWith(q)) : all, args);
      }
    });
    render(ClientsScreen);
    // The client rows (the filter's own options aside).
    const clientRows = () => screen.getAllByRole("option").filter((o) => o.closest("[role=listbox]"));
    await waitFor(() => expect(clientRows().length).toBeGreaterThan(0));
    const rows = clientRows();
    expect(rows.map((r) => r.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "Ana Souza 3 of 10 left",
      "Zoë Ångström 1 of 10 left Low",
      "Bruno No active package",
    ]);
    const list = screen.getByRole("listbox", { name: "Client list" });
    expect([list.getAttribute("aria-busy"), list.dataset.query]).toEqual(["false", ""]);
    // The hint drawn over the empty field (not its placeholder) goes as the first letter is typed.
    const hint = document.querySelector(".list-head .hint")!;
    expect(hint.textContent).toMatch(/^Search clients\s+\/$/);
    expect(hint.classList.contains("typed")).toBe(false);
    await fireEvent.input(screen.getByLabelText("Search clients"), { target: { value: "zo" } });
    expect(hint.classList.contains("typed")).toBe(true);
    // Busy until the search's own rows are in (and it says which search they are for).
    expect(list.getAttribute("aria-busy")).toBe("true");
    await waitFor(() => expect(clientRows()).toHaveLength(1));
    expect(queries.at(-1)).toBe("zo");
    expect([list.getAttribute("aria-busy"), list.dataset.query]).toEqual(["false", "zo"]);
    await fireEvent.input(screen.getByLabelText("Search clients"), { target: { value: "" } });
    expect(hint.classList.contains("typed")).toBe(false);
  });

  it("shows everyone at once when the search is emptied and reads them again behind it, until the practice changes", async () => {
    let everyone = [summary({}), summary({ id: "cl_2", name: "Zoë Ångström" })];
    // Each read waits until the test lets it answer.
    const waiting: (() => void)[] = [];
    const queries: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "list_clients") return;
      const q = (args as { query: { text: string } }).query.text;
      queries.push(q);
      const page = pageOf(q ? everyone.filter((c) => c.name.toLowerCase().startsWith(q)) : everyone, args);
      return new Promise((answer) => waiting.push(() => answer(page)));
    });
    const answerAll = () => waiting.splice(0).forEach((answer) => answer());
    render(ClientsScreen);
    const list = screen.getByRole("listbox", { name: "Client list" });
    const names = () => [...list.querySelectorAll("[role=option] .name")].map((n) => n.textContent);
    const search = screen.getByLabelText("Search clients");
    await waitFor(() => expect(waiting.length).toBe(1));
    answerAll();
    await waitFor(() => expect(names()).toEqual(["Ana Souza", "Zoë Ångström"]));
    await fireEvent.input(search, { target: { value: "zo" } });
    await waitFor(() => expect(waiting.length).toBe(1));
    answerAll();
    await waitFor(() => expect(names()).toEqual(["Zoë Ångström"]));

    // Emptied: everyone at once, read again behind (its answer not in yet).
    await fireEvent.input(search, { target: { value: "" } });
    await waitFor(() => expect(queries.at(-1)).toBe(""));
    expect(names()).toEqual(["Ana Souza", "Zoë Ångström"]);
    expect([list.getAttribute("aria-busy"), list.dataset.query]).toEqual(["false", ""]);
    answerAll();
    // A search is read as typed, every time.
    await fireEvent.input(search, { target: { value: "zo" } });
    await waitFor(() => expect(queries.at(-1)).toBe("zo"));
    expect(names()).toEqual(["Ana Souza", "Zoë Ångström"]);
    expect(list.getAttribute("aria-busy")).toBe("true");
    answerAll();
    await waitFor(() => expect(names()).toEqual(["Zoë Ångström"]));

    // A change: nothing kept is shown; the list waits for the practice as it is now.
    everyone = [...everyone, summary({ id: "cl_3", name: "Bruno" })];
    noteChanged(["clients"]);
    await waitFor(() => expect(waiting.length).toBe(1));
    answerAll();
    await fireEvent.input(search, { target: { value: "" } });
    await waitFor(() => expect(waiting.length).toBe(1));
    expect(names()).toEqual(["Zoë Ångström"]);
    expect(list.getAttribute("aria-busy")).toBe("true");
    answerAll();
    await waitFor(() => expect(names()).toEqual(["Ana Souza", "Zoë Ångström", "Bruno"]));
  });

  it("re-reads when the backend says clients or balances changed, and not otherwise", async () => {
    let calls = 0;
    mockIPC(
      (cmd, args) => {
        if (cmd === "list_clients") {
          calls += 1;
          return pageOf([summary({ remaining: 10 - calls })], args);
        }
      },
      { shouldMockEvents: true },
    );
    const { listenForChanges } = await import("../changes.svelte");
    const stop = await listenForChanges();
    render(ClientsScreen);
    await screen.findByText("9 of 10 left");
    await emit("data-changed", { topics: ["offerings"] });
    await emit("data-changed", { topics: ["packages"] });
    await waitFor(() => expect(document.querySelector("[role=option] .bal")?.textContent).toBe("8 of 10 left"));
    expect(calls).toBe(2);
    stop();
  });

  it("answers the daily shortcuts: / and Ctrl+K search, N adds a client", async () => {
    mockIPC((cmd, args) => (cmd === "list_clients" ? pageOf([summary({})], args) : []));
    const { dispatch } = await import("../shortcuts.svelte");
    window.addEventListener("keydown", dispatch);
    try {
      render(ClientsScreen);
      await screen.findAllByRole("option");
      const search = screen.getByLabelText("Search clients");
      await fireEvent.keyDown(document.body, { key: "/" });
      expect(document.activeElement).toBe(search);
      (document.activeElement as HTMLElement).blur();
      await fireEvent.keyDown(document.body, { key: "k", ctrlKey: true });
      expect(document.activeElement).toBe(search);
      // Letters typed into the search are text, not shortcuts.
      await fireEvent.keyDown(search, { key: "n" });
      expect(screen.queryByRole("dialog")).toBeNull();
      (document.activeElement as HTMLElement).blur();
      await fireEvent.keyDown(document.body, { key: "n" });
      expect(await screen.findByRole("dialog", { name: "New client" })).toBeTruthy();
    } finally {
      window.removeEventListener("keydown", dispatch);
    }
  });

  it("reads a page at a time, and the keyboard moves the selection across pages", async () => {
    const asked = manyClients();
    const { dispatch } = await import("../shortcuts.svelte");
    window.addEventListener("keydown", dispatch);
    try {
      render(ClientsScreen);
      await screen.findByText("Client 000");
      // Only the first pages were read, not all 250 clients.
      expect(Math.max(...asked)).toBeLessThan(120);
      const options = () => document.querySelectorAll("[role=option]");
      await waitFor(() => expect(options().length).toBeGreaterThan(5));
      expect(options().length).toBeLessThan(40);
      expect(options()[0].getAttribute("aria-setsize")).toBe("250");
      for (let i = 0; i < 70; i++) await fireEvent.keyDown(document.body, { key: "ArrowDown" });
      await waitFor(() => expect(clients.selectedId).toBe("cl_69"));
      await screen.findByRole("heading", { name: "Client 069" });
    } finally {
      window.removeEventListener("keydown", dispatch);
    }
  });

  it("reads the rows past the first page again when the practice changes", async () => {
    const asked = manyClients();
    render(ClientsScreen);
    await screen.findByText("Client 000");
    await waitFor(() => expect(asked).toContain(30));
    asked.length = 0;
    // The same total after the change: the rows past the first page are read
    // again too, not left as placeholders until the list scrolls.
    noteChanged(["clients"]);
    await waitFor(() => expect(asked).toEqual([0, 30]));
    await waitFor(() => expect(clients.rows[30]?.name).toBe("Client 030"));
  });

  it("says when a short search lists only its first 1,000 matches", async () => {
    const all = Array.from({ length: 1000 }, (_, i) => summary({ id: `cl_${i}`, name: `Ana ${String(i).padStart(4, "0")}` }));
    mockIPC((cmd, args) => {
      if (cmd === "list_clients") {
        const q = (args as { query: { text: string } }).query;
        // "a" matches more than the core counts; "ana 0001" one client.
        const rows = q.text === "a" ? all : all.filter((c) => c.name.toLowerCase() === q.text);
        return { ...pageOf(rows, args), exact: q.text !== "a" };
      }
    });
    render(ClientsScreen);
    await fireEvent.input(screen.getByLabelText("Search clients"), { target: { value: "a" } });
    expect((await screen.findByRole("status")).textContent).toContain("The first 1,000 matches. Type more to narrow the search.");
    await fireEvent.input(screen.getByLabelText("Search clients"), { target: { value: "ana 0001" } });
    await waitFor(() => expect(screen.queryByText(/The first 1,000 matches/)).toBeNull());
  });

  it("does not keep showing a client the search has filtered out", async () => {
    const all = [summary({}), summary({ id: "cl_2", name: "Zoë Ångström" })];
    mockIPC((cmd, args) => {
      if (cmd === "list_clients") {
        const q = (args as { query: { text: string; selected: string | null } }).query;
        const rows = all.filter((c) => !q.text || c.name.toLowerCase().startsWith(q.text));
        const at = rows.findIndex((c) => c.id === q.selected);
        return { ...pageOf(rows, args), selectedIndex: at >= 0 ? at : null };
      }
      if (cmd === "client_record") {
        const id = (args as { clientId: string }).clientId;
        return { client: { ...ana, id, name: all.find((c) => c.id === id)!.name }, packages: [], bookings: [], owed: 0, timeline: [], timelineMore: false };
      }
    });
    render(ClientsScreen);
    await fireEvent.click(await screen.findByText("Ana Souza"));
    await screen.findByRole("heading", { name: "Ana Souza" });
    await fireEvent.input(screen.getByLabelText("Search clients"), { target: { value: "zo" } });
    await waitFor(() => expect(screen.queryByRole("heading", { name: "Ana Souza" })).toBeNull());
    expect(clients.selectedId).toBeNull();
  });

  it("keeps the open client's record when a change takes them off the filtered list", async () => {
    let owes = true;
    mockIPC((cmd, args) => {
      if (cmd === "list_clients") {
        const q = (args as { query: { selected: string | null; filter: string | null } }).query;
        const rows = q.filter === "owes" && !owes ? [] : [summary({})];
        const at = rows.findIndex((c) => c.id === q.selected);
        return { ...pageOf(rows, args), selectedIndex: at >= 0 ? at : null };
      }
      if (cmd === "client_record") return { client: ana, packages: [], bookings: [], owed: 0, timeline: [], timelineMore: false };
    });
    render(ClientsScreen);
    await fireEvent.click(await screen.findByText("Ana Souza"));
    await screen.findByRole("heading", { name: "Ana Souza" });
    await fireEvent.change(screen.getByLabelText("Show"), { target: { value: "owes" } });
    await waitFor(() => expect(clients.shown).toBe(""));
    // Paid up: off the list, her record still open.
    owes = false;
    noteChanged(["packages"]);
    expect(await screen.findByText("Nobody owes money.")).toBeTruthy();
    expect(clients.selectedId).toBe(ana.id);
    expect(screen.getByRole("heading", { name: "Ana Souza" })).toBeTruthy();
    // Picking the filter again is the user's own choice: it closes.
    await fireEvent.change(screen.getByLabelText("Show"), { target: { value: "" } });
    await waitFor(() => expect(screen.queryByText("Nobody owes money.")).toBeNull());
    await fireEvent.change(screen.getByLabelText("Show"), { target: { value: "owes" } });
    await waitFor(() => expect(clients.selectedId).toBeNull());
  });

  it("teaches what to do next when the practice has no clients", async () => {
    mockIPC((cmd, args) => (cmd === "list_clients" ? pageOf([], args) : undefined));
    render(ClientsScreen);
    expect(await screen.findByText("No clients yet.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Add your first client" })).toBeTruthy();
  });
});

function line(over: Partial<TimelineItem>): TimelineItem {
  return {
    id: "le_1", date: "2026-11-20", time: "09:30", kind: "session", label: "Session completed",
    packageId: "pk_1", packageName: "Ten", packageSoldOn: "2026-11-01", sessions: -1, balanceAfter: 9,
    amount: null, note: "", why: "", sessionId: null, reverses: null, reversedBy: null, reversible: true,
    waivable: false, ...over,
  };
}

describe("client record", () => {
  it("offers Reverse only on lines that can still be reversed", async () => {
    const record: Record = {
      client: ana,
      packages: [],
      bookings: [],
      owed: 0,
      timeline: [
        line({ id: "le_3", kind: "reversal", label: "Reversal", sessions: 1, balanceAfter: 10, reverses: "le_2", reversible: false }),
        line({ id: "le_2", reversedBy: "le_3", reversible: false, balanceAfter: 9 }),
        line({ id: "le_1", kind: "purchase", label: "Package purchased", sessions: 10, balanceAfter: 10, time: null, amount: "800.00" }),
      ],
      timelineMore: false,
    };
    const noop = () => {};
    render(ClientRecord, { record, onedit: noop, onlog: noop, onsell: noop, onreverse: noop });
    const reverse = screen.getAllByRole("button", { name: /^Reverse / });
    expect(reverse).toHaveLength(1);
    expect(reverse[0].getAttribute("aria-label")).toBe("Reverse Package purchased on 2026-11-20");
    expect(screen.getByText("reversed")).toBeTruthy();
    expect(screen.getByText(/No packages yet/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Show older lines" })).toBeNull();
  });

  it("shows the newest lines of a long history, and asks for older ones", async () => {
    const calls = core({
      client_record: ({ lines }: { lines: number }) => ({
        client: ana, packages: [], bookings: [], owed: 0, timelineMore: lines < 300,
        timeline: Array.from({ length: Math.min(lines, 300) }, (_, i) => line({ id: `le_${300 - i}` })),
      }),
    });
    clients.selectedId = ana.id;
    clients.loadRecord();
    await waitFor(() => expect(clients.record?.timeline).toHaveLength(50));
    expect(calls.at(-1)?.args).toEqual({ clientId: ana.id, lines: 50 });
    let older = 0;
    const noop = () => {};
    render(ClientRecord, { record: clients.record!, onedit: noop, onlog: noop, onsell: noop, onreverse: noop, onolder: () => (older += 1) });
    expect(within(screen.getByRole("list", { name: "History, newest first" })).getAllByRole("listitem")).toHaveLength(50);
    expect(screen.getByText("Showing the newest 50 lines")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Show older lines" }));
    expect(older).toBe(1);

    clients.showOlder();
    clients.loadRecord();
    await waitFor(() => expect(clients.record?.timeline).toHaveLength(250));
    expect(calls.at(-1)?.args).toEqual({ clientId: ana.id, lines: 250 });
    // Another client starts again from the newest lines.
    clients.selectedId = "cl_other";
    clients.loadRecord();
    expect(calls.at(-1)?.args).toEqual({ clientId: "cl_other", lines: 50 });
    clients.selectedId = null;
    clients.loadRecord();
  });
});

describe("offerings", () => {
  it("says what to do when every offering is retired", async () => {
    mockIPC((cmd) => (cmd === "list_offerings" ? [{ ...tenPack, retired: true }] : null));
    render(OfferingsScreen);
    expect(await screen.findByRole("heading", { name: "Nothing on sale" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Offer Summer pack again" })).toBeTruthy();
    expect(screen.queryByRole("table", { name: "Offerings on sale" })).toBeNull();
  });
});

describe("client notes", () => {
  it("long notes show a few lines until asked for more", async () => {
    const notes = Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of a long history of injuries and goals.`).join("\n");
    const record: Record = { client: { ...ana, notes }, packages: [], bookings: [], owed: 0, timeline: [], timelineMore: false };
    const noop = () => {};
    render(ClientRecord, { record, onedit: noop, onlog: noop, onsell: noop, onreverse: noop });
    const more = screen.getByRole("button", { name: "Show more" });
    expect(more.getAttribute("aria-expanded")).toBe("false");
    expect(document.getElementById("record-notes")?.classList.contains("clamped")).toBe(true);
    await fireEvent.click(more);
    expect(screen.getByRole("button", { name: "Show less" }).getAttribute("aria-expanded")).toBe("true");
    expect(document.getElementById("record-notes")?.classList.contains("clamped")).toBe(false);
  });

  it("short notes are shown whole, with no button", () => {
    const record: Record = { client: { ...ana, notes: "Prefers mornings." }, packages: [], bookings: [], owed: 0, timeline: [], timelineMore: false };
    const noop = () => {};
    render(ClientRecord, { record, onedit: noop, onlog: noop, onsell: noop, onreverse: noop });
    expect(screen.queryByRole("button", { name: "Show more" })).toBeNull();
  });
});

const tenPack: Offering = {
  id: "of_1", name: "Summer pack", sessions: 10, price: "800.00",
  validity: { kind: "until", date: "2026-08-31" }, lateCancelHours: null, service: "", retired: false, lowBalanceAt: null,
};

// A form shows each error beside its field; an error for a field it does not
// show right now becomes the form's own error, so nothing vanishes.
describe("errors for fields a sheet does not show", () => {
  it("sale from an offering: an end-date error shows on the form, not on a hidden field", async () => {
    mockIPC((cmd) => {
      if (cmd === "list_offerings") return [tenPack];
      if (cmd === "sell_package") throw invalid(["validUntil", "The package would expire before it is sold."]);
    });
    render(SellSheet, { client: ana, onclose: () => {} });
    await screen.findByText(/valid until/);
    await fireEvent.click(screen.getByRole("button", { name: "Sell package" }));
    const shown = await screen.findByText("The package would expire before it is sold.");
    expect(shown.closest(".form-error")).toBeTruthy();
  });

  it("sale not paid now: a payment-method error shows on the form", async () => {
    mockIPC((cmd) => {
      if (cmd === "list_offerings") return [tenPack];
      if (cmd === "sell_package") throw invalid(["paymentMethod", "Keep this under 100 characters."]);
    });
    render(SellSheet, { client: ana, onclose: () => {} });
    await screen.findByText(/valid until/);
    await fireEvent.click(screen.getByLabelText("Paid later"));
    await fireEvent.click(screen.getByRole("button", { name: "Sell package" }));
    expect((await screen.findByText("Keep this under 100 characters.")).closest(".form-error")).toBeTruthy();
  });

  it("sale paid now: a payment-method error shows beside the method", async () => {
    mockIPC((cmd) => {
      if (cmd === "list_offerings") return [tenPack];
      if (cmd === "sell_package") throw invalid(["paymentMethod", "Keep this under 100 characters."]);
    });
    render(SellSheet, { client: ana, onclose: () => {} });
    await screen.findByText(/valid until/);
    await fireEvent.click(screen.getByRole("button", { name: "Sell package" }));
    expect((await screen.findByText("Keep this under 100 characters.")).id).toBe("sale-method-error");
  });

  it("log sheet: a service error shows on the form", async () => {
    mockIPC((cmd) => {
      if (cmd === "log_session") throw invalid(["service", "Keep this under 100 characters."], ["time", "Enter a time as HH:MM."]);
    });
    render(LogSheet, { client: ana, onclose: () => {}, onsell: () => {} });
    await fireEvent.click(screen.getByRole("button", { name: "Log session" }));
    expect((await screen.findByText("Keep this under 100 characters.")).closest(".form-error")).toBeTruthy();
    expect(screen.getByText("Enter a time as HH:MM.").id).toBe("session-time-error");
  });
});

describe("the window", () => {
  it("re-reads today when it regains focus, so a window left open overnight logs on the right day", async () => {
    const { default: App } = await import("../../App.svelte");
    let today = "2026-11-25";
    mockIPC(
      (cmd) => {
        if (cmd === "app_info") return { dbPath: "/tmp/x.sqlite3", openError: null, practice, today, readOnly: null, upgrading: null };
        if (cmd === "list_clients") return { total: 0, exact: true, offset: 0, rows: [], selectedIndex: null };
      },
      { shouldMockEvents: true },
    );
    render(App);
    await waitFor(() => expect(app.info?.today).toBe("2026-11-25"));
    today = "2026-11-26";
    await fireEvent.focus(window);
    await waitFor(() => expect(app.info?.today).toBe("2026-11-26"));
  });

  it("asks for Needs attention once Today's day list is on screen, not beside it (a cold start reads both from disk)", async () => {
    const { default: App } = await import("../../App.svelte");
    today.reset();
    const asked: string[] = [];
    let answer: (a: Agenda) => void = () => {};
    mockIPC(
      (cmd) => {
        asked.push(cmd);
        if (cmd === "app_info") return { dbPath: "/tmp/x.sqlite3", openError: null, practice, today: "2026-11-25", readOnly: null, upgrading: null };
        if (cmd === "agenda") return new Promise<Agenda>((r) => (answer = r));
        if (cmd === "needs_attention") return { items: [], total: 0, snoozed: 0, bookedBeyond: 0 };
      },
      { shouldMockEvents: true },
    );
    render(App);
    await waitFor(() => expect(asked).toContain("agenda"));
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).not.toContain("needs_attention");
    answer({ today: "2026-11-25", days: [], more: 0, unclosed: [], unclosedTotal: 0 });
    // In, but not yet drawn: the read waits for the frame that shows it.
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).not.toContain("needs_attention");
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    await waitFor(() => expect(asked).toContain("needs_attention"));
    expect(asked.filter((c) => c === "needs_attention")).toHaveLength(1);
  });

  it("shows a practice being brought up to date, then opens it when the backend says it is done", async () => {
    const { default: App } = await import("../../App.svelte");
    let upgrading: object | null = { fromVersion: 15, toVersion: 16, fileKilobytes: 6_618_775, seconds: 75, step: "keepingACopy" };
    const asked: string[] = [];
    mockIPC(
      (cmd) => {
        asked.push(cmd);
        if (cmd === "app_info")
          return upgrading
            ? { dbPath: "/tmp/x.sqlite3", openError: null, practice: null, today: "", readOnly: null, upgrading }
            : { dbPath: "/tmp/x.sqlite3", openError: null, practice, today: "2026-11-25", readOnly: null, upgrading: null };
        if (cmd === "agenda") return { today: "2026-11-25", days: [], more: 0, unclosed: [], unclosedTotal: 0 };
        if (cmd === "needs_attention") return { items: [], total: 0, snoozed: 0, bookedBeyond: 0 };
      },
      { shouldMockEvents: true },
    );
    app.info = null;
    render(App);
    expect(await screen.findByRole("heading", { name: "Bringing your practice up to date" })).toBeTruthy();
    expect(screen.getByRole("progressbar", { name: "Updating the practice" })).toBeTruthy();
    // The time it has run so far, as the backend counted it; and the practice's size.
    expect(screen.getByText(/Working for/).textContent).toContain("1:15");
    expect(screen.getByText(/6\.6 GB practice/)).toBeTruthy();
    // It says what it does first: keep a copy of the practice as it is.
    expect(screen.getByText(/keeping a copy of the practice as it is/).getAttribute("role")).toBe("status");
    // The window asks again each second: the time moves on as the backend
    // counts it, and the step with it.
    upgrading = { fromVersion: 15, toVersion: 16, fileKilobytes: 6_618_775, seconds: 76, step: "updating" };
    await waitFor(() => expect(screen.getByText(/Working for/).textContent).toContain("1:16"), { timeout: 3000 });
    expect(screen.getByText("Updating the practice…").getAttribute("role")).toBe("status");
    expect(screen.queryByText(/keeping a copy/)).toBeNull();
    // Nothing is asked of the practice meanwhile: it is not open.
    expect(asked.filter((c) => c !== "app_info")).toEqual([]);
    expect(screen.queryByRole("navigation", { name: "Main" })).toBeNull();

    upgrading = null;
    await emit("data-changed", { topics: ["practice", "clients", "offerings", "packages"] });
    expect(await screen.findByRole("navigation", { name: "Main" })).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Bringing your practice up to date" })).toBeNull();
  });

  it("says so when the practice file opened read-only", async () => {
    const { default: App } = await import("../../App.svelte");
    const why = "This practice file is read-only, so you can look but nothing can be saved.";
    mockIPC(
      (cmd) => {
        if (cmd === "app_info") return { dbPath: "/tmp/x.sqlite3", openError: null, practice, today: "2026-11-25", readOnly: why, upgrading: null };
        if (cmd === "list_clients") return { total: 0, exact: true, offset: 0, rows: [], selectedIndex: null };
      },
      { shouldMockEvents: true },
    );
    render(App);
    expect((await screen.findByText(why)).getAttribute("role")).toBe("alert");
  });
});

describe("a sale day that is surely a mistake", () => {
  it("asks to confirm a day ahead, then sends the confirmation", async () => {
    const sent: { [key: string]: unknown }[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "list_offerings") return [{ ...tenPack, validity: { kind: "none" } }];
      if (cmd === "sell_package") {
        const input = (args as { input: { [key: string]: unknown } }).input;
        sent.push(input);
        if (!input.dateConfirmed) throw invalid(["dateConfirmed", "1 Dec 2026 is 6 days ahead: the package can't be used before then. Confirm the sale day to sell it anyway."]);
        return { id: "pk_9", name: "Summer pack" };
      }
    });
    let closed = false;
    render(SellSheet, { client: ana, onclose: () => (closed = true) });
    await screen.findByText(/no expiry/);
    await fireEvent.input(screen.getByLabelText("Sale date"), { target: { value: "2026-12-01" } });
    await fireEvent.click(screen.getByRole("button", { name: "Sell package" }));
    const asked = await screen.findByText(/6 days ahead/);
    expect(asked.id).toBe("sale-confirm-error");
    const box = screen.getByLabelText(/Yes, it was sold on/) as HTMLInputElement;
    expect(box.getAttribute("aria-describedby")).toBe("sale-confirm-error");
    await fireEvent.click(box);
    await fireEvent.click(screen.getByRole("button", { name: "Sell package" }));
    await waitFor(() => expect(closed).toBe(true));
    expect(sent.map((i) => i.dateConfirmed)).toEqual([false, true]);
  });
});

describe("offering editor", () => {
  it("offers a clock from the first session and its own low mark", async () => {
    const { default: OfferingSheet } = await import("./offerings/OfferingSheet.svelte");
    let sent: { [key: string]: unknown } | undefined;
    mockIPC((cmd, args) => {
      if (cmd === "create_offering") {
        sent = (args as { input: { [key: string]: unknown } }).input;
        return { ...tenPack, name: "Ten" };
      }
    });
    let closed = false;
    render(OfferingSheet, { onclose: () => (closed = true) });
    await fireEvent.input(screen.getByLabelText("Package name"), { target: { value: "Ten" } });
    await fireEvent.input(screen.getByLabelText(/Price/), { target: { value: "800" } });
    await fireEvent.click(screen.getByLabelText("Days after the first session"));
    await fireEvent.input(screen.getByLabelText("Number of days"), { target: { value: "90" } });
    await fireEvent.input(screen.getByLabelText(/Low at/), { target: { value: "3" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add offering" }));
    await waitFor(() => expect(closed).toBe(true));
    expect(sent).toMatchObject({ validityKind: "firstUse", validityDays: "90", lowBalanceAt: "3" });
  });
});

describe("the duplicate warning", () => {
  it("is checked at submit too, so a fast typist sees it before the client is added", async () => {
    const ClientSheet = (await import("./clients/ClientSheet.svelte")).default;
    const created: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "likely_duplicates") {
        const a = args as { name: string; email: string };
        return a.email === "ana@example.com"
          ? [{ id: "cl_1", name: "Ana Souza", email: "ana@example.com", reason: "sameEmail" }]
          : [];
      }
      if (cmd === "create_client") {
        created.push(args);
        return { ...ana, id: "cl_2", name: "Ana S." };
      }
    });
    let saved = false;
    render(ClientSheet, { onclose: () => {}, onsaved: () => (saved = true), onopen: () => {} });
    await fireEvent.input(screen.getByLabelText("Name"), { target: { value: "Ana S." } });
    await fireEvent.input(screen.getByLabelText("Email"), { target: { value: "ana@example.com" } });
    // Submitted at once, before the as-you-type check has run.
    await fireEvent.click(screen.getByRole("button", { name: "Add client" }));
    const warning = await screen.findByRole("status", { name: "Possible duplicate" });
    expect(warning.textContent).toContain("Ana Souza (ana@example.com) has the same email address");
    expect(created).toEqual([]);
    const anyway = screen.getByRole("button", { name: "Add anyway" }) as HTMLButtonElement;
    await waitFor(() => expect(anyway.disabled).toBe(false));
    await fireEvent.click(anyway);
    await waitFor(() => expect(created).toHaveLength(1));
    await waitFor(() => expect(saved).toBe(true));
    expect(created).toHaveLength(1);
  });
});
