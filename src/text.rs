//! What people type, cleaned and checked the same way in every field: text
//! (invisible and control characters), counts, dates and times. Each check
//! returns the message only; [`crate::error::Check`] files it under its field.

use chrono::{NaiveDate, NaiveTime};

pub(crate) type Checked<T> = std::result::Result<T, String>;

/// The calendar range Punchcard accepts: a four-digit year, nothing absurd.
pub(crate) const FIRST_YEAR: i32 = 1900;
pub(crate) const LAST_YEAR: i32 = 2200;

/// Characters that are invisible on screen and mean nothing in a name or a
/// note: zero-width space, word joiner, byte-order mark, soft hyphen. (The
/// zero-width joiners are kept: emoji and several scripts need them.)
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
    )
}

/// Characters that show nothing on their own: joiners and variation selectors.
fn shows_nothing(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}')
}

/// Bidirectional embedding and override controls: they reorder what is shown
/// without being seen ("Trojan Source"); right-to-left text itself needs none.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Cleans one line of text (a name, an email, a label): invisible characters
/// and bidi controls are dropped, tabs and line breaks become spaces, runs of
/// spaces collapse, and the ends are trimmed. Any other control character (NUL,
/// escape sequences) is refused.
pub(crate) fn line(text: &str, max_chars: usize) -> Checked<String> {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if is_invisible(c) || is_bidi_control(c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if c.is_control() {
            return Err(control_message(c));
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    limit(out, max_chars)
}

/// Cleans free text that may span lines (notes): line ends become `\n`,
/// invisible characters and bidi controls are dropped, trailing spaces on each
/// line and blank lines at the ends are trimmed; other control characters are
/// refused.
pub(crate) fn multiline(text: &str, max_chars: usize) -> Checked<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible(c) || is_bidi_control(c) {
            continue;
        }
        if c.is_control() && c != '\n' && c != '\t' {
            return Err(control_message(c));
        }
        out.push(c);
    }
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    limit(lines.join("\n").trim().to_owned(), max_chars)
}

fn control_message(c: char) -> String {
    format!(
        "Remove the hidden control character (U+{:04X}) from this text; it was probably pasted by accident.",
        u32::from(c)
    )
}

fn limit(text: String, max_chars: usize) -> Checked<String> {
    let n = text.chars().count();
    if n > max_chars {
        return Err(format!(
            "Keep this under {max_chars} characters (it has {n})."
        ));
    }
    Ok(text)
}

/// A required single line: empty (or only invisible characters) gets `missing`.
pub(crate) fn required(text: &str, missing: &str, max_chars: usize) -> Checked<String> {
    let t = line(text, max_chars)?;
    if t.chars().all(shows_nothing) {
        return Err(missing.to_owned());
    }
    Ok(t)
}

pub(crate) fn count(text: &str, min: u32, max: u32) -> Checked<u32> {
    let t = text.trim();
    match t.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("Enter a whole number from {min} to {max}.")),
    }
}

/// A change in a count as typed: `2`, `+2`, `-1` (or `−1`), never zero,
/// at most `max` either way.
pub(crate) fn signed_count(text: &str, max: u32) -> Option<i32> {
    let t = text.trim();
    let (negative, digits) = match t.chars().next()? {
        '+' => (false, &t[1..]),
        '-' => (true, &t[1..]),
        '\u{2212}' => (true, &t['\u{2212}'.len_utf8()..]),
        _ => (false, t),
    };
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    if n == 0 || n > max {
        return None;
    }
    let n = i32::try_from(n).ok()?;
    Some(if negative { -n } else { n })
}

/// A calendar day, `YYYY-MM-DD` with a four-digit year from 1900 to 2200.
/// A well-formed day that does not exist (`2026-02-30`) is named as such.
pub(crate) fn date(text: &str) -> Checked<NaiveDate> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter a date.".into());
    }
    let parts: Vec<&str> = t.split('-').collect();
    let shaped = parts.len() == 3
        && parts[0].len() == 4
        && (1..=2).contains(&parts[1].len())
        && (1..=2).contains(&parts[2].len())
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !shaped {
        return Err("Enter a date as YYYY-MM-DD, with a four-digit year.".into());
    }
    let (y, m, d): (i32, u32, u32) = (
        parts[0].parse().unwrap_or(0),
        parts[1].parse().unwrap_or(0),
        parts[2].parse().unwrap_or(0),
    );
    if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
        return Err(format!("Enter a year from {FIRST_YEAR} to {LAST_YEAR}."));
    }
    if !(1..=12).contains(&m) {
        return Err(format!("There is no month {m}: use 1 to 12."));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        let last = last_day_of_month(y, m);
        format!(
            "{} has only {last} days: {t} does not exist.",
            month_name(y, m)
        )
    })
}

