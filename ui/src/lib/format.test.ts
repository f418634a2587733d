import { describe, expect, it } from "vitest";
import { daysBetween, money, plural, signed } from "./format";

describe("format", () => {
  it("formats decimal strings as money without float drift", () => {
    expect(money("0.30", "EUR")).toMatch(/0[.,]30/);
    expect(money("1200.00", "USD")).toMatch(/1,?200\.00/);
  });
  it("counts days across a month end", () => {
    expect(daysBetween("2026-11-25", "2026-12-09")).toBe(14);
    expect(daysBetween("2026-11-25", "2026-11-20")).toBe(-5);
  });
  it("words counts and signs", () => {
    expect(plural(1, "session", "sessions")).toBe("1 session");
    expect(plural(3, "session", "sessions")).toBe("3 sessions");
    expect(signed(10)).toBe("+10");
    expect(signed(-1)).toBe("-1");
  });
});
