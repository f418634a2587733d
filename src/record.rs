//! The views the screens read: the client list with live balances and the
//! client record (packages and timeline).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::clients::Client;
use crate::error::Result;
use crate::ledger::TimelineItem;
use crate::packages::PackageView;
use crate::store::Store;
use crate::text::fold;

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
    pub low: bool,
    /// The soonest expiry among active packages.
    pub expires_on: Option<NaiveDate>,
    pub expiring_soon: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientRecord {
    pub client: Client,
    /// Newest sale first.
    pub packages: Vec<PackageView>,
    /// Newest first.
    pub timeline: Vec<TimelineItem>,
}

impl Store {
    /// Clients whose name, email or phone contains `query` (case and accents
    /// ignored), by name, each with the live balance of its active packages.
    pub fn client_list(&self, query: &str) -> Result<Vec<ClientSummary>> {
        let t = self.thresholds()?;
        let needle = fold(query.trim());
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.name, c.email, c.phone FROM clients c WHERE c.archived = 0
             ORDER BY c.name COLLATE NOCASE, c.id",
        )?;
        let mut list: Vec<ClientSummary> = stmt
            .query_map([], |r| {
                Ok(ClientSummary {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    email: r.get(2)?,
                    phone: r.get(3)?,
                    remaining: 0,
                    total: 0,
                    active_packages: 0,
                    low: false,
                    expires_on: None,
                    expiring_soon: false,
                })
            })?
            .filter(|row| match row {
                Ok(c) if !needle.is_empty() => {
                    fold(&c.name).contains(&needle)
                        || c.email.to_lowercase().contains(&needle)
                        || (!c.phone.is_empty() && c.phone.contains(needle.as_str()))
                }
                _ => true,
            })
            .collect::<rusqlite::Result<_>>()?;
        // Balances of packages that still hold credits, summed in one pass over
        // the ledger; used-up packages drop out in HAVING.
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.client_id, p.sessions, p.expires_on, sum(e.delta)
             FROM packages p JOIN ledger_entries e ON e.package_id = p.id
             WHERE p.expires_on IS NULL OR p.expires_on >= ?1
             GROUP BY p.id HAVING sum(e.delta) > 0",
        )?;
        let mut active: HashMap<String, Vec<(u32, Option<NaiveDate>, u32)>> = HashMap::new();
        for row in stmt.query_map([t.today], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, Option<NaiveDate>>(2)?,
                r.get::<_, u32>(3)?,
            ))
        })? {
            let (client, sessions, expires, remaining) = row?;
            active
                .entry(client)
                .or_default()
                .push((sessions, expires, remaining));
        }
        for c in &mut list {
            if let Some(packages) = active.get(&c.id) {
                c.active_packages = packages.len() as u32;
                c.total = packages.iter().map(|p| p.0).sum();
                c.remaining = packages.iter().map(|p| p.2).sum();
                c.expires_on = packages.iter().filter_map(|p| p.1).min();
                c.low = c.remaining <= t.low_balance;
                c.expiring_soon = c
                    .expires_on
                    .is_some_and(|e| (e - t.today).num_days() <= i64::from(t.expiring_soon_days));
            }
        }
        Ok(list)
    }

    pub fn client_record(&self, client_id: &str) -> Result<ClientRecord> {
        let client = self.client(client_id)?;
        let packages = self.client_packages(client_id)?;
        let mut timeline = self.history(client_id)?;
        timeline.reverse();
        Ok(ClientRecord {
            client,
            packages,
            timeline,
        })
    }
}
