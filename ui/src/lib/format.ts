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

/** A file's size as the user's locale writes it: "840 kB", "645 MB", "6.6 GB". */
export function fileSize(bytes: number, locale: string = LOCALE): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;
  let i = 0;
  let n = bytes;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit: units[i],
    unitDisplay: i === 0 ? "long" : "short",
    maximumFractionDigits: n < 10 && i > 0 ? 1 : 0,
  }).format(n);
}

/** Time gone by, as a clock reads it: "0:07", "2:36", "1:02:05". */
export function elapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}
