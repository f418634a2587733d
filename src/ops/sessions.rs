//! Logging a session that happened: the drawing rule picks the package that
//! pays for it, and the ledger records the draw.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::changes::Topic;
use crate::domain::drawing;
use crate::domain::kinds::{EntryKind, SessionStatus};
use crate::error::{Check, Error, Result};
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LoggedSession {
    pub session_id: String,
    /// The ledger entry that drew the credit: what Undo reverses.
    pub entry_id: String,
    pub package_id: String,
    pub package_name: String,
    pub remaining: u32,
}

/// "Ana" for "Ana Souza": how a message names a client.
pub(crate) fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
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
                c.fail("date", "A completed session can't be in the future.");
            }
            let client = store::clients::get(tx.conn, &input.client_id)?;
            c.done()?;
            let Some(date) = date else {
                unreachable!("a passed check has every value")
            };

            let packages = store::packages::of_client(tx.conn, ctx.currency, &client.id)?;
            let candidates: Vec<_> = packages.iter().map(|p| p.candidate()).collect();
            let package = drawing::pick(&candidates, date, &service).ok_or_else(|| {
                let first = first_name(&client.name);
                Error::Conflict(if packages.is_empty() {
                    format!(
                        "{first} has no package yet. Sell a package first, then log the session."
                    )
                } else {
                    format!(
                        "{first} has no sessions left to use on {date}: every package is used up, \
                         expired or not yet sold then. Sell a new package first."
                    )
                })
            })?;

            let session_id = tx.id("se");
            let entry_id = tx.id("le");
            let now = tx.now_text();
            store::sessions::insert(
                tx.conn,
                &NewSession {
                    id: &session_id,
                    client_id: &client.id,
                    package_id: Some(&package.id),
                    starts_on: date,
                    starts_time: time.as_deref(),
                    status: SessionStatus::Completed,
                    service: &service,
                    notes: &note,
                },
                &now,
            )?;
            store::ledger::insert(
                tx.conn,
                &NewEntry {
                    id: &entry_id,
                    package_id: &package.id,
                    kind: EntryKind::Session,
                    delta: -1,
                    occurred_on: date,
                    occurred_time: time.as_deref(),
                    session_id: Some(&session_id),
                    reverses_id: None,
                    note: &note,
                },
                &now,
            )?;
            tx.touch(Topic::Packages);
            let after = store::packages::get(tx.conn, ctx.currency, &package.id)?;
            Ok(LoggedSession {
                session_id,
                entry_id,
                package_id: after.id,
                package_name: after.name,
                remaining: after.remaining,
            })
        })
    }
}
