//! The credit ledger: append-only entries whose sum is a package's balance,
//! reversals, and the per-client history (timeline) replayed from them.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, Result};
use crate::store::Store;
use crate::text::optional;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum EventKind {
    Purchase,
    Session,
    LateCancel,
    NoShow,
    Adjustment,
    TransferIn,
    TransferOut,
    Expiry,
    Reversal,
    Payment,
    Refund,
}

impl EventKind {
    fn from_db(kind: &str) -> rusqlite::Result<Self> {
        Ok(match kind {
            "purchase" => EventKind::Purchase,
            "session" => EventKind::Session,
            "late_cancel" => EventKind::LateCancel,
            "no_show" => EventKind::NoShow,
            "adjustment" => EventKind::Adjustment,
            "transfer_in" => EventKind::TransferIn,
            "transfer_out" => EventKind::TransferOut,
            "expiry" => EventKind::Expiry,
            "reversal" => EventKind::Reversal,
            "payment" => EventKind::Payment,
            "refund" => EventKind::Refund,
            other => {
                return Err(rusqlite::Error::FromSqlConversionFailure(
                    0,
                    rusqlite::types::Type::Text,
                    format!("unknown event kind {other}").into(),
                ))
            }
        })
    }

    /// Plain words, as shown in the timeline and written to CSV.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Purchase => "Package purchased",
            EventKind::Session => "Session completed",
            EventKind::LateCancel => "Late cancellation",
            EventKind::NoShow => "No-show",
            EventKind::Adjustment => "Adjustment",
            EventKind::TransferIn => "Transfer in",
            EventKind::TransferOut => "Transfer out",
            EventKind::Expiry => "Unused sessions expired",
            EventKind::Reversal => "Reversal",
            EventKind::Payment => "Payment received",
            EventKind::Refund => "Refund",
        }
    }
}

/// One line of a client's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TimelineItem {
    /// The ledger entry's or payment's stable id.
    pub id: String,
    pub date: NaiveDate,
    /// `HH:MM`, when known.
    pub time: Option<String>,
    pub kind: EventKind,
    pub label: String,
    pub package_id: String,
    pub package_name: String,
    pub package_sold_on: NaiveDate,
    /// The signed change in sessions; `None` for money-only events.
    pub sessions: Option<i32>,
    /// That package's remaining sessions after this event.
    pub balance_after: i32,
    pub amount: Option<Decimal>,
    pub note: String,
    /// The entry this one reverses.
    pub reverses: Option<String>,
    /// The reversal that cancelled this entry.
    pub reversed_by: Option<String>,
    /// A ledger entry that can still be reversed.
    pub reversible: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Reversed {
    pub entry_id: String,
    pub package_id: String,
    pub remaining: u32,
}

struct Raw {
    item: TimelineItem,
    recorded_at: String,
    source: u8,
    seq: i64,
}

