//! Offerings as the Offerings screen and the sale sheet list them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::validity::Validity;
use crate::error::Result;
use crate::store::{self, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Offering {
    pub id: String,
    pub name: String,
    pub sessions: u32,
    pub price: Decimal,
    pub validity: Validity,
    pub late_cancel_hours: Option<u32>,
    pub service: String,
    pub retired: bool,
    /// Its own low-balance mark (`None`: the practice's).
    pub low_balance_at: Option<u32>,
}

impl Store {
    /// Offerings on sale by name, then (with `include_retired`) the retired ones.
    pub fn offerings(&self, include_retired: bool) -> Result<Vec<Offering>> {
        self.read(|tx| store::offerings::list(tx.conn, tx.ctx()?.currency, include_retired))
    }

    pub fn offering(&self, id: &str) -> Result<Offering> {
        self.read(|tx| store::offerings::get(tx.conn, tx.ctx()?.currency, id))
    }
}
