// Money wording shared by the Clients area's sheets and cards.
import type { PackageView } from "../../bindings";
import { date, money, plural } from "../../format";

/** How a payment can be made (the core accepts exactly these). */
export const METHODS = ["Card", "Cash", "Bank transfer", "Other"] as const;

/** A package's payment status in words: paid, partly paid, due, overdue (with amount and days). */
export function paymentStatus(p: PackageView, currency: string): { text: string; tone: "ok" | "warn" | "danger" | "quiet" } {
  const m = (a: string) => money(a, currency);
  switch (p.payment) {
    case "free":
      return { text: "Free", tone: "quiet" };
    case "paid":
      return { text: "Paid", tone: "ok" };
    case "cancelled":
      return { text: "Sale cancelled", tone: "quiet" };
    case "inCredit":
      return { text: `In credit ${m(String(-Number(p.owed)))}`, tone: "quiet" };
    case "partlyPaid":
      return { text: `Partly paid · ${m(p.owed)} to pay`, tone: "warn" };
    case "due":
      return { text: `Due · ${m(p.owed)}`, tone: "warn" };
    case "overdue":
      return { text: `Overdue ${m(p.overdue)} · ${plural(p.overdueDays, "day", "days")}`, tone: "danger" };
  }
}

/** "Next due 20 Dec: €300.00", or nothing (an amount already late shows as overdue instead). */
export function nextDue(p: PackageView, currency: string, today: string): string {
  return p.nextDue && p.nextDue.dueOn >= today ? `Next due ${date(p.nextDue.dueOn)}: ${money(p.nextDue.amount, currency)}` : "";
}
