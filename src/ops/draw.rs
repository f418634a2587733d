//! Drawing a credit for a session, inside the operation's transaction: which
//! of the client's packages can pay at that moment (never taking a credit
//! that a later line already counts on), which one pays (the one chosen when
//! it was booked, else the drawing rule), and why.

use chrono::NaiveDate;

use crate::domain::drawing::{self, Candidate};
use crate::domain::ledger::available_at;
use crate::error::Result;
use crate::store::packages::PackageRow;
use crate::store::{self, Tx};

/// The client's packages, each as a candidate with the credits it can give at
/// `on` and `time` (`""`: the start of the day).
pub(crate) fn candidates_at(
    tx: &Tx,
    client_id: &str,
    on: NaiveDate,
    time: &str,
) -> Result<(Vec<PackageRow>, Vec<Candidate>)> {
    let packages = store::packages::of_client(tx.conn, tx.ctx()?.currency, client_id)?;
    candidates_of(tx, packages, on, time)
}

/// As [`candidates_at`], for one client's packages already read.
pub(crate) fn candidates_of(
    tx: &Tx,
    packages: Vec<PackageRow>,
    on: NaiveDate,
    time: &str,
) -> Result<(Vec<PackageRow>, Vec<Candidate>)> {
    let mut candidates = Vec::with_capacity(packages.len());
    for p in &packages {
        let mut c = p.candidate();
        // On a day it was still valid, what its expiry took can still pay.
        let reopened = p.expired > 0 && p.expires_on.is_some_and(|e| on <= e);
        if reopened {
            c.remaining += p.expired;
        }
        // A session before the first one moves the clock back: only while
        // every later session still falls on a valid day.
        if let (Some(started), Some(last)) = (p.started_on, p.expires_on) {
            let moved = p.validity.expires_from_start(on);
            if on < started && p.validity.expires_from_start(started) == Some(last) {
                if let Some(moved) = moved.and_then(|m| m.checked_add_days(chrono::Days::new(1))) {
                    if store::renewals::draws_between(tx.conn, &p.id, (moved, last))? > 0 {
                        c.remaining = 0;
                    }
                }
            }
        }
        // Lines from that moment on may count on credits already; a package
        // whose last line is on an earlier day has none (the cached day).
        if c.remaining > 0 && p.last_on.is_none_or(|last| last >= on) {
            let later =
                store::ledger::later_live_deltas(tx.conn, &p.id, on, time, i64::MAX, reopened)?;
            c.remaining = available_at(i64::from(c.remaining), &later);
        }
        candidates.push(c);
    }
    Ok((packages, candidates))
}

/// The package that pays, and why: the one chosen when booking while it can
/// pay, else the drawing rule's.
pub(crate) fn choose(
    candidates: &[Candidate],
    planned: Option<&str>,
    on: NaiveDate,
    service: &str,
) -> Option<(String, String)> {
    if let Some(id) = planned {
        if let Some(p) = candidates
            .iter()
            .find(|p| p.id == id && p.usable_on(on, service))
        {
            return Some((p.id.clone(), "the package chosen for this booking".into()));
        }
    }
    drawing::pick_and_say_why(candidates, on, service).map(|(p, why)| {
        let why = match planned {
            Some(_) => format!("{why} (the package chosen for this booking has no credit then)"),
            None => why,
        };
        (p.id.clone(), why)
    })
}

/// "Ana" for "Ana Souza": how a message names a client.
pub(crate) fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// Why no package could pay, in plain words.
pub(crate) fn no_credit(client_name: &str, packages: &[PackageRow], on: NaiveDate) -> String {
    let first = first_name(client_name);
    let day = |d: NaiveDate| d.format("%-d %b %Y").to_string();
    let with_credit = || packages.iter().filter(|p| p.remaining > 0 && !p.cancelled);
    if packages.is_empty() {
        format!("{first} has no package yet. Sell a package first, or record the session as owed.")
    } else if let Some(p) = with_credit().find(|p| p.sold_on > on) {
        format!(
            "{first}'s {} starts on {}: it can't be used before then. Pick a later day, or record the session as owed.",
            p.name,
            day(p.sold_on)
        )
    } else if let Some((p, until)) = with_credit().find_map(|p| Some((p, p.paused_until(on)?))) {
        format!(
            "{first}'s {} is paused until {}. Pick a later day, or record the session as owed.",
            p.name,
            day(until)
        )
    } else {
        format!(
            "{first} has no sessions left to use on {on}: every package is used up, expired or not yet sold then. Sell a new package, or record the session as owed."
        )
    }
}
