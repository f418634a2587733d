//! A client's history: one source per table (ledger entries, payments),
//! merged in time order, then replayed so each line carries its package's
//! balance after it.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::kinds::{EntryKind, PaymentKind};
use crate::error::Result;
use crate::store::{self, Store, Tx};

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

impl From<EntryKind> for EventKind {
    fn from(k: EntryKind) -> Self {
        match k {
            EntryKind::Purchase => EventKind::Purchase,
            EntryKind::Session => EventKind::Session,
            EntryKind::LateCancel => EventKind::LateCancel,
            EntryKind::NoShow => EventKind::NoShow,
            EntryKind::Adjustment => EventKind::Adjustment,
            EntryKind::TransferIn => EventKind::TransferIn,
            EntryKind::TransferOut => EventKind::TransferOut,
            EntryKind::Expiry => EventKind::Expiry,
            EntryKind::Reversal => EventKind::Reversal,
        }
    }
}

impl From<PaymentKind> for EventKind {
    fn from(k: PaymentKind) -> Self {
        match k {
            PaymentKind::Payment => EventKind::Payment,
            PaymentKind::Refund => EventKind::Refund,
        }
    }
}

/// One line of a client's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TimelineItem {
    /// The ledger entry's or payment's stable id.
    pub id: String,
    pub date: NaiveDate,
    /// `HH:MM`, when known.
    pub time: Option<String>,
    pub kind: EventKind,
    pub label: &'static str,
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

/// A line with the keys it is merged by.
struct Line {
    item: TimelineItem,
    recorded_at: String,
    /// Which source it came from: ledger lines before payments at the same moment.
    source: u8,
    seq: i64,
}

impl Line {
    fn key(&self) -> (NaiveDate, &str, &str, u8, i64) {
        (
            self.item.date,
            self.item.time.as_deref().unwrap_or(""),
            &self.recorded_at,
            self.source,
            self.seq,
        )
    }
}

fn ledger_lines(tx: &Tx, client_id: &str) -> Result<Vec<Line>> {
    let currency = tx.ctx()?.currency;
    Ok(store::ledger::of_client(tx.conn, client_id)?
        .into_iter()
        .map(|e| {
            let kind = EventKind::from(e.kind);
            Line {
                item: TimelineItem {
                    id: e.id,
                    date: e.occurred_on,
                    time: e.occurred_time,
                    kind,
                    label: kind.label(),
                    package_id: e.package_id,
                    package_name: e.package_name,
                    package_sold_on: e.package_sold_on,
                    sessions: Some(e.delta),
                    balance_after: 0,
                    amount: e.price_minor.map(|m| currency.minor(m).to_decimal()),
                    note: e.note,
                    reverses: e.reverses,
                    reversible: e.kind != EntryKind::Reversal && e.reversed_by.is_none(),
                    reversed_by: e.reversed_by,
                },
                recorded_at: e.recorded_at,
                source: 0,
                seq: e.seq,
            }
        })
        .collect())
}

fn payment_lines(tx: &Tx, client_id: &str) -> Result<Vec<Line>> {
    let currency = tx.ctx()?.currency;
    Ok(store::payments::of_client(tx.conn, client_id)?
        .into_iter()
        .map(|p| {
            let kind = EventKind::from(p.kind);
            let signed = match p.kind {
                PaymentKind::Payment => p.amount_minor,
                PaymentKind::Refund => -p.amount_minor,
            };
            let note = [p.method.as_str(), p.note.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            Line {
                item: TimelineItem {
                    id: p.id,
                    date: p.paid_on,
                    time: None,
                    kind,
                    label: kind.label(),
                    package_id: p.package_id,
                    package_name: p.package_name,
                    package_sold_on: p.package_sold_on,
                    sessions: None,
                    balance_after: 0,
                    amount: Some(currency.minor(signed).to_decimal()),
                    note,
                    reverses: None,
                    reversed_by: None,
                    reversible: false,
                },
                recorded_at: p.recorded_at,
                source: 1,
                seq: p.seq,
            }
        })
        .collect())
}

/// Each line's package balance after it, replayed in time order.
fn replay(lines: &mut [Line]) {
    let mut balances: HashMap<String, i32> = HashMap::new();
    for line in lines.iter_mut() {
        let balance = balances.entry(line.item.package_id.clone()).or_insert(0);
        *balance += line.item.sessions.unwrap_or(0);
        line.item.balance_after = *balance;
    }
}

/// A client's whole history, oldest first.
pub(crate) fn build(tx: &Tx, client_id: &str) -> Result<Vec<TimelineItem>> {
    let mut lines = ledger_lines(tx, client_id)?;
    lines.extend(payment_lines(tx, client_id)?);
    lines.sort_by(|a, b| a.key().cmp(&b.key()));
    replay(&mut lines);
    Ok(lines.into_iter().map(|l| l.item).collect())
}

impl Store {
    /// A client's whole history, oldest first, each line with the balance of
    /// its package after it.
    pub fn history(&self, client_id: &str) -> Result<Vec<TimelineItem>> {
        self.read(|tx| build(tx, client_id))
    }
}
