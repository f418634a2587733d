//! Correcting the ledger: a mistaken entry is never changed or deleted; its
//! mirror image is appended.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::changes::Topic;
use crate::domain::kinds::{EntryKind, SessionStatus};
use crate::domain::ledger::{refuse_reversal, reversal_takes_effect, Reversible};
use crate::error::{Error, Result};
use crate::store::ledger::NewEntry;
use crate::store::{self, Store};
use crate::text;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Reversed {
    pub entry_id: String,
    pub package_id: String,
    pub remaining: u32,
}

impl Store {
    /// Corrects a mistaken entry by appending its mirror image, recorded now.
    pub fn reverse_entry(&mut self, entry_id: &str, note: &str) -> Result<Reversed> {
        let note = text::multiline(note, 2000).map_err(|m| Error::field("note", m))?;
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let entry = store::ledger::get(tx.conn, entry_id)?
                .ok_or_else(|| Error::NotFound("That history line no longer exists.".into()))?;
            let rule = Reversible {
                delta: entry.delta,
                is_reversal: entry.kind == EntryKind::Reversal,
                already_reversed: entry.reversed_by.is_some(),
                occurred_on: entry.occurred_on,
                occurred_time: entry.occurred_time.clone(),
            };
            if let Some(why) = refuse_reversal(&rule, entry.package_balance) {
                return Err(Error::Conflict(why.into()));
            }
            let (on, time) = reversal_takes_effect(&rule, || {
                store::ledger::latest_on_package(tx.conn, &entry.package_id)
            })?;
            let id = tx.id("le");
            let now = tx.now_text();
            store::ledger::insert(
                tx.conn,
                &NewEntry {
                    id: &id,
                    package_id: &entry.package_id,
                    kind: EntryKind::Reversal,
                    delta: -entry.delta,
                    occurred_on: on,
                    occurred_time: time.as_deref(),
                    session_id: entry.session_id.as_deref(),
                    reverses_id: Some(entry_id),
                    note: &note,
                },
                &now,
            )?;
            // The session the entry paid for did not happen as recorded.
            if let Some(session_id) = &entry.session_id {
                store::sessions::set_status(tx.conn, session_id, SessionStatus::Cancelled, &now)?;
            }
            tx.touch(Topic::Packages);
            let after = store::packages::get(tx.conn, ctx.currency, &entry.package_id)?;
            Ok(Reversed {
                entry_id: id,
                package_id: after.id,
                remaining: after.remaining,
            })
        })
    }
}