/// A day in the accepted range (for dates computed rather than typed).
pub(crate) fn in_range(day: NaiveDate) -> bool {
    use chrono::Datelike;
    (FIRST_YEAR..=LAST_YEAR).contains(&day.year())
}

fn last_day_of_month(y: i32, m: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|d| NaiveDate::from_ymd_opt(y, m, *d).is_some())
        .unwrap_or(28)
}

fn month_name(y: i32, m: u32) -> String {
    NaiveDate::from_ymd_opt(y, m, 1)
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_default()
}

/// An optional wall-clock time, `HH:MM`; empty means "not given".
pub(crate) fn time(text: &str) -> Checked<Option<String>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveTime::parse_from_str(t, "%H:%M")
        .map(|time| Some(time.format("%H:%M").to_string()))
        .map_err(|_| "Enter a time as HH:MM (24-hour), or leave it empty.".into())
}

/// Lower-cased with all white space removed: "Ana  Souza" and "ana souza"
/// are the same name for the duplicate warning.
pub(crate) fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Case- and accent-insensitive form ("Zoë" → "zoe"). Characters with no
/// Latin reading (emoji) fold to nothing, so they never match a search.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if !c.is_alphanumeric() {
            // Symbols and emoji are not letters: they separate, never match.
            out.push(' ');
        } else if let Some(s) = deunicode::deunicode_char(c) {
            if s.chars().all(|x| x.is_ascii_alphanumeric() || x == ' ') {
                out.extend(s.chars().map(|x| x.to_ascii_lowercase()));
            }
        }
    }
    out
}

/// The form names are searched and sorted in: folded, with punctuation gone
/// ("O'Brien" → "obrien") and single spaces between words.
pub(crate) fn search_key(text: &str) -> String {
    // Apostrophes and dots join ("O'Brien", "St. John"); other punctuation separates.
    let joined: String = text
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | '‘' | '`' | '´' | 'ʼ' | '.'))
        .collect();
    fold(&joined)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The key names sort by: folded like [`search_key`], with each run of digits
/// padded so "5-session" comes before "10-session".
pub(crate) fn sort_key(text: &str) -> String {
    let key = search_key(text);
    let mut out = String::with_capacity(key.len() + 8);
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if !digits.is_empty() {
            let trimmed = digits.trim_start_matches('0');
            let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
            out.push_str(&format!("{:0>10}", trimmed));
            digits.clear();
        }
    };
    for c in key.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

