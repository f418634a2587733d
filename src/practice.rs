//! Practice settings: one row, asked once at first run, editable in Settings.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, Result};
use crate::money::Currency;
use crate::store::Store;
use crate::text::{parse_count, required};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Practice {
    pub name: String,
    pub currency: String,
    pub time_zone: String,
    pub low_balance_threshold: u32,
    pub expiring_soon_days: u32,
    pub late_cancel_hours: u32,
}

/// What the Settings form sends; numbers arrive as typed and are checked here.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PracticeInput {
    pub name: String,
    pub currency: String,
    pub time_zone: String,
    pub low_balance_threshold: String,
    pub expiring_soon_days: String,
    pub late_cancel_hours: String,
}

impl PracticeInput {
    /// First-run input: a name and a currency; everything else has a sensible default.
    pub fn first_run(name: &str, currency: &str, time_zone: &str) -> Self {
        PracticeInput {
            name: name.into(),
            currency: currency.into(),
            time_zone: time_zone.into(),
            low_balance_threshold: "2".into(),
            expiring_soon_days: "14".into(),
            late_cancel_hours: "24".into(),
        }
    }
}

fn not_set_up() -> Error {
    Error::Conflict("Set up the practice first: its name and currency.".into())
}

/// `zone` when it is a time zone name we know, else UTC: an unusual system
/// setting must never block the first run.
pub fn time_zone_or_utc(zone: &str) -> String {
    match zone.parse::<chrono_tz::Tz>() {
        Ok(_) => zone.to_owned(),
        Err(_) => "UTC".to_owned(),
    }
}

struct Valid {
    name: String,
    currency: Currency,
    time_zone: String,
    low: u32,
    soon: u32,
    late: u32,
}

fn validate(input: &PracticeInput) -> Result<Valid> {
    let name = required(&input.name, "name", "Give the practice a name.", 200)?;
    let currency = Currency::parse(&input.currency)?;
    let time_zone = input.time_zone.trim();
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(Error::validation(
            "timeZone",
            format!("“{time_zone}” is not a time zone name (for example Europe/Lisbon)."),
        ));
    }
    Ok(Valid {
        name,
        currency,
        time_zone: time_zone.to_owned(),
        low: parse_count(&input.low_balance_threshold, "lowBalanceThreshold", 0, 1000)?,
        soon: parse_count(&input.expiring_soon_days, "expiringSoonDays", 0, 366)?,
        late: parse_count(&input.late_cancel_hours, "lateCancelHours", 0, 720)?,
    })
}

impl Store {
    pub fn practice(&self) -> Result<Option<Practice>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, currency, time_zone, low_balance_threshold, expiring_soon_days,
                        late_cancel_hours FROM practice WHERE id = 1",
                [],
                |r| {
                    Ok(Practice {
                        name: r.get(0)?,
                        currency: r.get(1)?,
                        time_zone: r.get(2)?,
                        low_balance_threshold: r.get(3)?,
                        expiring_soon_days: r.get(4)?,
                        late_cancel_hours: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// The practice, or a clear error when the first-run set-up has not happened.
    pub fn require_practice(&self) -> Result<Practice> {
        self.practice()?.ok_or_else(not_set_up)
    }

    pub(crate) fn currency(&self) -> Result<Currency> {
        let (code, exponent): (String, u32) = self
            .conn
            .query_row(
                "SELECT currency, currency_exponent FROM practice WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(not_set_up)?;
        Ok(Currency { code, exponent })
    }

    /// Creates the settings on first run, or updates them. The currency can only
    /// change while no price or payment has been written in the old one.
    pub fn save_practice(&mut self, input: &PracticeInput) -> Result<Practice> {
        let v = validate(input)?;
        self.write(|tx, now| {
            let old: Option<String> = tx
                .query_row("SELECT currency FROM practice WHERE id = 1", [], |r| r.get(0))
                .optional()?;
            if let Some(old) = &old {
                if *old != v.currency.code {
                    let money_rows: i64 = tx.query_row(
                        "SELECT (SELECT count(*) FROM offerings) + (SELECT count(*) FROM packages)",
                        [],
                        |r| r.get(0),
                    )?;
                    if money_rows > 0 {
                        return Err(Error::validation(
                            "currency",
                            format!(
                                "Prices are already recorded in {old}; the currency can no longer change."
                            ),
                        ));
                    }
                }
            }
            tx.execute(
                "INSERT INTO practice (id, name, currency, currency_exponent, time_zone,
                     low_balance_threshold, expiring_soon_days, late_cancel_hours, created_at, updated_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, currency = excluded.currency,
                     currency_exponent = excluded.currency_exponent, time_zone = excluded.time_zone,
                     low_balance_threshold = excluded.low_balance_threshold,
                     expiring_soon_days = excluded.expiring_soon_days,
                     late_cancel_hours = excluded.late_cancel_hours, updated_at = excluded.updated_at",
                params![
                    v.name,
                    v.currency.code,
                    v.currency.exponent,
                    v.time_zone,
                    v.low,
                    v.soon,
                    v.late,
                    now
                ],
            )?;
            Ok(())
        })?;
        self.require_practice()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_run_then_edit() {
        let mut s = Store::open_in_memory().unwrap();
        assert_eq!(s.practice().unwrap(), None);
        let p = s
            .save_practice(&PracticeInput::first_run(
                "Move Well",
                "eur",
                "Europe/Lisbon",
            ))
            .unwrap();
        assert_eq!(p.currency, "EUR");
        assert_eq!(p.low_balance_threshold, 2);
        let mut edit = PracticeInput::first_run("Move Well Studio", "EUR", "Europe/Lisbon");
        edit.low_balance_threshold = "3".into();
        let p = s.save_practice(&edit).unwrap();
        assert_eq!(p.name, "Move Well Studio");
        assert_eq!(p.low_balance_threshold, 3);
    }

    #[test]
    fn unknown_system_zones_fall_back_to_utc() {
        assert_eq!(time_zone_or_utc("Europe/Lisbon"), "Europe/Lisbon");
        assert_eq!(time_zone_or_utc("Local/Unknown"), "UTC");
    }

    #[test]
    fn bad_input_names_its_field_and_changes_nothing() {
        let mut s = Store::open_in_memory().unwrap();
        for (input, field) in [
            (PracticeInput::first_run(" ", "EUR", "UTC"), "name"),
            (PracticeInput::first_run("A", "EURO", "UTC"), "currency"),
            (
                PracticeInput::first_run("A", "EUR", "Mars/Base"),
                "timeZone",
            ),
        ] {
            assert_eq!(s.save_practice(&input).unwrap_err().field(), Some(field));
        }
        assert_eq!(s.practice().unwrap(), None);
    }
}
