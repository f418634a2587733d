//! The credit ledger: append-only entries whose sum is a package's balance.

use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, OptionalExtension};
use rustc_hash::FxHashMap;

use crate::domain::kinds::EntryKind;
use crate::domain::value::{self, Pool, Worth};
use crate::error::{Error, Result};
use crate::store::day;

/// What a new entry records.
pub(crate) struct NewEntry<'a> {
    pub id: &'a str,
    pub package_id: &'a str,
    pub kind: EntryKind,
    pub delta: i32,
    pub occurred_on: NaiveDate,
    pub occurred_time: Option<&'a str>,
    pub session_id: Option<&'a str>,
    pub reverses_id: Option<&'a str>,
    pub transfer_package_id: Option<&'a str>,
    pub note: &'a str,
    /// Why this package (the drawing rule in words), or what the entry settles.
    pub why: &'a str,
    /// The refund that takes these credits back.
    pub refund_id: Option<&'a str>,
    /// The worth of the credits moved, when the caller knows it (credits
    /// arriving from another package); otherwise decided from the pool.
    pub worth: Option<Worth>,
}

impl<'a> NewEntry<'a> {
    /// An entry of `kind` with nothing linked, noted or explained.
    pub fn plain(
        id: &'a str,
        package_id: &'a str,
        kind: EntryKind,
        delta: i32,
        on: NaiveDate,
    ) -> Self {
        NewEntry {
            id,
            package_id,
            kind,
            delta,
            occurred_on: on,
            occurred_time: None,
            session_id: None,
            reverses_id: None,
            transfer_package_id: None,
            note: "",
            why: "",
            refund_id: None,
            worth: None,
        }
    }
}

/// A package's credits left, as far as their worth goes, and its price.
fn pool(conn: &Connection, package_id: &str) -> Result<(Pool, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT b.valued, b.value_minor, b.balance, p.price_minor, p.sessions
             FROM package_balances b JOIN packages p ON p.id = b.package_id WHERE b.package_id = ?1",
        )?
        .query_row([package_id], |r| {
            let (valued, value, balance, price, sessions): (i64, i64, i64, i64, i64) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            Ok((
                Pool {
                    valued,
                    value,
                    free: balance - valued,
                    unit: if sessions > 0 { price / sessions } else { 0 },
                },
                price,
            ))
        })?)
}

/// The worth an entry moves: a reversal mirrors its entry's, credits from
/// another package bring theirs, anything else is decided from the pool.
fn worth_of(conn: &Connection, e: &NewEntry<'_>) -> Result<Worth> {
    if let Some(w) = e.worth {
        return Ok(w);
    }
    if let Some(reversed) = e.reverses_id {
        let (valued, value): (i64, i64) = conn
            .prepare_cached("SELECT valued, value_minor FROM ledger_entries WHERE id = ?1")?
            .query_row([reversed], |r| Ok((r.get(0)?, r.get(1)?)))?;
        return Ok(value::mirror(Worth { valued, value }));
    }
    let (pool, price) = pool(conn, e.package_id)?;
    Ok(value::worth(e.kind, i64::from(e.delta), &pool, price))
}

/// The day an entry's worth counts, when later than its own: credits are
/// valued as a pool, so an entry that takes worth out of the practice (a
/// session, a forfeit, an adjustment, an expiry) on a day before credits
/// moved in from another package takes a share of worth that arrived after
/// it. Its worth counts from the day the latest of them arrived, never
/// before it was sold (migration 11).
fn worth_day(conn: &Connection, e: &NewEntry<'_>, worth: Worth) -> Result<Option<NaiveDate>> {
    let takes_out = matches!(
        e.kind,
        EntryKind::Session
            | EntryKind::LateCancel
            | EntryKind::NoShow
            | EntryKind::Adjustment
            | EntryKind::Expiry
    );
    if !takes_out || e.reverses_id.is_some() || worth.value >= 0 {
        return Ok(None);
    }
    let arrived: Option<NaiveDate> = conn
        .prepare_cached(
            "SELECT max(t.occurred_on) FROM ledger_entries t
             WHERE t.package_id = ?1 AND t.occurred_on > ?2 AND t.kind = 'transfer_in' AND t.value_minor > 0
               AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = t.id)",
        )?
        .query_row(params![e.package_id, e.occurred_on], |r| r.get(0))?;
    Ok(arrived)
}

