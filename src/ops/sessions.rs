//! Logging a session that happened (without booking it first): the drawing
//! rule picks the package that pays for it, and the ledger records the draw
//! and why. With no credit left it is refused, unless recorded as owed.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::changes::Topic;
use crate::domain::kinds::{EntryKind, SessionStatus};
use crate::error::{Check, Error, Result};
use crate::ops::draw::{candidates_at, choose, no_credit};
use crate::store::ledger::NewEntry;
use crate::store::sessions::NewSession;
use crate::store::{self, Store};
use crate::text;

/// What the Log session sheet sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LogSessionInput {
    pub client_id: String,
    /// `YYYY-MM-DD`, in the practice's time zone.
    pub date: String,
    /// `HH:MM` or empty.
    pub time: String,
    pub note: String,
    /// Optional service label; empty draws from any package.
    pub service: String,
    /// Draw from this package rather than by the drawing rule.
    pub package_id: Option<String>,
    /// With no credit left, record the session as owed (the next package
    /// sold settles it) instead of refusing it.
    pub owed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LoggedSession {
    pub session_id: String,
    /// The ledger entry that drew the credit: what Undo reverses (none when owed).
    pub entry_id: Option<String>,
    pub package_id: Option<String>,
    pub package_name: Option<String>,
    pub remaining: u32,
    /// Recorded as owed: no credit was left.
    pub owed: bool,
}

impl Store {
    pub fn log_session(&mut self, input: &LogSessionInput) -> Result<LoggedSession> {
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let mut c = Check::new();
            let date = c.opt("date", text::date(&input.date));
            let time = c.field("time", text::time(&input.time));
            let note = c.field("note", text::multiline(&input.note, 2000));
            let service = c.field("service", text::line(&input.service, 100));
            if date.is_some_and(|d| d > ctx.today) {
                c.fail(
                    "date",
                    "A completed session can't be in the future: schedule it instead.",
                );
            }
            let client = store::clients::get(tx.conn, &input.client_id)?;
            c.done()?;
            let Some(date) = date else {
                unreachable!("a passed check has every value")
            };
            let planned = input.package_id.as_deref().filter(|p| !p.is_empty());
            let (packages, candidates) =
                candidates_at(tx, &client.id, date, time.as_deref().unwrap_or(""))?;
            if let Some(id) = planned {
                if !packages.iter().any(|p| p.id == id) {
                    return Err(Error::field(
                        "packageId",
                        "That package is not this client's.",
                    ));
                }
            }
            let chosen = choose(&candidates, planned, date, &service);
            if chosen.is_none() && !input.owed {
                return Err(Error::Conflict(no_credit(&client.name, &packages, date)));
            }
            let session_id = tx.id("se");
            let now = tx.now_text();
            store::sessions::insert(
                tx.conn,
                &NewSession {
                    id: &session_id,
                    client_id: &client.id,
                    package_id: chosen.as_ref().map(|(id, _)| id.as_str()),
                    starts_on: date,
                    starts_time: time.as_deref(),
                    duration_minutes: 60,
                    status: SessionStatus::Completed,
                    owed: chosen.is_none(),
                    service: &service,
                    notes: &note,
                },
                &now,
            )?;
            tx.touch(Topic::Packages);
            let Some((package_id, why)) = chosen else {
                return Ok(LoggedSession {
                    session_id,
                    entry_id: None,
                    package_id: None,
                    package_name: None,
                    remaining: 0,
                    owed: true,
                });
            };
            let entry_id = tx.id("le");
            let reopened = crate::ops::expiry::reopen(tx, &package_id)?;
            store::ledger::insert(
                tx.conn,
                &NewEntry {
                    occurred_time: time.as_deref(),
                    session_id: Some(&session_id),
                    note: &note,
                    why: &why,
                    ..NewEntry::plain(&entry_id, &package_id, EntryKind::Session, -1, date)
                },
                &now,
            )?;
            if reopened {
                crate::ops::expiry::expire(tx, Some(&package_id))?;
            }
            let after = store::packages::get(tx.conn, ctx.currency, &package_id)?;
            Ok(LoggedSession {
                session_id,
                entry_id: Some(entry_id),
                package_id: Some(after.id),
                package_name: Some(after.name),
                remaining: after.remaining,
                owed: false,
            })
        })
    }
}
