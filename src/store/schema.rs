//! The schema's history: every migration, oldest first. The schema version
//! is their count. Pending migrations run in one transaction, and the same
//! transaction marks the file as a Punchcard practice, so a crash can never
//! leave a file with tables but without its mark.

use rusqlite::Transaction;
use rusqlite_migration::{HookResult, Migrations, M};

/// Marks a SQLite file as a Punchcard practice ("PUNC").
pub(crate) const APPLICATION_ID: i64 = 0x5055_4E43;

/// Every migration's SQL, oldest first. Never edit one that has shipped; add
/// the next instead (and a fixture file of the version before it).
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/01-schema-v1/up.sql"),
    include_str!("migrations/02-append-only-inserts/up.sql"),
];

/// The schema version this build writes and understands.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Every migration's SQL, concatenated: what the schema allows.
#[cfg(test)]
pub(crate) fn schema_sql() -> String {
    MIGRATIONS.concat()
}

fn mark(tx: &Transaction) -> HookResult {
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    Ok(())
}

pub(crate) fn migrations() -> Migrations<'static> {
    let last = MIGRATIONS.len() - 1;
    Migrations::new(
        MIGRATIONS
            .iter()
            .enumerate()
            .map(|(i, sql)| {
                if i == last {
                    // The last pending migration always runs, in the one
                    // transaction that runs them all: it marks the file there.
                    M::up_with_hook(sql, mark)
                } else {
                    M::up(sql)
                }
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
