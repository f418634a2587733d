// The money sheets and the Reports screen, against a mocked core.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { PackageView, Reports } from "../../bindings";
import { app } from "../../app.svelte";
import CancelSaleSheet from "./CancelSaleSheet.svelte";
import PaymentSheet from "./PaymentSheet.svelte";
import PlanSheet from "./PlanSheet.svelte";
import ReverseSheet from "./ReverseSheet.svelte";
import ReportsScreen from "../reports/ReportsScreen.svelte";
import { paymentStatus } from "./money";
import { core, invalid } from "../../test-core";

const practice = {
  name: "Move Well", currency: "EUR", timeZone: "UTC", lowBalanceThreshold: 2, expiringSoonDays: 14, lateCancelHours: 24,
};
const ten: PackageView = {
  id: "pk_1", clientId: "cl_1", offeringId: null, name: "Ten", sessions: 10, used: 2, remaining: 8, expired: 0, renewsId: null, price: "800.00",
  paid: "300.00", soldOn: "2026-11-01", expiresOn: null, validity: { kind: "none" }, lateCancelHours: 24, service: "",
  state: "active", low: false, expiringSoon: false, payment: "overdue", refunded: "0.00", due: "800.00", listPrice: null,
  discountReason: "", owed: "500.00", overdue: "250.00", overdueDays: 3, nextDue: { dueOn: "2026-12-22", amount: "250.00" },
  hold: null, startedOn: null, pauses: [],
  plan: [{ dueOn: "2026-11-01", amount: "300.00" }, { dueOn: "2026-11-22", amount: "250.00" }, { dueOn: "2026-12-22", amount: "250.00" }],
};

beforeEach(() => {
  app.info = { dbPath: "/tmp/x.sqlite3", openError: null, practice, today: "2026-11-25", readOnly: null, upgrading: null };
});

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("payment status", () => {
  it("says overdue with the amount and days, partly paid with what is left", () => {
    expect(paymentStatus(ten, "EUR").text).toMatch(/Overdue .*250.* 3 days/);
    expect(paymentStatus({ ...ten, payment: "partlyPaid" }, "EUR").text).toMatch(/Partly paid .*500/);
    expect(paymentStatus({ ...ten, payment: "paid" }, "EUR")).toEqual({ text: "Paid", tone: "ok" });
  });
});

describe("Record a payment", () => {
  it("offers what is owed and sends it; an amount error shows beside the amount and keeps what was typed", async () => {
    let fail = true;
    const calls = core({
      record_payment: () => {
        if (fail) {
          fail = false;
          throw invalid("amount", "Use at most 2 decimal places.");
        }
        return { paymentId: "pa_1", package: { ...ten, payment: "paid", owed: "0.00" } };
      },
    });
    let closed = false;
    render(PaymentSheet, { pkg: ten, mode: "payment", onclose: () => (closed = true) });
    const amount = screen.getByLabelText("Amount (EUR)") as HTMLInputElement;
    expect(amount.value).toBe("500.00");
    await fireEvent.input(amount, { target: { value: "12.345" } });
    await fireEvent.click(screen.getByRole("button", { name: "Record payment" }));
    expect((await screen.findByText("Use at most 2 decimal places.")).id).toBe("pay-amount-error");
    expect(amount.value).toBe("12.345");
    await fireEvent.input(amount, { target: { value: "500" } });
    await fireEvent.click(screen.getByRole("button", { name: "Record payment" }));
    await waitFor(() => expect(closed).toBe(true));
    expect(calls.at(-1)?.args).toMatchObject({ input: { packageId: "pk_1", amount: "500", method: "Card", date: "2026-11-25" } });
  });

  it("a refund can take back credits", async () => {
    const calls = core({ record_refund: { paymentId: "pa_2", package: ten } });
    render(PaymentSheet, { pkg: ten, mode: "refund", onclose: () => {} });
    await fireEvent.input(screen.getByLabelText("Amount (EUR)"), { target: { value: "160" } });
    await fireEvent.input(screen.getByLabelText("Unused credits it pays for (taken back)"), { target: { value: "2" } });
    await fireEvent.click(screen.getByRole("button", { name: "Record refund" }));
    await waitFor(() => expect(calls.length).toBe(1));
    expect(calls[0].args).toMatchObject({ input: { amount: "160", takeBack: "2" } });
  });
});