/// What a client is found by: name, email and phone digits, each folded as
/// a search query is folded, so a query matches as a substring.
pub(crate) fn search_document(name: &str, email: &str, phone: &str) -> String {
    [search_key(name), search_key(email), digits(phone)]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The digits of a phone number, for searching "912345" in "+351 912 345 678".
pub(crate) fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// "1 day", "3 days", "3,444 days".
pub fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

/// A whole number with its thousands set apart: "3,444".
pub(crate) fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    #[rstest::rstest]
    #[case(1, "1 day")]
    #[case(0, "0 days")]
    #[case(999, "999 days")]
    #[case(3444, "3,444 days")]
    #[case(1_234_567, "1,234,567 days")]
    #[case(-1200, "-1,200 days")]
    fn counts_set_their_thousands_apart(#[case] n: i64, #[case] said: &str) {
        assert_eq!(super::plural(n, "day", "days"), said);
    }

    #[rstest::rstest]
    #[case("2", Some(2))]
    #[case(" +2 ", Some(2))]
    #[case("-1", Some(-1))]
    #[case("\u{2212}3", Some(-3))]
    #[case("1000", Some(1000))]
    #[case("1001", None)]
    #[case("0", None)]
    #[case("-0", None)]
    #[case("+-1", None)]
    #[case("--1", None)]
    #[case("+", None)]
    #[case("1.5", None)]
    #[case("", None)]
    #[case("٣", None)]
    fn signed_counts(#[case] text: &str, #[case] expected: Option<i32>) {
        assert_eq!(super::signed_count(text, 1000), expected);
    }

    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("  Ana   Souza ", "Ana Souza")]
    #[case("Ana\tSouza\r\n", "Ana Souza")]
    #[case("\u{200B}Zoë\u{FEFF}", "Zoë")]
    #[case("\u{202E}evil", "evil")]
    #[case("שלום 👋", "שלום 👋")]
    #[case("👩🏽\u{200D}⚕\u{FE0F}", "👩🏽\u{200D}⚕\u{FE0F}")]
    fn lines_are_cleaned(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(line(input, 200).unwrap(), expected);
    }

    #[rstest]
    #[case("a\u{0}b")]
    #[case("\u{1b}[31mred")]
    #[case("bell\u{7}")]
    fn control_characters_are_refused(#[case] input: &str) {
        assert!(line(input, 200).unwrap_err().contains("control character"));
        assert!(multiline(input, 200).is_err());
    }

    #[test]
    fn invisible_only_counts_as_empty() {
        for blank in ["\u{200B}\u{FEFF}", "\u{200D}", "\u{200C}\u{FE0F}"] {
            assert_eq!(
                required(blank, "Enter a name.", 200).unwrap_err(),
                "Enter a name."
            );
        }
    }

    #[test]
    fn notes_keep_their_lines() {
        assert_eq!(multiline("one  \r\ntwo\r\n\r\n", 100).unwrap(), "one\ntwo");
        assert!(multiline(&"x".repeat(101), 100)
            .unwrap_err()
            .contains("under 100"));
    }

    #[rstest]
    #[case("2026-11-25", "2026-11-25")]
    #[case(" 2026-1-5 ", "2026-01-05")]
    #[case("2024-02-29", "2024-02-29")]
    #[case("1900-01-01", "1900-01-01")]
    #[case("2200-12-31", "2200-12-31")]
    fn dates(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(date(input).unwrap().to_string(), expected);
    }

    #[rstest]
    #[case("", "Enter a date")]
    #[case("26-11-25", "four-digit year")]
    #[case("202-11-25", "four-digit year")]
    #[case("0000-01-01", "from 1900 to 2200")]
    #[case("-0001-01-01", "four-digit year")]
    #[case("+10000-01-01", "four-digit year")]
    #[case("9999-12-31", "from 1900 to 2200")]
    #[case("1899-12-31", "from 1900 to 2200")]
    #[case("2026-02-30", "February 2026 has only 28 days")]
    #[case("2025-02-29", "only 28 days")]
    #[case("2026-13-01", "no month 13")]
    #[case("31/12/2026", "YYYY-MM-DD")]
    #[case("yesterday", "YYYY-MM-DD")]
    fn bad_dates(#[case] input: &str, #[case] message: &str) {
        let e = date(input).unwrap_err();
        assert!(e.contains(message), "{input}: {e}");
    }

    #[rstest]
    #[case("Zoë Ångström-Núñez", "zoe angstrom nunez")]
    #[case("Liam O'Brien", "liam obrien")]
    #[case("🎉 Party", "party")]
    #[case("Émile", "emile")]
    fn search_keys(#[case] text: &str, #[case] key: &str) {
        assert_eq!(search_key(text), key);
    }

    #[test]
    fn sort_keys_order_numbers_and_accents_as_people_expect() {
        let mut names = [
            "20-session pack",
            "Émile",
            "10-session pack",
            "Eva",
            "5-session pack",
            "ezra",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            [
                "5-session pack",
                "10-session pack",
                "20-session pack",
                "Émile",
                "Eva",
                "ezra"
            ]
        );
    }

    #[rstest]
    #[case("09:30", Some("09:30"))]
    #[case("9:05", Some("09:05"))]
    #[case("", None)]
    fn times(#[case] input: &str, #[case] expected: Option<&str>) {
        assert_eq!(time(input).unwrap().as_deref(), expected);
    }

    #[rstest]
    #[case("25:00")]
    #[case("noon")]
    fn bad_times(#[case] input: &str) {
        assert!(time(input).is_err());
    }

    #[rstest]
    #[case("Ana Souza", "anasouza")]
    #[case("  ANA   souza ", "anasouza")]
    #[case("Zoë Ångström", "zoëångström")]
    fn name_keys_ignore_case_and_spaces(#[case] name: &str, #[case] key: &str) {
        assert_eq!(name_key(name), key);
    }
}
