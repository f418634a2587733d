import { describe, expect, it } from "vitest";
import { LOCALE, daysBetween, elapsed, fileSize, money, plural, signed, userLocale } from "./format";

describe("format", () => {
  it("formats decimal strings as money without float drift", () => {
    expect(money("0.30", "EUR")).toMatch(/0[.,]30/);
    expect(money("1200.00", "USD")).toMatch(/1,?200\.00/);
  });
  it("groups thousands as the locale does", () => {
    // (Intl puts a no-break space between number and symbol in some locales.)
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
    expect(plain(money("1400.00", "EUR", "en-IE"))).toBe("€1,400.00");
    expect(plain(money("1400.00", "EUR", "de-DE"))).toBe("1.400,00 €");
    expect(plain(money("1234567.5", "EUR", "fr-FR"))).toBe("1 234 567,50 €");
  });
  it("takes the system's language, and English grouping when the system names none", () => {
    expect(userLocale(["pt-PT", "en-GB"])).toBe("pt-PT");
    expect(userLocale(["C"])).toBe("en-US");
    expect(userLocale(["POSIX", "C.UTF-8"])).toBe("en-US");
    expect(userLocale(["C", "de-DE"])).toBe("de-DE");
    expect(userLocale([])).toBe("en-US");
    expect(money("1400.00", "EUR", userLocale(["C"]))).toBe("€1,400.00");
  });
  it("writes a file's size and time gone by plainly", () => {
    expect(fileSize(6_618_775_552, "en-US")).toBe("6.6 GB");
    expect(fileSize(644_657_152, "en-US")).toBe("645 MB");
    expect(fileSize(64_823_296, "de-DE")).toBe("65 MB");
    expect(fileSize(1_500_000, "de-DE")).toBe("1,5 MB");
    expect(fileSize(512, "en-US")).toBe("512 bytes");
    expect(elapsed(0)).toBe("0:00");
    expect(elapsed(7.9)).toBe("0:07");
    expect(elapsed(156)).toBe("2:36");
    expect(elapsed(3725)).toBe("1:02:05");
  });
  it("counts days across a month end", () => {
    expect(daysBetween("2026-11-25", "2026-12-09")).toBe(14);
    expect(daysBetween("2026-11-25", "2026-11-20")).toBe(-5);
  });
  it("words counts and signs", () => {
    expect(plural(1, "session", "sessions")).toBe("1 session");
    expect(plural(3, "session", "sessions")).toBe("3 sessions");
    expect(plural(3444, "day", "days")).toBe(`${new Intl.NumberFormat(LOCALE).format(3444)} days`);
    expect(plural(3444, "day", "days")).not.toBe("3444 days");
    expect(signed(10)).toBe("+10");
    expect(signed(-1)).toBe("-1");
  });
});