describe("Instalment plan", () => {
  it("spreads the price evenly, and an error names the row", async () => {
    const calls = core({
      suggest_plan: [{ dueOn: "2026-12-01", amount: "400.00" }, { dueOn: "2027-01-01", amount: "400.00" }],
      set_plan: () => {
        throw invalid("plan.1.amount", "Enter an amount above zero.");
      },
    });
    render(PlanSheet, { pkg: { ...ten, plan: [] }, onclose: () => {} });
    await fireEvent.click(screen.getByRole("button", { name: "Spread evenly" }));
    expect(await screen.findByLabelText("Amount (2)")).toHaveProperty("value", "400.00");
    await fireEvent.click(screen.getByRole("button", { name: "Save plan" }));
    expect((await screen.findByText("Enter an amount above zero.")).id).toBe("plan-amount-1-error");
    expect(calls.find((c) => c.cmd === "suggest_plan")?.args).toMatchObject({ input: { amount: "800.00", soldOn: "2026-11-01", first: "" } });
  });
});

describe("Cancel sale", () => {
  it("asks where the money went and sends the choice", async () => {
    const other = { ...ten, id: "pk_2", name: "Five", payment: "due" as const };
    const calls = core({ cancel_sale: { paymentId: null, package: ten } });
    render(CancelSaleSheet, { pkg: ten, others: [ten, other], onclose: () => {} });
    await fireEvent.click(screen.getByLabelText(/Moved to another package/));
    await fireEvent.change(screen.getByLabelText("Move the money to"), { target: { value: "pk_2" } });
    await fireEvent.click(screen.getByRole("button", { name: "Cancel sale" }));
    await waitFor(() => expect(calls.length).toBe(1));
    expect(calls[0].args).toMatchObject({ input: { packageId: "pk_1", money: "credited", toPackageId: "pk_2" } });
  });
});

describe("Correct a payment", () => {
  it("reverses a money line as a correction, not a refund", async () => {
    const calls = core({ correct_payment: { paymentId: null, package: ten } });
    const item = {
      id: "pa_9", date: "2026-11-20", time: null, kind: "payment" as const, label: "Payment", packageId: "pk_1", packageName: "Ten",
      packageSoldOn: "2026-11-01", sessions: null, balanceAfter: null, amount: "50.00", note: "", why: "", sessionId: null,
      reverses: null, reversedBy: null, reversible: true, waivable: false,
    };
    render(ReverseSheet, { item, onclose: () => {} });
    expect(screen.getByRole("heading", { name: "Correct this payment?" })).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Correct" }));
    await waitFor(() => expect(calls.length).toBe(1));
    expect(calls[0]).toMatchObject({ cmd: "correct_payment", args: { paymentId: "pa_9" } });
  });
});

describe("Reports", () => {
  it("shows the totals, the months and who owes", async () => {
    const month = (m: string, earned: string) => ({
      month: m, cashIn: "300.00", refunds: "0.00", netCash: "300.00", sold: "800.00", earned, earnedCredits: 3,
      expired: "0.00", expiredCredits: 0, takenBack: "0.00", takenBackCredits: 0, deferredAtEnd: "560.00",
    });
    const data: Reports = {
      currency: "EUR", from: "2026-10-01", to: "2026-11-25",
      months: [month("2026-10", "240.00"), month("2026-11", "0.00")], total: month("total", "240.00"),
      deferred: "560.00", owed: [{ clientId: "cl_1", clientName: "Cleo", owed: "250.00", overdue: "250.00", overdueDays: 24 }],
      owedTotal: "250.00", overdueTotal: "250.00", renewals: { ended: 4, renewed: 3, pending: 0, percent: 75 },
    };
    core({ reports: data });
    render(ReportsScreen);
    expect((await screen.findByLabelText("Deferred revenue")).textContent).toMatch(/560/);
    expect(screen.getByLabelText("Revenue earned").textContent).toMatch(/240/);
    expect(screen.getByRole("button", { name: "Cleo" })).toBeTruthy();
    expect(screen.getByLabelText("Renewal rate").textContent).toBe("75%");
    expect(screen.getByRole("img", { name: /Cash received per month/ })).toBeTruthy();
  });
});

