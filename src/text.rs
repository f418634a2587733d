//! Checks for what people type: trimmed text with a length limit, counts and
//! dates typed as text. Each failure names the form field it belongs to.

use chrono::{NaiveDate, NaiveTime};

use crate::error::{Error, Result};

pub(crate) fn required(
    text: &str,
    field: &'static str,
    missing: &str,
    max_chars: usize,
) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::validation(field, missing));
    }
    optional(t, field, max_chars)
}

pub(crate) fn optional(text: &str, field: &'static str, max_chars: usize) -> Result<String> {
    let t = text.trim();
    if t.chars().count() > max_chars {
        return Err(Error::validation(
            field,
            format!("Keep this under {max_chars} characters."),
        ));
    }
    Ok(t.to_owned())
}

pub(crate) fn parse_count(text: &str, field: &'static str, min: u32, max: u32) -> Result<u32> {
    let t = text.trim();
    match t.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(Error::validation(
            field,
            format!("Enter a whole number from {min} to {max}."),
        )),
    }
}

pub(crate) fn parse_date(text: &str, field: &'static str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::validation(field, "Enter a date as YYYY-MM-DD."))
}

/// An optional wall-clock time, `HH:MM`; empty means "not given".
pub(crate) fn parse_time(text: &str, field: &'static str) -> Result<Option<String>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveTime::parse_from_str(t, "%H:%M")
        .map(|time| Some(time.format("%H:%M").to_string()))
        .map_err(|_| {
            Error::validation(field, "Enter a time as HH:MM (24-hour), or leave it empty.")
        })
}

/// Lower-cased with all white space removed: "Ana  Souza" and "ana souza" match.
pub(crate) fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Case- and accent-insensitive form for type-ahead search ("zoe" finds "Zoë").
pub(crate) fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("Ana Souza", "anasouza")]
    #[case("  ANA   souza ", "anasouza")]
    #[case("Zoë Ångström", "zoëångström")]
    fn name_keys_ignore_case_and_spaces(#[case] name: &str, #[case] key: &str) {
        assert_eq!(name_key(name), key);
    }

    #[rstest]
    #[case("09:30", Some("09:30"))]
    #[case("9:05", Some("09:05"))]
    #[case("", None)]
    fn times(#[case] input: &str, #[case] expected: Option<&str>) {
        assert_eq!(parse_time(input, "time").unwrap().as_deref(), expected);
    }

    #[rstest]
    #[case("25:00")]
    #[case("noon")]
    fn bad_times(#[case] input: &str) {
        assert_eq!(parse_time(input, "time").unwrap_err().field(), Some("time"));
    }

    #[test]
    fn folding_finds_accented_names() {
        assert_eq!(fold("Zoë Ångström-Núñez"), "zoe angstrom-nunez");
    }
}
