import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { ClientRecord as Record, ClientSummary, TimelineItem } from "../bindings";
import { app } from "../app.svelte";
import FirstRun from "./FirstRun.svelte";
import Clients from "./Clients.svelte";
import ClientRecord from "./ClientRecord.svelte";

const practice = {
  name: "Move Well", currency: "EUR", timeZone: "UTC", lowBalanceThreshold: 2, expiringSoonDays: 14,
  lateCancelHours: 24,
};

beforeEach(() => {
  app.info = { dbPath: "/tmp/x.sqlite3", openError: null, practice, today: "2026-11-25" };
  app.version = 0;
});

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("first run", () => {
  it("shows the core's error beside the field it names and keeps what was typed", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "setup_practice") {
        // A core error crosses IPC as a plain { kind, message, field } object.
        throw { kind: "Validation", message: "“XYZ” is not an ISO 4217 currency code.", field: "currency" };
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
});

function summary(over: Partial<ClientSummary>): ClientSummary {
  return {
    id: "cl_1", name: "Ana Souza", email: "", phone: "", remaining: 3, total: 10, activePackages: 1,
    low: false, expiresOn: null, expiringSoon: false, ...over,
  };
}

describe("client list", () => {
  it("shows live balances and badges, and searches as you type", async () => {
    const queries: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "list_clients") {
        const q = (args as { query: string }).query;
        queries.push(q);
        const all = [
          summary({}),
          summary({ id: "cl_2", name: "Zoë Ångström", remaining: 1, low: true }),
          summary({ id: "cl_3", name: "Bruno", activePackages: 0, remaining: 0, total: 0 }),
        ];
        return q ? all.filter((c) => c.name.toLowerCase().startsWith(q)) : all;
      }
    });
    render(Clients);
    const rows = await screen.findAllByRole("option");
    expect(rows.map((r) => r.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "Ana Souza 3 of 10 left",
      "Zoë Ångström 1 of 10 left Low",
      "Bruno No active package",
    ]);
    await fireEvent.input(screen.getByLabelText("Search clients"), { target: { value: "zo" } });
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(1));
    expect(queries.at(-1)).toBe("zo");
  });

  it("answers the daily shortcuts: / and Ctrl+K search, N adds a client", async () => {
    mockIPC((cmd) => (cmd === "list_clients" ? [summary({})] : []));
    render(Clients);
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
  });

  it("teaches what to do next when the practice has no clients", async () => {
    mockIPC((cmd) => (cmd === "list_clients" ? [] : undefined));
    render(Clients);
    expect(await screen.findByText("No clients yet.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Add your first client" })).toBeTruthy();
  });
});

function line(over: Partial<TimelineItem>): TimelineItem {
  return {
    id: "le_1", date: "2026-11-20", time: "09:30", kind: "session", label: "Session completed",
    packageId: "pk_1", packageName: "Ten", packageSoldOn: "2026-11-01", sessions: -1, balanceAfter: 9,
    amount: null, note: "", reverses: null, reversedBy: null, reversible: true, ...over,
  };
}

describe("client record", () => {
  it("offers Reverse only on lines that can still be reversed", async () => {
    const record: Record = {
      client: { id: "cl_1", name: "Ana Souza", email: "ana@example.com", phone: "", notes: "", archived: false },
      packages: [],
      timeline: [
        line({ id: "le_3", kind: "reversal", label: "Reversal", sessions: 1, balanceAfter: 10, reverses: "le_2", reversible: false }),
        line({ id: "le_2", reversedBy: "le_3", reversible: false, balanceAfter: 9 }),
        line({ id: "le_1", kind: "purchase", label: "Package purchased", sessions: 10, balanceAfter: 10, time: null, amount: "800.00" }),
      ],
    };
    const noop = () => {};
    render(ClientRecord, { record, onedit: noop, onlog: noop, onsell: noop, onreverse: noop });
    const reverse = screen.getAllByRole("button", { name: /^Reverse / });
    expect(reverse).toHaveLength(1);
    expect(reverse[0].getAttribute("aria-label")).toBe("Reverse Package purchased on 2026-11-20");
    expect(screen.getByText("reversed")).toBeTruthy();
    expect(screen.getByText(/No packages yet/)).toBeTruthy();
  });
});

describe("the window", () => {
  it("re-reads today when it regains focus, so a window left open overnight logs on the right day", async () => {
    const { default: App } = await import("../../App.svelte");
    let today = "2026-11-25";
    mockIPC((cmd) => {
      if (cmd === "app_info") return { dbPath: "/tmp/x.sqlite3", openError: null, practice, today };
      if (cmd === "list_clients") return [];
    });
    render(App);
    await waitFor(() => expect(app.info?.today).toBe("2026-11-25"));
    today = "2026-11-26";
    await fireEvent.focus(window);
    await waitFor(() => expect(app.info?.today).toBe("2026-11-26"));
  });
});
