//! Correcting and moving credits: a mistaken entry is never changed or
//! deleted, its mirror image is appended; credits are added or removed with a
//! reason, or moved to another client's package as a linked pair of entries.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::changes::Topic;
use crate::domain::kinds::{EntryKind, SessionStatus};
use crate::domain::ledger::{available_at, refuse_reversal, reversal_takes_effect, Reversible};
use crate::error::{Check, Error, Result};
use crate::store::ledger::{EntryRow, NewEntry};
use crate::store::{self, Store, Tx};
use crate::text;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Reversed {
    pub entry_id: String,
    pub package_id: String,
    pub remaining: u32,
}

/// Add or remove credits on a package, with the reason.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AdjustInput {
    pub package_id: String,
    /// "+2", "2" or "-1": credits to add or take away.
    pub sessions: String,
    pub reason: String,
    /// `YYYY-MM-DD`; empty means today.
    pub date: String,
}

/// Move credits from one package to another (often another client's: a
/// family member).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TransferInput {
    pub from_package_id: String,
    pub to_package_id: String,
    pub sessions: String,
    pub reason: String,
    /// `YYYY-MM-DD`; empty means today.
    pub date: String,
}

/// The entries an adjustment or a transfer wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Moved {
    /// The entry to reverse to undo it (a transfer's pair is reversed together).
    pub entry_id: String,
    pub remaining: u32,
}

/// How many credits `package` can give at `on` (the start of that day, after
/// what was already recorded then).
pub(crate) fn available_on(tx: &Tx, package: &str, balance: u32, on: NaiveDate) -> Result<u32> {
    let later =
        store::ledger::later_live_deltas(tx.conn, package, on, "\u{10FFFF}", i64::MAX, false)?;
    Ok(available_at(i64::from(balance), &later))
}

/// The day a credit moves: as typed, or today; never a day still to come
/// (credits move when they move).
fn date_or_today(c: &mut Check, text: &str, today: NaiveDate) -> NaiveDate {
    match text.trim() {
        "" => today,
        t => match c.opt("date", text::date(t)) {
            Some(d) if d > today => {
                c.fail(
                    "date",
                    "That day is still to come: date it today or earlier.",
                );
                today
            }
            Some(d) => d,
            None => today,
        },
    }
}

/// Reverses one entry (checked), dating it by the rule. Reversing a forfeit
/// waives it, unless `undo` says it was recorded by mistake.
pub(crate) fn reverse_one(tx: &Tx, e: &EntryRow, note: &str) -> Result<String> {
    reverse_as(tx, e, note, false)
}

pub(crate) fn reverse_as(tx: &Tx, e: &EntryRow, note: &str, undo: bool) -> Result<String> {
    let rule = Reversible {
        delta: e.delta,
        is_reversal: e.kind == EntryKind::Reversal,
        already_reversed: e.reversed_by.is_some(),
        occurred_on: e.occurred_on,
        occurred_time: e.occurred_time.clone(),
    };
    let headroom = if e.delta > 0 {
        let later = store::ledger::later_live_deltas(
            tx.conn,
            &e.package_id,
            e.occurred_on,
            e.occurred_time.as_deref().unwrap_or(""),
            e.seq,
            false,
        )?;
        available_at(e.package_balance, &later)
    } else {
        0
    };
    if let Some(why) = refuse_reversal(&rule, headroom) {
        return Err(Error::Conflict(why.into()));
    }
    let (on, time) = reversal_takes_effect(&rule, || {
        store::ledger::latest_on_package(tx.conn, &e.package_id)
    })?;
    let id = tx.id("le");
    let why = match e.kind {
        EntryKind::LateCancel | EntryKind::NoShow if !undo => "forfeit waived",
        _ => "",
    };
    store::ledger::insert(
        tx.conn,
        &NewEntry {
            occurred_time: time.as_deref(),
            session_id: e.session_id.as_deref(),
            reverses_id: Some(&e.id),
            note,
            why,
            ..NewEntry::plain(&id, &e.package_id, EntryKind::Reversal, -e.delta, on)
        },
        &tx.now_text(),
    )?;
    Ok(id)
}

