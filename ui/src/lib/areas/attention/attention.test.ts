// Needs attention against a mocked core: the reasons in words, the actions.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { Attention, AttentionItem } from "../../bindings";
import { app } from "../../app.svelte";
import NeedsAttention from "./NeedsAttention.svelte";
import AttentionSheets from "./AttentionSheets.svelte";
import { attention } from "./attention.svelte";
import ReminderSection from "../settings/ReminderSection.svelte";
import { core } from "../../test-core";

const practice = {
  name: "Move Well", currency: "EUR", timeZone: "UTC", lowBalanceThreshold: 2, expiringSoonDays: 14, lateCancelHours: 24,
};
const item = (over: Partial<AttentionItem>): AttentionItem => ({
  clientId: "cl_1", clientName: "Ana Souza", email: "ana@example.com",
  reasons: [{ kind: "low", text: "2 credits left on Ten", amount: null }], packageId: "pk_1", packageName: "Ten", offeringId: null,
  remaining: 2, expiresOn: null, followUp: "none", snoozedUntil: null, ...over,
});
const list: Attention = {
  items: [
    item({ clientId: "cl_2", clientName: "Bruno Nair", reasons: [{ kind: "paymentOverdue", text: "overdue for 24 days", amount: "1400.00" }], packageId: null }),
    item({}),
  ],
  total: 2,
  snoozed: 1,
  bookedBeyond: 0,
};

beforeEach(() => {
  app.info = { dbPath: "/tmp/x.sqlite3", openError: null, practice, today: "2026-11-25", readOnly: null, upgrading: null };
});

afterEach(() => {
  cleanup();
  clearMocks();
  attention.sheet = null;
  attention.data = null;
  attention.fewer();
});

describe("Needs attention", () => {
  it("lists who needs a follow-up, with the reasons and the next action", async () => {
    const calls = core({ needs_attention: list, set_follow_up: null });
    render(NeedsAttention, { onopen: () => {} });
    // Busy until the list has been read (a screen reader says so).
    const section = screen.getByRole("region", { name: /Needs attention/ });
    expect(section.getAttribute("aria-busy")).toBe("true");
    attention.load();
    expect(await screen.findByRole("heading", { name: "Needs attention (2)" })).toBeTruthy();
    expect(section.getAttribute("aria-busy")).toBe("false");
    expect(screen.getByText("€1,400.00 overdue for 24 days")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Open Bruno Nair" })).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Mark renewal offered to Ana Souza" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "set_follow_up")).toBe(true));
    expect(calls.find((c) => c.cmd === "set_follow_up")?.args).toMatchObject({ input: { packageId: "pk_1", state: "offered" } });
  });

  it("reads only the few it shows, counts them all, and reads more when asked", async () => {
    // By their labels: a role query works out every button's name and
    // visibility on each try of a waitFor, and with 100 rows took most of
    // the test's time (7.4 s, a timeout, on a busy machine).
    const renewButtons = () => screen.getAllByLabelText(/^Renew Client/);
    const everyone = Array.from({ length: 100 }, (_, i) => item({ clientId: `cl_${i}`, clientName: `Client ${String(i).padStart(3, "0")}` }));
    const calls = core({
      needs_attention: ({ limit }: { limit: number }) => ({ items: everyone.slice(0, limit), total: everyone.length, snoozed: 0, bookedBeyond: 0 }),
    });
    render(NeedsAttention, { onopen: () => {} });
    // The app reads it again from an effect whenever the limit changes; here, by hand.
    attention.load();
    expect(await screen.findByRole("heading", { name: "Needs attention (100)" })).toBeTruthy();
    expect(calls.at(-1)?.args).toMatchObject({ limit: 5 });
    expect(renewButtons()).toHaveLength(5);
    await fireEvent.click(screen.getByRole("button", { name: "Show 50 more of 100" }));
    attention.load();
    await waitFor(() => expect(renewButtons()).toHaveLength(55));
    expect(calls.at(-1)?.args).toMatchObject({ limit: 55 });
    await fireEvent.click(screen.getByRole("button", { name: "Show all 100" }));
    attention.load();
    await waitFor(() => expect(renewButtons()).toHaveLength(100));
    expect(screen.queryByRole("button", { name: /^Show all/ })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Show fewer" }));
    attention.load();
    await waitFor(() => expect(renewButtons()).toHaveLength(5));
  });

  it("says so when nobody needs attention", async () => {
    core({ needs_attention: { items: [], total: 0, snoozed: 2, bookedBeyond: 0 } });
    attention.load();
    render(NeedsAttention, { onopen: () => {} });
    expect(await screen.findByText(/Nobody needs a follow-up today \(2 snoozed\)/)).toBeTruthy();
  });

  it("shows the drafted reminder when no mail app opened it", async () => {
    const reminder = { to: "ana@example.com", subject: "Your sessions with Move Well", body: "Hi Ana,", url: "mailto:ana@example.com?subject=Your%20sessions" };
    core({ needs_attention: list, remind_client: { reminder, opened: false } });
    attention.load();
    render(NeedsAttention, { onopen: () => {} });
    render(AttentionSheets);
    await fireEvent.click(await screen.findByRole("button", { name: "Remind Ana Souza" }));
    expect(await screen.findByRole("heading", { name: "Reminder for Ana Souza" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Mail link" }).getAttribute("href")).toBe(reminder.url);
  });

  it("renews from the list, prefilled, with the credits left offered to carry over", async () => {
    const calls = core({
      needs_attention: list,
      list_offerings: [],
      sell_package: { id: "pk_9", name: "Ten" },
    });
    attention.load();
    render(NeedsAttention, { onopen: () => {} });
    render(AttentionSheets);
    await fireEvent.click(await screen.findByRole("button", { name: "Renew Ana Souza's Ten" }));
    expect(await screen.findByRole("heading", { name: "Renew Ten for Ana Souza" })).toBeTruthy();
    await fireEvent.click(screen.getByLabelText(/Carry the 2 credits left on Ten/));
    await fireEvent.input(screen.getByLabelText("Price (EUR)"), { target: { value: "800" } });
    await fireEvent.click(screen.getByRole("button", { name: "Sell package" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "sell_package")).toBe(true));
    expect(calls.find((c) => c.cmd === "sell_package")?.args).toMatchObject({ input: { renewsId: "pk_1", carryOver: true } });
  });
});

describe("Reminder words in Settings", () => {
  it("saves the practitioner's own words and goes back to Punchcard's", async () => {
    let custom = false;
    const calls = core({
      reminder_template: () => ({ text: "Hi {first},", custom }),
      set_reminder_template: (args: { text: string }) => {
        custom = args.text !== "";
        return { text: custom ? args.text : "Hi {first},", custom };
      },
    });
    render(ReminderSection);
    const box = (await screen.findByLabelText("Reminder message")) as HTMLTextAreaElement;
    await waitFor(() => expect(box.value).toBe("Hi {first},"));
    expect(screen.queryByRole("button", { name: "Use Punchcard's words" })).toBeNull();
    await fireEvent.input(box, { target: { value: "Dear {name}" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save reminder" }));
    await fireEvent.click(await screen.findByRole("button", { name: "Use Punchcard's words" }));
    await waitFor(() => expect(box.value).toBe("Hi {first},"));
    expect(calls.filter((c) => c.cmd === "set_reminder_template").map((c) => c.args.text)).toEqual(["Dear {name}", ""]);
  });
});
