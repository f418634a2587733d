// Money and dates in the practice's currency and the user's locale. Money
// arrives as a decimal string and is only ever formatted, never computed on.

/**
 * The user's locale: the first of the system's languages that names one. A
 * system with no locale set ("C", "POSIX") reads numbers as English does,
 * with thousands separators, rather than ICU's bare POSIX form ("1400.00").
 */
export function userLocale(languages: readonly string[] = globalThis.navigator?.languages ?? []): string {
  const named = languages.find((l) => l && !/^(c|posix)([._@-]|$)/i.test(l));
  return named ?? "en-US";
}

export const LOCALE = userLocale();

const moneyFormats = new Map<string, Intl.NumberFormat>();

export function money(amount: string, currency: string, locale: string = LOCALE): string {
  const key = `${locale} ${currency}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: "currency", currency });
    moneyFormats.set(key, f);
  }
  // Intl formats decimal strings exactly; the cast only satisfies older lib typings.
  return f.format(amount as unknown as number);
}

const dateFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeZone: "UTC" });
const weekdayFormat = new Intl.DateTimeFormat(LOCALE, {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

function utc(day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** A calendar day (`YYYY-MM-DD`) in the user's locale, e.g. "25 Nov 2026". */
export function date(day: string): string {
  return dateFormat.format(utc(day));
}

export function longDate(day: string): string {
  return weekdayFormat.format(utc(day));
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utc(to).getTime() - utc(from).getTime()) / 86_400_000);
}

const countFormat = new Intl.NumberFormat(LOCALE);

/** "1 session", "3 sessions", "3,444 days" (the thousands as the user's locale writes them). */
export function plural(n: number, one: string, many: string): string {
  return `${countFormat.format(n)} ${n === 1 ? one : many}`;
}

export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
