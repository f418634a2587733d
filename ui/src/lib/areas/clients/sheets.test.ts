// The client record's sheets for sessions and credits, against a mocked core.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { PackageView } from "../../bindings";
import { app } from "../../app.svelte";
import CreditsSheet from "./CreditsSheet.svelte";
import LogSheet from "./LogSheet.svelte";
import WaiveSheet from "./WaiveSheet.svelte";
import { core, invalid } from "../../test-core";

const practice = {
  name: "Move Well", currency: "EUR", timeZone: "UTC", lowBalanceThreshold: 2, expiringSoonDays: 14,
  lateCancelHours: 24,
};
const ana = { id: "cl_1", name: "Ana Souza", email: "", phone: "", notes: "", archived: false };
const five: PackageView = {
  id: "pk_1", clientId: "cl_1", offeringId: null, name: "Five", sessions: 5, used: 1, remaining: 4, expired: 0, renewsId: null, price: "400.00",
  paid: "400.00", soldOn: "2026-11-01", expiresOn: null, validity: { kind: "none" }, lateCancelHours: 24, service: "",
  state: "active", low: false, expiringSoon: false, payment: "paid", refunded: "0.00", due: "400.00", listPrice: null, discountReason: "", owed: "0.00", overdue: "0.00", overdueDays: 0, nextDue: null, plan: [], hold: null, startedOn: null, pauses: [],
};

