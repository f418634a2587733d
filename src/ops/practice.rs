//! Practice settings: asked once at first run, editable in Settings.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::changes::Topic;
use crate::context::Settings;
use crate::domain::terms::MAX_LATE_CANCEL_HOURS;
use crate::error::{Check, Error, Result};
use crate::money::Currency;
use crate::store::{self, Store};
use crate::text;
use crate::views::practice::Practice;

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

/// `zone` when it is a time zone name we know, else UTC: an unusual system
/// setting must never block the first run.
pub fn time_zone_or_utc(zone: &str) -> String {
    match zone.parse::<chrono_tz::Tz>() {
        Ok(_) => zone.to_owned(),
        Err(_) => "UTC".to_owned(),
    }
}

fn parse(input: &PracticeInput) -> Result<Settings> {
    let mut c = Check::new();
    let name = c.field(
        "name",
        text::required(&input.name, "Give the practice a name.", 200),
    );
    let currency = c.opt("currency", Currency::parse(&input.currency));
    let time_zone = input.time_zone.trim().to_owned();
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        c.fail(
            "timeZone",
            format!("“{time_zone}” is not a time zone name (for example Europe/Lisbon)."),
        );
    }
    let low = c.field(
        "lowBalanceThreshold",
        text::count(&input.low_balance_threshold, 0, 1000),
    );
    let soon = c.field(
        "expiringSoonDays",
        text::count(&input.expiring_soon_days, 0, 366),
    );
    let late = c.field(
        "lateCancelHours",
        text::count(&input.late_cancel_hours, 0, MAX_LATE_CANCEL_HOURS),
    );
    c.done()?;
    let currency = currency.unwrap_or_else(|| Currency::from_stored("EUR", 2));
    Ok(Settings {
        name,
        currency: currency.code().to_owned(),
        currency_exponent: currency.exponent(),
        time_zone,
        low_balance_threshold: low,
        expiring_soon_days: soon,
        late_cancel_hours: late,
    })
}

impl Store {
    /// Creates the settings on first run, or updates them. The currency can only
    /// change while no price or payment has been written in the old one.
    pub fn save_practice(&mut self, input: &PracticeInput) -> Result<Practice> {
        let settings = parse(input)?;
        self.write(|tx| {
            if let Some(old) = store::practice::get(tx.conn)? {
                if old.currency != settings.currency && store::practice::priced_rows(tx.conn)? > 0 {
                    return Err(Error::field(
                        "currency",
                        format!(
                            "Prices are already recorded in {}; the currency can no longer change.",
                            old.currency
                        ),
                    ));
                }
            }
            store::practice::save(tx.conn, &settings, &tx.now_text())?;
            tx.touch(Topic::Practice);
            Ok(settings.clone().into())
        })
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
        assert_eq!(s.take_changes().topics, [Topic::Practice]);
    }

    #[test]
    fn unknown_system_zones_fall_back_to_utc() {
        assert_eq!(time_zone_or_utc("Europe/Lisbon"), "Europe/Lisbon");
        assert_eq!(time_zone_or_utc("Local/Unknown"), "UTC");
    }

    #[test]
    fn bad_input_names_every_field_and_changes_nothing() {
        let mut s = Store::open_in_memory().unwrap();
        for (input, fields) in [
            (PracticeInput::first_run(" ", "EUR", "UTC"), vec!["name"]),
            (
                PracticeInput::first_run("A", "EURO", "UTC"),
                vec!["currency"],
            ),
            (
                PracticeInput::first_run("A", "EUR", "Mars/Base"),
                vec!["timeZone"],
            ),
            (
                PracticeInput::first_run("", "", ""),
                vec!["name", "currency", "timeZone"],
            ),
        ] {
            assert_eq!(s.save_practice(&input).unwrap_err().fields(), fields);
        }
        assert_eq!(s.practice().unwrap(), None);
    }
}
