//! The schema's history: every migration, oldest first. The schema version
//! is their count. Pending migrations run in one transaction, and the same
//! transaction marks the file as a Punchcard practice, so a crash can never
//! leave a file with tables but without its mark.

use rusqlite::Transaction;
use rusqlite_migration::{HookError, HookResult, Migrations, M};

/// Marks a SQLite file as a Punchcard practice ("PUNC").
pub(crate) const APPLICATION_ID: i64 = 0x5055_4E43;

/// What a migration does after its SQL, in Rust (for what SQL can't compute).
type Hook = fn(&Transaction) -> HookResult;

/// Every migration's SQL, oldest first, with its hook. Never edit one that has
/// shipped; add the next instead (and a fixture file of the version before it).
const MIGRATIONS: &[(&str, Option<Hook>)] = &[
    (include_str!("migrations/01-schema-v1/up.sql"), None),
    (
        include_str!("migrations/02-append-only-inserts/up.sql"),
        None,
    ),
    (
        include_str!("migrations/03-balances-and-sort-keys/up.sql"),
        Some(fill_client_keys),
    ),
    (include_str!("migrations/04-client-search/up.sql"), None),
    (include_str!("migrations/05-bookings/up.sql"), None),
    (include_str!("migrations/06-money/up.sql"), Some(fill_worth)),
    (include_str!("migrations/07-renewals/up.sql"), None),
    (include_str!("migrations/08-clocks-and-pauses/up.sql"), None),
    (include_str!("migrations/09-lookup-indexes/up.sql"), None),
    (
        include_str!("migrations/10-search-text-in-order/up.sql"),
        None,
    ),
    (include_str!("migrations/11-worth-day/up.sql"), None),
    (
        include_str!("migrations/12-sessions-in-time-order/up.sql"),
        None,
    ),
    (include_str!("migrations/13-sessions-per-day/up.sql"), None),
    (
        include_str!("migrations/14-revenue-day-by-key/up.sql"),
        None,
    ),
    (
        include_str!("migrations/15-balances-by-client/up.sql"),
        None,
    ),
    (
        include_str!("migrations/16-bookings-in-day-order/up.sql"),
        None,
    ),
    (include_str!("migrations/17-sales-followed/up.sql"), None),
];

/// The schema version this build writes and understands.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Every migration's SQL, concatenated: what the schema allows.
#[cfg(test)]
pub(crate) fn schema_sql() -> String {
    MIGRATIONS.iter().map(|(sql, _)| *sql).collect()
}

fn mark(tx: &Transaction) -> HookResult {
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    Ok(())
}

/// v3: each client's sort key and search text, which SQL can't fold.
fn fill_client_keys(tx: &Transaction) -> HookResult {
    crate::store::clients::refill_keys(tx).map_err(hook_error)
}

/// v6: the worth of the credits each entry already written moved, and the
/// sums built from it.
fn fill_worth(tx: &Transaction) -> HookResult {
    crate::store::revenue::fill_worth(tx).map_err(hook_error)
}

fn hook_error(e: crate::error::Error) -> HookError {
    match e {
        crate::error::Error::Storage(e) => HookError::RusqliteError(e),
        other => HookError::Hook(other.to_string()),
    }
}

pub(crate) fn migrations() -> Migrations<'static> {
    let last = MIGRATIONS.len() - 1;
    Migrations::new(
        MIGRATIONS
            .iter()
            .enumerate()
            .map(|(i, (sql, hook))| match (i == last, *hook) {
                // The last pending migration always runs, in the one
                // transaction that runs them all: it marks the file there.
                (true, Some(hook)) => M::up_with_hook(sql, move |tx: &Transaction| {
                    hook(tx)?;
                    mark(tx)
                }),
                (true, None) => M::up_with_hook(sql, mark),
                (false, Some(hook)) => M::up_with_hook(sql, hook),
                (false, None) => M::up(sql),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn migrating_a_new_file_sets_the_version_and_the_mark_together() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        let id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!((v, id), (schema_version(), APPLICATION_ID));
    }

    #[test]
    fn the_mark_is_rolled_back_with_its_transaction() {
        let mut conn = Connection::open_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        mark(&tx).unwrap();
        tx.rollback().unwrap();
        let id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(id, 0);
    }
}