impl Store {
    /// Corrects a mistaken entry by appending its mirror image, recorded now.
    /// Reversing a session takes effect at the session's date and time, so a
    /// replay shows the balance as it truly was.
    pub fn reverse_entry(&mut self, entry_id: &str, note: &str) -> Result<Reversed> {
        let note = optional(note, "note", 2000)?;
        let entry = self
            .conn
            .query_row(
                "SELECT e.package_id, e.kind, e.delta, e.occurred_on, e.occurred_time, e.session_id,
                        (SELECT r.id FROM ledger_entries r WHERE r.reverses_id = e.id),
                        (SELECT coalesce(sum(b.delta), 0) FROM ledger_entries b
                          WHERE b.package_id = e.package_id)
                 FROM ledger_entries e WHERE e.id = ?1",
                [entry_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, i64>(7)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| Error::NotFound("That history line no longer exists.".into()))?;
        let (package_id, kind, delta, on, time, session_id, reversed_by, balance) = entry;
        if kind == "reversal" {
            return Err(Error::Conflict(
                "A reversal can't itself be reversed; record the event again instead.".into(),
            ));
        }
        if reversed_by.is_some() {
            return Err(Error::Conflict("That line was already reversed.".into()));
        }
        if balance - delta < 0 {
            return Err(Error::Conflict(
                "Sessions were already drawn from this package; reverse those first.".into(),
            ));
        }
        // Taking back a credit (a purchase, say) takes effect after everything
        // already on the package, so a replay of the history never dips below
        // zero; taking back a debit takes effect where the debit was.
        let (on, time) = if delta > 0 {
            self.conn.query_row(
                "SELECT occurred_on, occurred_time FROM ledger_entries WHERE package_id = ?1
                 ORDER BY occurred_on DESC, coalesce(occurred_time, '') DESC LIMIT 1",
                [&package_id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)),
            )?
        } else {
            (on, time)
        };
        let id = self.new_id("le");
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO ledger_entries (id, package_id, kind, delta, occurred_on, occurred_time,
                     session_id, reverses_id, note, recorded_at)
                 VALUES (?1, ?2, 'reversal', ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![id, package_id, -delta, on, time, session_id, entry_id, note, now],
            )?;
            // The session the entry paid for did not happen as recorded.
            if let Some(session_id) = &session_id {
                tx.execute(
                    "UPDATE sessions SET status = 'cancelled', updated_at = ?2 WHERE id = ?1",
                    params![session_id, now],
                )?;
            }
            Ok(())
        })?;
        let remaining = self.package(&package_id)?.remaining;
        Ok(Reversed {
            entry_id: id,
            package_id,
            remaining,
        })
    }

    /// A client's whole history, oldest first, each line with the balance of
    /// its package after it.
    pub fn history(&self, client_id: &str) -> Result<Vec<TimelineItem>> {
        let currency = self.currency()?;
        let mut raws: Vec<Raw> = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.id, e.occurred_on, e.occurred_time, e.kind, e.package_id, p.name, p.sold_on,
                    e.delta, e.note, e.reverses_id,
                    (SELECT r.id FROM ledger_entries r WHERE r.reverses_id = e.id),
                    e.recorded_at, e.seq,
                    CASE e.kind WHEN 'purchase' THEN p.price_minor END
             FROM ledger_entries e JOIN packages p ON p.id = e.package_id
             WHERE p.client_id = ?1",
        )?;
        let rows = stmt.query_map([client_id], |r| {
            let kind = EventKind::from_db(&r.get::<_, String>(3)?)?;
            let reversed_by: Option<String> = r.get(10)?;
            Ok(Raw {
                item: TimelineItem {
                    id: r.get(0)?,
                    date: r.get(1)?,
                    time: r.get(2)?,
                    kind,
                    label: kind.label().to_owned(),
                    package_id: r.get(4)?,
                    package_name: r.get(5)?,
                    package_sold_on: r.get(6)?,
                    sessions: Some(r.get(7)?),
                    balance_after: 0,
                    amount: r.get::<_, Option<i64>>(13)?.map(|m| currency.from_minor(m)),
                    note: r.get(8)?,
                    reverses: r.get(9)?,
                    reversible: kind != EventKind::Reversal && reversed_by.is_none(),
                    reversed_by,
                },
                recorded_at: r.get(11)?,
                source: 0,
                seq: r.get(12)?,
            })
        })?;
        for row in rows {
            raws.push(row?);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.paid_on, a.kind, a.package_id, p.name, p.sold_on, a.amount_minor,
                    trim(a.method || CASE WHEN a.method <> '' AND a.note <> '' THEN ' · ' ELSE '' END || a.note),
                    a.recorded_at, a.seq
             FROM payments a JOIN packages p ON p.id = a.package_id
             WHERE p.client_id = ?1",
        )?;
        let rows = stmt.query_map([client_id], |r| {
            let kind = EventKind::from_db(&r.get::<_, String>(2)?)?;
            let minor: i64 = r.get(6)?;
            let signed = if kind == EventKind::Refund {
                -minor
            } else {
                minor
            };
            Ok(Raw {
                item: TimelineItem {
                    id: r.get(0)?,
                    date: r.get(1)?,
                    time: None,
                    kind,
                    label: kind.label().to_owned(),
                    package_id: r.get(3)?,
                    package_name: r.get(4)?,
                    package_sold_on: r.get(5)?,
                    sessions: None,
                    balance_after: 0,
                    amount: Some(currency.from_minor(signed)),
                    note: r.get(7)?,
                    reverses: None,
                    reversed_by: None,
                    reversible: false,
                },
                recorded_at: r.get(8)?,
                source: 1,
                seq: r.get(9)?,
            })
        })?;
        for row in rows {
            raws.push(row?);
        }
        raws.sort_by(|a, b| {
            (
                a.item.date,
                a.item.time.as_deref().unwrap_or(""),
                &a.recorded_at,
                a.source,
                a.seq,
            )
                .cmp(&(
                    b.item.date,
                    b.item.time.as_deref().unwrap_or(""),
                    &b.recorded_at,
                    b.source,
                    b.seq,
                ))
        });
        let mut balances: HashMap<String, i32> = HashMap::new();
        Ok(raws
            .into_iter()
            .map(|mut raw| {
                let balance = balances.entry(raw.item.package_id.clone()).or_insert(0);
                *balance += raw.item.sessions.unwrap_or(0);
                raw.item.balance_after = *balance;
                raw.item
            })
            .collect())
    }
}
