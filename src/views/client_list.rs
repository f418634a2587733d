//! The client list: every client with the live balance of its active
//! packages and the flags the one rule decides.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::package::{self, Balance, Flags, PackageState};
use crate::error::Result;
use crate::store::{self, Store};
use crate::text;

/// A row of the client list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientSummary {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Sessions left across the client's active packages.
    pub remaining: u32,
    /// Sessions bought in those active packages.
    pub total: u32,
    pub active_packages: u32,
    /// Any active package is low.
    pub low: bool,
    /// The soonest expiry among active packages.
    pub expires_on: Option<NaiveDate>,
    /// Any active package is expiring soon.
    pub expiring_soon: bool,
}

struct Live {
    sessions: u32,
    balance: Balance,
    flags: Flags,
}

impl Store {
    /// Clients whose name, email or phone contains `query` (case and accents
    /// ignored), by name, each with the live balance of its active packages.
    pub fn client_list(&self, query: &str) -> Result<Vec<ClientSummary>> {
        let needle = text::fold(query.trim());
        self.read(|tx| {
            let ctx = tx.ctx()?;
            let mut live: HashMap<String, Vec<Live>> = HashMap::new();
            for p in store::packages::live_balances(tx.conn, ctx.today)? {
                let balance = Balance {
                    remaining: p.remaining,
                    expires_on: p.expires_on,
                };
                let flags = package::flags(balance, ctx.today, ctx.thresholds);
                if flags.state == PackageState::Active {
                    live.entry(p.client_id).or_default().push(Live {
                        sessions: p.sessions,
                        balance,
                        flags,
                    });
                }
            }
            Ok(store::clients::all_active(tx.conn)?
                .into_iter()
                .filter(|c| {
                    needle.is_empty()
                        || text::fold(&c.name).contains(&needle)
                        || c.email.to_lowercase().contains(&needle)
                        || (!c.phone.is_empty() && c.phone.contains(needle.as_str()))
                })
                .map(|c| {
                    let packages = live.get(&c.id).map(Vec::as_slice).unwrap_or(&[]);
                    let (low, expiring_soon) =
                        package::client_flags(packages.iter().map(|p| &p.flags));
                    ClientSummary {
                        remaining: packages.iter().map(|p| p.balance.remaining).sum(),
                        total: packages.iter().map(|p| p.sessions).sum(),
                        active_packages: packages.len() as u32,
                        expires_on: packages.iter().filter_map(|p| p.balance.expires_on).min(),
                        low,
                        expiring_soon,
                        id: c.id,
                        name: c.name,
                        email: c.email,
                        phone: c.phone,
                    }
                })
                .collect())
        })
    }
}