describe("Extend", () => {
  it("shows a date error beside the date and sends the reason", async () => {
    const { default: ExtendSheet } = await import("./ExtendSheet.svelte");
    let fail = true;
    const calls = core({
      extend_package: () => {
        if (fail) {
          fail = false;
          throw invalid("until", "Pick today or a later day.");
        }
        return { ...ten, expiresOn: "2026-12-31" };
      },
    });
    let closed = false;
    render(ExtendSheet, { pkg: { ...ten, expiresOn: "2026-11-20", expired: 3 }, onclose: () => (closed = true) });
    expect(screen.getByText(/gives back the 3 credits that expired/)).toBeTruthy();
    await fireEvent.input(screen.getByLabelText("Valid until"), { target: { value: "2026-11-21" } });
    await fireEvent.input(screen.getByLabelText("Reason"), { target: { value: "Injury" } });
    await fireEvent.click(screen.getByRole("button", { name: "Extend" }));
    expect((await screen.findByText("Pick today or a later day.")).id).toBe("extend-until-error");
    await fireEvent.input(screen.getByLabelText("Valid until"), { target: { value: "2026-12-31" } });
    await fireEvent.click(screen.getByRole("button", { name: "Extend" }));
    await waitFor(() => expect(closed).toBe(true));
    expect(calls.at(-1)?.args).toMatchObject({ input: { until: "2026-12-31", reason: "Injury" } });
  });
});

describe("Pause", () => {
  it("shows each error beside its field, then sends the period and reason", async () => {
    const { default: PauseSheet } = await import("./PauseSheet.svelte");
    let fail = true;
    const calls = core({
      pause_package: () => {
        if (fail) {
          fail = false;
          throw {
            kind: "Validation", message: "Two fields",
            fields: [
              { field: "from", message: "A session was drawn from it on those days." },
              { field: "until", message: "Pick the first paused day or a later one." },
            ],
          };
        }
        return { ...ten, expiresOn: "2027-01-14", hold: { kind: "paused", until: "2026-12-03" } };
      },
    });
    let closed = false;
    render(PauseSheet, { pkg: { ...ten, expiresOn: "2026-12-31" }, onclose: () => (closed = true) });
    expect(screen.getByText(/moves later by the paused days/)).toBeTruthy();
    await fireEvent.input(screen.getByLabelText("First paused day"), { target: { value: "2026-11-20" } });
    await fireEvent.input(screen.getByLabelText("Last paused day"), { target: { value: "2026-11-10" } });
    await fireEvent.input(screen.getByLabelText("Reason"), { target: { value: "Knee injury" } });
    await fireEvent.click(screen.getByRole("button", { name: "Pause" }));
    expect((await screen.findByText("A session was drawn from it on those days.")).id).toBe("pause-from-error");
    expect(screen.getByText("Pick the first paused day or a later one.").id).toBe("pause-until-error");
    expect((screen.getByLabelText("Reason") as HTMLInputElement).value).toBe("Knee injury");
    await fireEvent.input(screen.getByLabelText("Last paused day"), { target: { value: "2026-12-03" } });
    await fireEvent.click(screen.getByRole("button", { name: "Pause" }));
    await waitFor(() => expect(closed).toBe(true));
    expect(calls.at(-1)?.args).toMatchObject({
      input: { packageId: "pk_1", from: "2026-11-20", until: "2026-12-03", reason: "Knee injury" },
    });
  });
});
