//! The practice's settings as the screens show them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::context::Settings;
use crate::error::{Error, Result};
use crate::store::{self, Store};

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

impl From<Settings> for Practice {
    fn from(s: Settings) -> Self {
        Practice {
            name: s.name,
            currency: s.currency,
            time_zone: s.time_zone,
            low_balance_threshold: s.low_balance_threshold,
            expiring_soon_days: s.expiring_soon_days,
            late_cancel_hours: s.late_cancel_hours,
        }
    }
}

impl Store {
    /// The practice's settings, or `None` before the first-run set-up.
    pub fn practice(&self) -> Result<Option<Practice>> {
        self.read(|tx| Ok(store::practice::get(tx.conn)?.map(Practice::from)))
    }

    /// The practice, or a clear error when the first-run set-up has not happened.
    pub fn require_practice(&self) -> Result<Practice> {
        self.practice()?.ok_or_else(|| {
            Error::Conflict("Set up the practice first: its name and currency.".into())
        })
    }

    /// Today's date in the practice's time zone (UTC before set-up).
    pub fn today(&self) -> Result<NaiveDate> {
        self.read(|tx| match tx.ctx() {
            Ok(ctx) => Ok(ctx.today),
            Err(Error::Conflict(_)) => Ok(tx.now().date_naive()),
            Err(e) => Err(e),
        })
    }
}