beforeEach(() => {
  app.info = { dbPath: "/tmp/x.sqlite3", openError: null, practice, today: "2026-11-25", readOnly: null, upgrading: null };
});

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("Log session", () => {
  it("with no credit left offers to record the session as owed", async () => {
    const calls = core({
      log_session: (args: { input: { owed: boolean } }) => {
        if (!args.input.owed) {
          throw { kind: "Conflict", message: "Ana Souza has no package yet: sell one, or record the session as owed.", fields: [] };
        }
        return { sessionId: "se_1", entryId: null, packageId: null, packageName: null, remaining: 0, owed: true };
      },
    });
    let closed = false;
    render(LogSheet, { client: ana, onclose: () => (closed = true), onsell: () => {} });
    expect(screen.queryByRole("button", { name: "Record as owed" })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Log session" }));
    await fireEvent.click(await screen.findByRole("button", { name: "Record as owed" }));
    await waitFor(() => expect(closed).toBe(true));
    expect(calls.map((c) => (c.args as { input: { owed: boolean } }).input.owed)).toEqual([false, true]);
  });

  it("lets the practitioner pick the package when more than one has credit", async () => {
    const calls = core({ log_session: { sessionId: "se_1", entryId: "le_1", packageId: "pk_2", packageName: "Massage", remaining: 2, owed: false } });
    const massage = { ...five, id: "pk_2", name: "Massage", service: "Massage", remaining: 3 };
    render(LogSheet, { client: ana, packages: [five, massage, { ...five, id: "pk_3", remaining: 0 }], onclose: () => {}, onsell: () => {} });
    const select = screen.getByLabelText("Draw from") as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent?.trim())).toEqual([
      "The package the drawing rule picks", "Five — 4 left", "Massage (Massage) — 3 left",
    ]);
    await fireEvent.change(select, { target: { value: "pk_2" } });
    await fireEvent.click(screen.getByRole("button", { name: "Log session" }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect((calls[0].args as { input: { packageId: string } }).input.packageId).toBe("pk_2");
  });
});

describe("credits", () => {
  it("adjusts with a reason, each error beside its field", async () => {
    const calls = core({
      adjust_credits: (args: { input: { sessions: string; reason: string } }) => {
        if (args.input.reason === "") {
          throw {
            kind: "Validation", message: "Say why: it stays in the history.",
            fields: [
              { field: "sessions", message: "Enter how many credits to add (like 2) or take away (like -1)." },
              { field: "reason", message: "Say why: it stays in the history." },
            ],
          };
        }
        return { entryId: "le_9", remaining: 6 };
      },
    });
    let closed = false;
    render(CreditsSheet, { pkg: five, mode: "adjust", clientName: "Ana Souza", onclose: () => (closed = true) });
    expect(document.activeElement?.id).toBe("credits-sessions");
    await fireEvent.click(screen.getByRole("button", { name: "Adjust credits" }));
    expect((await screen.findByText("Say why: it stays in the history.")).id).toBe("credits-reason-error");
    expect(screen.getByText(/Enter how many credits/).id).toBe("credits-sessions-error");
    await fireEvent.input(screen.getByLabelText(/Credits/), { target: { value: "+2" } });
    await fireEvent.input(screen.getByLabelText("Reason"), { target: { value: "Goodwill" } });
    await fireEvent.click(screen.getByRole("button", { name: "Adjust credits" }));
    await waitFor(() => expect(closed).toBe(true));
    expect(calls.at(-1)?.args).toEqual({ input: { packageId: "pk_1", sessions: "+2", reason: "Goodwill", date: "2026-11-25" } });
  });

  it("transfers to another client's package, chosen by typing the name", async () => {
    const calls = core({
      list_clients: {
        total: 2, exact: true, offset: 0, selectedIndex: null,
        rows: [
          { id: "cl_1", name: "Ana Souza", email: "", phone: "", remaining: 4, total: 5, activePackages: 1, low: false, expiresOn: null, expiringSoon: false, owed: 0, booked: 0, bookedBeyond: false },
          { id: "cl_2", name: "Liam Souza", email: "", phone: "", remaining: 1, total: 5, activePackages: 1, low: true, expiresOn: null, expiringSoon: false, owed: 0, booked: 0, bookedBeyond: false },
        ],
      },
      client_packages: [{ ...five, id: "pk_9", clientId: "cl_2", name: "Kids five", remaining: 1 }],
      transfer_credits: { entryId: "le_5", remaining: 3 },
    });
    render(CreditsSheet, { pkg: five, mode: "transfer", clientName: "Ana Souza", onclose: () => {} });
    const to = screen.getByLabelText("To client");
    await fireEvent.input(to, { target: { value: "souza" } });
    const list = await screen.findByRole("listbox", { name: "Matching clients" });
    expect(within(list).getAllByRole("option")).toHaveLength(2);
    // ↓ moves to the second match, Enter picks it.
    await fireEvent.keyDown(to, { key: "ArrowDown" });
    await fireEvent.keyDown(to, { key: "Enter" });
    expect((to as HTMLInputElement).value).toBe("Liam Souza");
    await waitFor(() => expect((screen.getByLabelText("Their package") as HTMLSelectElement).value).toBe("pk_9"));
    await fireEvent.input(screen.getByLabelText("Reason"), { target: { value: "For her son" } });
    await fireEvent.click(screen.getByRole("button", { name: "Transfer credits" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "transfer_credits")).toBe(true));
    expect(calls.find((c) => c.cmd === "transfer_credits")?.args).toEqual({
      input: { fromPackageId: "pk_1", toPackageId: "pk_9", sessions: "1", reason: "For her son", date: "2026-11-25" },
    });
  });

  it("waives a forfeit only with a reason", async () => {
    const calls = core({
      waive_forfeit: (args: { reason: string }) => {
        if (!args.reason.trim()) throw invalid("reason", "Say why the forfeit is waived.");
        return { sessionId: "se_1", status: "noShow", entryId: null, packageName: "Five", remaining: 5, owed: false, late: false };
      },
    });
    const item = {
      id: "le_3", date: "2026-11-20", time: "09:00", kind: "noShow" as const, label: "No-show (forfeited)", packageId: "pk_1",
      packageName: "Five", packageSoldOn: "2026-11-01", sessions: -1, balanceAfter: 4, amount: null, note: "", why: "",
      sessionId: "se_1", reverses: null, reversedBy: null, reversible: true, waivable: true,
    };
    render(WaiveSheet, { item, onclose: () => {} });
    await fireEvent.click(screen.getByRole("button", { name: "Waive forfeit" }));
    expect((await screen.findByText("Say why the forfeit is waived.")).id).toBe("waive-reason-error");
    await fireEvent.input(screen.getByLabelText("Reason"), { target: { value: "Snowstorm" } });
    await fireEvent.click(screen.getByRole("button", { name: "Waive forfeit" }));
    await waitFor(() => expect(calls.at(-1)?.args).toEqual({ entryId: "le_3", reason: "Snowstorm" }));
  });
});