/// Writes an entry with its worth; returns the worth written.
pub(crate) fn insert(conn: &Connection, e: &NewEntry<'_>, now: &str) -> Result<Worth> {
    let worth = worth_of(conn, e)?;
    let worth_on = worth_day(conn, e, worth)?;
    if e.reverses_id.is_some() && !pool(conn, e.package_id)?.0.keeps(i64::from(e.delta), worth) {
        return Err(Error::Conflict(
            "Credits came and went on this package after that line (a transfer, an adjustment or a refund): reverse those first.".into(),
        ));
    }
    conn.prepare_cached(
        "INSERT INTO ledger_entries (id, package_id, kind, delta, occurred_on, occurred_time,
             session_id, reverses_id, transfer_package_id, note, why, refund_id, valued, value_minor,
             worth_on, recorded_at)
         VALUES (:id, :package_id, :kind, :delta, :on, :time, :session_id, :reverses_id,
             :transfer_package_id, :note, :why, :refund_id, :valued, :value, :worth_on, :now)",
    )?
    .execute(named_params! {
        ":id": e.id,
        ":package_id": e.package_id,
        ":kind": e.kind,
        ":delta": e.delta,
        ":on": e.occurred_on,
        ":time": e.occurred_time,
        ":session_id": e.session_id,
        ":reverses_id": e.reverses_id,
        ":transfer_package_id": e.transfer_package_id,
        ":note": e.note,
        ":why": e.why,
        ":refund_id": e.refund_id,
        ":valued": worth.valued,
        ":value": worth.value,
        ":worth_on": worth_on,
        ":now": now,
    })?;
    Ok(worth)
}

/// An entry with what reversing it needs to know.
pub(crate) struct EntryRow {
    pub id: String,
    pub seq: i64,
    pub package_id: String,
    pub kind: EntryKind,
    pub delta: i32,
    pub occurred_on: NaiveDate,
    pub occurred_time: Option<String>,
    pub session_id: Option<String>,
    pub transfer_package_id: Option<String>,
    pub reversed_by: Option<String>,
    /// The package's balance now.
    pub package_balance: i64,
    /// The refund that took these credits back.
    pub refund_id: Option<String>,
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Option<EntryRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT e.id, e.seq, e.package_id, e.kind, e.delta, e.occurred_on, e.occurred_time,
                    e.session_id, e.transfer_package_id,
                    (SELECT r.id FROM ledger_entries r WHERE r.reverses_id = e.id),
                    (SELECT b.balance FROM package_balances b WHERE b.package_id = e.package_id),
                    e.refund_id
             FROM ledger_entries e WHERE e.id = ?1",
        )?
        .query_row([id], |r| {
            Ok(EntryRow {
                id: r.get(0)?,
                seq: r.get(1)?,
                package_id: r.get(2)?,
                kind: r.get(3)?,
                delta: r.get(4)?,
                occurred_on: day(r, 5)?,
                occurred_time: r.get(6)?,
                session_id: r.get(7)?,
                transfer_package_id: r.get(8)?,
                reversed_by: r.get(9)?,
                package_balance: r.get(10)?,
                refund_id: r.get(11)?,
            })
        })
        .optional()?)
}

/// The other half of a transfer: the entry on the other package recorded
/// with it (same moment, opposite delta, pointing back).
pub(crate) fn transfer_pair(conn: &Connection, e: &EntryRow) -> Result<Option<String>> {
    let Some(other) = &e.transfer_package_id else {
        return Ok(None);
    };
    Ok(conn
        .prepare_cached(
            "SELECT id FROM ledger_entries
             WHERE package_id = ?1 AND transfer_package_id = ?2 AND delta = ?3 AND kind <> 'reversal'
               AND occurred_on = ?4
               AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = ledger_entries.id)
             ORDER BY abs(seq - ?5) LIMIT 1",
        )?
        .query_row(params![other, e.package_id, -e.delta, e.occurred_on, e.seq], |r| r.get(0))
        .optional()?)
}