impl Store {
    /// Corrects a mistaken entry by appending its mirror image, recorded now.
    /// A transfer is reversed whole (both its entries). Reversing a session's
    /// draw undoes the session: a booking goes back to being booked, a logged
    /// session is cancelled; reversing a forfeit waives it.
    pub fn reverse_entry(&mut self, entry_id: &str, note: &str) -> Result<Reversed> {
        let note = text::multiline(note, 2000).map_err(|m| Error::field("note", m))?;
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let e = store::ledger::get(tx.conn, entry_id)?
                .ok_or_else(|| Error::NotFound("That history line no longer exists.".into()))?;
            if e.refund_id.is_some() {
                return Err(Error::Conflict(
                    "Those credits were taken back by a refund: correct the refund to give them back.".into(),
                ));
            }
            if e.kind == EntryKind::Purchase
                && store::packages::get(tx.conn, ctx.currency, &e.package_id)?.paid.is_positive()
            {
                return Err(Error::Conflict(
                    "This sale was paid for: cancel it from its card (Cancel sale…) to say what happened to the money.".into(),
                ));
            }
            // The other half of a transfer goes with it; its credit side first,
            // so what it takes back is checked before anything is written.
            let pair = match store::ledger::transfer_pair(tx.conn, &e)? {
                Some(id) => store::ledger::get(tx.conn, &id)?,
                None => None,
            };
            let id = match &pair {
                Some(other) if other.delta > 0 => {
                    reverse_one(tx, other, &note)?;
                    reverse_one(tx, &e, &note)?
                }
                Some(other) => {
                    let id = reverse_one(tx, &e, &note)?;
                    reverse_one(tx, other, &note)?;
                    id
                }
                None => reverse_one(tx, &e, &note)?,
            };
            if let (EntryKind::Session, Some(session_id)) = (e.kind, &e.session_id) {
                let now = tx.now_text();
                let s = store::sessions::get(tx.conn, session_id)?;
                let was_booked = store::sessions::was_booked(tx.conn, &s.id)?;
                let status = if was_booked {
                    SessionStatus::Scheduled
                } else {
                    SessionStatus::Cancelled
                };
                store::sessions::close(
                    tx.conn,
                    session_id,
                    status,
                    s.package_id.as_deref(),
                    false,
                    &now,
                )?;
            }
            tx.touch(Topic::Packages);
            let after = store::packages::get(tx.conn, ctx.currency, &e.package_id)?;
            Ok(Reversed {
                entry_id: id,
                package_id: after.id,
                remaining: after.remaining,
            })
        })
    }

    /// Adds or removes credits on a package, with a reason (required).
    pub fn adjust_credits(&mut self, input: &AdjustInput) -> Result<Moved> {
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let mut c = Check::new();
            let sessions = c.opt(
                "sessions",
                text::signed_count(&input.sessions, 1000).ok_or_else(|| {
                    "Enter how many credits to add (like 2) or take away (like -1).".to_owned()
                }),
            );
            let reason = c.field(
                "reason",
                text::required(&input.reason, "Say why: it stays in the history.", 2000),
            );
            let on = date_or_today(&mut c, &input.date, ctx.today);
            let p = store::packages::get(tx.conn, ctx.currency, &input.package_id)?;
            if on < p.sold_on {
                c.fail("date", "That is before the package was sold.");
            }
            c.done()?;
            let sessions = sessions.unwrap_or(0);
            if sessions < 0 {
                let can = available_on(tx, &p.id, p.remaining, on)?;
                if sessions.unsigned_abs() > can {
                    return Err(Error::field(
                        "sessions",
                        format!("Only {can} credits can be taken from this package then."),
                    ));
                }
            }
            let id = tx.id("le");
            store::ledger::insert(
                tx.conn,
                &NewEntry {
                    note: &reason,
                    ..NewEntry::plain(&id, &p.id, EntryKind::Adjustment, sessions, on)
                },
                &tx.now_text(),
            )?;
            tx.touch(Topic::Packages);
            let after = store::packages::get(tx.conn, ctx.currency, &p.id)?;
            Ok(Moved {
                entry_id: id,
                remaining: after.remaining,
            })
        })
    }

    /// Moves credits from one package to another as a linked pair of entries
    /// (out of one, into the other), with a reason.
    pub fn transfer_credits(&mut self, input: &TransferInput) -> Result<Moved> {
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let mut c = Check::new();
            let sessions = c.field("sessions", text::count(&input.sessions, 1, 1000));
            let reason = c.field(
                "reason",
                text::required(&input.reason, "Say why: it stays in the history.", 2000),
            );
            let on = date_or_today(&mut c, &input.date, ctx.today);
            if input.from_package_id == input.to_package_id {
                c.fail(
                    "toPackageId",
                    "Pick another package to move the credits to.",
                );
            }
            let from = store::packages::get(tx.conn, ctx.currency, &input.from_package_id)?;
            let to = match store::packages::get(tx.conn, ctx.currency, &input.to_package_id) {
                Ok(p) => Some(p),
                Err(Error::NotFound(_)) => {
                    c.fail("toPackageId", "Pick the package to move the credits to.");
                    None
                }
                Err(e) => return Err(e),
            };
            if to
                .as_ref()
                .is_some_and(|to| on < from.sold_on.max(to.sold_on))
            {
                c.fail("date", "That is before both packages were sold.");
            }
            c.done()?;
            let Some(to) = to else {
                unreachable!("a missing package failed the check")
            };
            let can = available_on(tx, &from.id, from.remaining, on)?;
            if sessions > can {
                return Err(Error::field(
                    "sessions",
                    format!("Only {can} credits can be moved from this package then."),
                ));
            }
            let out_id = move_credits(tx, &from.id, &to.id, sessions, on, &reason)?;
            tx.touch(Topic::Packages);
            let after = store::packages::get(tx.conn, ctx.currency, &from.id)?;
            Ok(Moved {
                entry_id: out_id,
                remaining: after.remaining,
            })
        })
    }
}

/// Moves `n` credits from one package to another as a linked pair of
/// entries (the credits bring their worth); returns the outgoing entry.
pub(crate) fn move_credits(
    tx: &Tx,
    from: &str,
    to: &str,
    n: u32,
    on: NaiveDate,
    reason: &str,
) -> Result<String> {
    let out_id = tx.id("le");
    let in_id = tx.id("le");
    let now = tx.now_text();
    let n = i32::try_from(n).unwrap_or(0);
    let out = store::ledger::insert(
        tx.conn,
        &NewEntry {
            transfer_package_id: Some(to),
            note: reason,
            ..NewEntry::plain(&out_id, from, EntryKind::TransferOut, -n, on)
        },
        &now,
    )?;
    store::ledger::insert(
        tx.conn,
        &NewEntry {
            transfer_package_id: Some(from),
            note: reason,
            worth: Some(crate::domain::value::mirror(out)),
            ..NewEntry::plain(&in_id, to, EntryKind::TransferIn, n, on)
        },
        &now,
    )?;
    Ok(out_id)
}
