//! Checking a practice file whole, as `punchcard check FILE` does: SQLite's
//! own integrity and foreign-key checks, and the ledger's rules.

use rusqlite::Connection;

use crate::error::Result;

/// What a check found: the counts, and every problem in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub schema_version: i64,
    pub clients: i64,
    pub packages: i64,
    pub ledger_entries: i64,
    pub payments: i64,
    pub problems: Vec<String>,
}

fn count(conn: &Connection, table: &str) -> Result<i64> {
    // Table names come from this file only.
    Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
}

pub(crate) fn run(conn: &Connection) -> Result<Report> {
    let mut problems = Vec::new();
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if integrity != ["ok"] {
        problems.extend(integrity.into_iter().map(|m| format!("integrity: {m}")));
    }
    let broken_links: i64 =
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })?;
    if broken_links > 0 {
        problems.push(format!(
            "{broken_links} rows point at rows that do not exist"
        ));
    }
    let negative: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT package_id FROM ledger_entries GROUP BY package_id HAVING sum(delta) < 0)",
        [],
        |r| r.get(0),
    )?;
    if negative > 0 {
        problems.push(format!("{negative} packages have a balance below zero"));
    }
    Ok(Report {
        schema_version: conn.pragma_query_value(None, "user_version", |r| r.get(0))?,
        clients: count(conn, "clients")?,
        packages: count(conn, "packages")?,
        ledger_entries: count(conn, "ledger_entries")?,
        payments: count(conn, "payments")?,
        problems,
    })
}

impl crate::store::Store {
    /// Checks the open practice whole; see [`Report`].
    pub fn check(&self) -> Result<Report> {
        run(self.connection_for_io())
    }
}