/// The live (not reversed, not reversals) deltas of a package recorded after
/// a moment — a day, a time (`""`: the start of the day) and, for entries at
/// that same moment, a sequence number — in time order.
pub(crate) fn later_live_deltas(
    conn: &Connection,
    package_id: &str,
    on: NaiveDate,
    time: &str,
    seq: i64,
    skip_expiry: bool,
) -> Result<Vec<i32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.delta FROM ledger_entries e
         WHERE e.package_id = ?1 AND e.occurred_on >= ?2
           AND (e.occurred_on, coalesce(e.occurred_time, ''), e.seq) > (?2, ?3, ?4)
           AND e.kind <> ?5 AND (?6 = 0 OR e.kind <> 'expiry')
           AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)
         ORDER BY e.occurred_on, coalesce(e.occurred_time, ''), e.seq",
    )?;
    let rows = stmt.query_map(
        params![package_id, on, time, seq, EntryKind::Reversal, skip_expiry],
        |r| r.get(0),
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The credits a refund took back that still stand (not reversed).
pub(crate) fn taken_back_by(conn: &Connection, refund_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id FROM ledger_entries e WHERE e.refund_id = ?1
           AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id) ORDER BY e.seq",
    )?;
    let rows = stmt.query_map([refund_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A package's purchase entry.
pub(crate) fn purchase_of(conn: &Connection, package_id: &str) -> Result<Option<EntryRow>> {
    let id: Option<String> = conn
        .prepare_cached("SELECT id FROM ledger_entries WHERE package_id = ?1 AND kind = ?2")?
        .query_row(params![package_id, EntryKind::Purchase], |r| r.get(0))
        .optional()?;
    match id {
        Some(id) => get(conn, &id),
        None => Ok(None),
    }
}

/// A booking's draws and forfeits that still stand (not reversed).
pub(crate) fn live_of_session(conn: &Connection, session_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id FROM ledger_entries e
         WHERE e.session_id = ?1 AND e.kind IN (?2, ?3, ?4)
           AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)
         ORDER BY e.seq",
    )?;
    let rows = stmt.query_map(
        params![
            session_id,
            EntryKind::Session,
            EntryKind::LateCancel,
            EntryKind::NoShow
        ],
        |r| r.get(0),
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The date and time of a package's latest entry.
pub(crate) fn latest_on_package(
    conn: &Connection,
    package_id: &str,
) -> Result<(NaiveDate, Option<String>)> {
    Ok(conn
        .prepare_cached(
            "SELECT occurred_on, occurred_time FROM ledger_entries WHERE package_id = ?1
             ORDER BY occurred_on DESC, coalesce(occurred_time, '') DESC LIMIT 1",
        )?
        .query_row([package_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// One ledger line of a client's history, as stored.
pub(crate) struct HistoryEntry {
    pub id: String,
    pub occurred_on: NaiveDate,
    pub occurred_time: Option<String>,
    pub kind: EntryKind,
    pub package_id: String,
    pub package_name: String,
    pub package_sold_on: NaiveDate,
    pub delta: i32,
    pub note: String,
    pub why: String,
    pub session_id: Option<String>,
    pub reverses: Option<String>,
    /// The kind of the entry a reversal reverses.
    pub reverses_kind: Option<EntryKind>,
    pub reversed_by: Option<String>,
    /// The other package of a transfer.
    pub transfer_package_name: Option<String>,
    pub recorded_at: String,
    pub seq: i64,
    /// The package's price, on its purchase line.
    pub price_minor: Option<i64>,
    /// The refund that took these credits back.
    pub refund_id: Option<String>,
    /// On the purchase line: the offering's price when sold for another, and why.
    pub list_price_minor: Option<i64>,
    pub discount_reason: String,
    /// On the purchase line: the package this one renews, "Five (2026-11-01)".
    pub renews: Option<String>,
}

/// The day of a client's ledger entry that has `n` newer than it (0: the
/// newest day), if they have that many: on and after it lie at least `n + 1`
/// entries (as long as each package's cached last day is its latest entry's).
/// Packages are read latest last day first, each one's newest `n + 1` days
/// from the time index, until no package left can change the answer; a
/// client's years of used-up packages are not read.
pub(crate) fn nth_newest_day(
    conn: &Connection,
    client_id: &str,
    n: u32,
) -> Result<Option<NaiveDate>> {
    let Some(want) = usize::try_from(n).ok().and_then(|n| n.checked_add(1)) else {
        return Ok(None);
    };
    let mut packages: Vec<(String, NaiveDate)> = conn
        .prepare_cached(
            "SELECT p.id, b.last_on FROM packages p JOIN package_balances b ON b.package_id = p.id
             WHERE p.client_id = ?1 AND b.last_on IS NOT NULL",
        )?
        .query_map([client_id], |r| Ok((r.get(0)?, day(r, 1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    packages.sort_unstable_by_key(|p| std::cmp::Reverse(p.1));
    // Stepped only as far as needed (a bound limit would have SQLite prepare
    // the statement again for each value).
    let mut newest = conn.prepare_cached(
        "SELECT occurred_on FROM ledger_entries WHERE package_id = ?1 ORDER BY occurred_on DESC",
    )?;
    // The latest days seen; once there are enough, the `want`th latest of
    // them is where a later package has to beat.
    let mut days: Vec<NaiveDate> = Vec::new();
    let nth = |days: &mut Vec<NaiveDate>| {
        days.select_nth_unstable_by(want - 1, |a, b| b.cmp(a));
        days.truncate(want);
        days[want - 1]
    };
    for (id, last) in &packages {
        if days.len() >= want && *last <= nth(&mut days) {
            break;
        }
        for d in newest.query_map([id], |r| day(r, 0))?.take(want) {
            days.push(d?);
        }
    }
    Ok((days.len() >= want).then(|| nth(&mut days)))
}

/// The ledger entries of a client's packages dated on or after `since` (all
/// of them without). The entries say among themselves which were reversed
/// (a reversal is dated on or after what it reverses, on the same package),
/// and mostly what a reversal reverses; an entry reversed from before
/// `since` is looked up, as are the other package of a transfer and the
/// package a purchase renews, on their own lines.
pub(crate) fn of_client(
    conn: &Connection,
    client_id: &str,
    since: Option<NaiveDate>,
) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.occurred_on, e.occurred_time, e.kind, e.package_id, p.name, p.sold_on,
                e.delta, e.note, e.why, e.session_id, e.reverses_id,
                CASE WHEN e.transfer_package_id IS NOT NULL
                     THEN (SELECT t.name FROM packages t WHERE t.id = e.transfer_package_id) END,
                e.recorded_at, e.seq,
                CASE WHEN e.kind = ?2 THEN p.price_minor END, e.refund_id,
                CASE WHEN e.kind = ?2 THEN p.list_price_minor END, p.discount_reason,
                CASE WHEN e.kind = ?2 AND p.renews_id IS NOT NULL
                     THEN (SELECT rn.name || ' (' || rn.sold_on || ')' FROM packages rn WHERE rn.id = p.renews_id) END
         FROM packages p JOIN ledger_entries e ON e.package_id = p.id
         WHERE p.client_id = ?1 AND e.occurred_on >= ?3",
    )?;
    let since = since.map(|d| d.to_string()).unwrap_or_default();
    let rows = stmt.query_map(params![client_id, EntryKind::Purchase, since], |r| {
        Ok(HistoryEntry {
            id: r.get(0)?,
            occurred_on: day(r, 1)?,
            occurred_time: r.get(2)?,
            kind: r.get(3)?,
            package_id: r.get(4)?,
            package_name: r.get(5)?,
            package_sold_on: day(r, 6)?,
            delta: r.get(7)?,
            note: r.get(8)?,
            why: r.get(9)?,
            session_id: r.get(10)?,
            reverses: r.get(11)?,
            reverses_kind: None,
            reversed_by: None,
            transfer_package_name: r.get(12)?,
            recorded_at: r.get(13)?,
            seq: r.get(14)?,
            price_minor: r.get(15)?,
            refund_id: r.get(16)?,
            list_price_minor: r.get(17)?,
            discount_reason: r.get(18)?,
            renews: r.get(19)?,
        })
    })?;
    let mut entries: Vec<HistoryEntry> = rows.collect::<rusqlite::Result<_>>()?;
    let mut kinds: FxHashMap<&str, EntryKind> = FxHashMap::default();
    let mut reversed: FxHashMap<String, String> = FxHashMap::default();
    for e in &entries {
        kinds.insert(&e.id, e.kind);
        if let Some(target) = &e.reverses {
            reversed.insert(target.clone(), e.id.clone());
        }
    }
    let reverses_kinds: Vec<Option<EntryKind>> = entries
        .iter()
        .map(|e| e.reverses.as_deref().and_then(|t| kinds.get(t).copied()))
        .collect();
    for (e, kind) in entries.iter_mut().zip(reverses_kinds) {
        e.reverses_kind = kind;
        e.reversed_by = reversed.remove(&e.id);
    }
    for e in &mut entries {
        if let (Some(target), None) = (&e.reverses, e.reverses_kind) {
            e.reverses_kind = Some(kind_of(conn, target)?);
        }
    }
    Ok(entries)
}

fn kind_of(conn: &Connection, id: &str) -> Result<EntryKind> {
    Ok(conn
        .prepare_cached("SELECT kind FROM ledger_entries WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?)
}

/// The kinds of credit drawn for a booking (a session, a late cancel, a
/// no-show), even if reversed since.
pub(crate) fn draws_of_session(conn: &Connection, session_id: &str) -> Result<Vec<EntryKind>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind FROM ledger_entries WHERE session_id = ?1 AND kind IN (?2, ?3, ?4)",
    )?;
    let drawn = params![
        session_id,
        EntryKind::Session,
        EntryKind::LateCancel,
        EntryKind::NoShow
    ];
    let kinds = stmt.query_map(drawn, |r| r.get(0))?;
    Ok(kinds.collect::<rusqlite::Result<_>>()?)
}
