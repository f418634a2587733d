// Words written once and used by every screen that says the same thing.
import type { Validity } from "./bindings";
import { date, plural } from "./format";

/** An offering's validity in a table or a sentence: "90 days after purchase". */
export function validityText(v: Validity): string {
  if (v.kind === "days") return `${plural(v.days, "day", "days")} after purchase`;
  if (v.kind === "firstUse") return `${plural(v.days, "day", "days")} after the first session`;
  if (v.kind === "until") return `until ${date(v.date)}`;
  return "No expiry";
}

/** The same inside a sentence: "valid 90 days after purchase", "no expiry". */
export function validityPhrase(v: Validity): string {
  return v.kind === "none" ? "no expiry" : `valid ${validityText(v)}`;
}
