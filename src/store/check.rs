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
    // The balance cache is a proven cache: it equals the sums it caches.
    // (A file from before the cache has none to check; SQLite's own check
    // above covers the search index.)
    let has_cache: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE name = 'package_balances'",
        [],
        |r| r.get(0),
    )?;
    if has_cache {
        let stale: i64 = conn.query_row(
            "SELECT count(*) FROM packages p LEFT JOIN package_balances b ON b.package_id = p.id
              WHERE b.package_id IS NULL
                 OR b.balance IS NOT (SELECT coalesce(sum(delta), 0) FROM ledger_entries e WHERE e.package_id = p.id)
                 OR b.paid_minor IS NOT (SELECT coalesce(sum(CASE a.kind WHEN 'payment' THEN a.amount_minor ELSE -a.amount_minor END), 0)
                                           FROM payments a WHERE a.package_id = p.id)",
            [],
            |r| r.get(0),
        )?;
        if stale > 0 {
            problems.push(format!(
                "{stale} cached package balances differ from their ledger"
            ));
        }
        // v15: each balance row names its package's client.
        problems.extend(copy_problem(
            conn,
            ("package_balances", "client_id"),
            "SELECT count(*) FROM packages p JOIN package_balances b ON b.package_id = p.id
              WHERE b.client_id IS NOT p.client_id",
            "package balances name another client than their package's",
        )?);
    }
    let has_worth: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE name = 'value_by_day'",
        [],
        |r| r.get(0),
    )?;
    if has_worth {
        problems.extend(worth_problems(conn)?);
    }
    let has_extensions: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE name = 'package_extensions'",
        [],
        |r| r.get(0),
    )?;
    if has_extensions {
        problems.extend(expiry_problems(conn)?);
    }
    let has_day_counts: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE name = 'sessions_per_day'",
        [],
        |r| r.get(0),
    )?;
    if has_day_counts {
        // Every day's counts (v13) equal its bookings counted again; a day
        // on one side only counts as zero on the other.
        let stale: i64 = conn.query_row(
            "SELECT count(*) FROM (SELECT starts_on AS day, count(*) AS n, sum(status = 'scheduled') AS open
                                     FROM sessions GROUP BY starts_on) s
               FULL JOIN sessions_per_day d ON d.day = s.day
              WHERE coalesce(s.n, 0) <> coalesce(d.sessions, 0) OR coalesce(s.open, 0) <> coalesce(d.scheduled, 0)",
            [],
            |r| r.get(0),
        )?;
        if stale > 0 {
            problems.push(format!(
                "{stale} days' counts of bookings differ from their bookings"
            ));
        }
    }
    // v17: each balance row carries its package's sale day, and the sale
    // day of its client's first sale (not cancelled) after it or renewing it.
    problems.extend(copy_problem(
        conn,
        ("package_balances", "sold_on"),
        "SELECT count(*) FROM packages p JOIN package_balances b ON b.package_id = p.id
          WHERE b.sold_on IS NOT p.sold_on",
        "package balances carry another sale day than their package's",
    )?);
    problems.extend(copy_problem(
        conn,
        ("package_balances", "followed_on"),
        "SELECT count(*) FROM package_balances b JOIN package_next_sales n ON n.package_id = b.package_id
          WHERE b.followed_on IS NOT n.followed_on",
        "packages' next sale differs from their client's sales",
    )?);
    // v16: each booking carries its client's sort key.
    problems.extend(copy_problem(
        conn,
        ("sessions", "client_sort_key"),
        "SELECT count(*) FROM sessions s JOIN clients c ON c.id = s.client_id
          WHERE s.client_sort_key IS NOT c.sort_key",
        "bookings sort under another name than their client's",
    )?);
    Ok(Report {
        schema_version: conn.pragma_query_value(None, "user_version", |r| r.get(0))?,
        clients: count(conn, "clients")?,
        packages: count(conn, "packages")?,
        ledger_entries: count(conn, "ledger_entries")?,
        payments: count(conn, "payments")?,
        problems,
    })
}

/// A column that copies another row's, or is worked out from other rows,
/// kept by triggers since the migration that added it (a file from before
/// has none to check): how many rows `strays` counts that differ from what
/// they copy, in words.
fn copy_problem(
    conn: &Connection,
    (table, column): (&str, &str),
    strays: &str,
    what: &str,
) -> Result<Option<String>> {
    let copied: bool = conn.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info(?1) WHERE name = ?2",
        [table, column],
        |r| r.get(0),
    )?;
    if !copied {
        return Ok(None);
    }
    let n: i64 = conn.query_row(strays, [], |r| r.get(0))?;
    Ok((n > 0).then(|| format!("{n} {what}")))
}

/// The last day in force (v7): the latest extension's, else the one set at sale.
fn expiry_problems(conn: &Connection) -> Result<Vec<String>> {
    // Each cache kept by triggers, the rows where it differs from what it
    // is worked out from, and what the report says of them.
    const CACHES: [(&str, &str); 4] = [
        (
            "SELECT count(*) FROM packages p JOIN package_balances b ON b.package_id = p.id
              WHERE b.started_on IS NOT (CASE WHEN p.validity_from = 'first_use' THEN
                  (SELECT min(e.occurred_on) FROM ledger_entries e
                    WHERE e.package_id = p.id AND e.kind IN ('session', 'late_cancel', 'no_show')
                      AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)) END)",
            "packages' first-use day differs from their first session",
        ),
        (
            "SELECT count(*) FROM packages p JOIN package_balances b ON b.package_id = p.id
              WHERE b.expires_on IS NOT coalesce(
                  (SELECT x.expires_on FROM package_extensions x WHERE x.package_id = p.id ORDER BY x.seq DESC LIMIT 1),
                  CASE p.validity_from WHEN 'first_use' THEN date(b.started_on, '+' || p.validity_days || ' days')
                       ELSE p.expires_on END)",
            "packages' last day in force differs from their terms, first session, extensions and pauses",
        ),
        (
            "SELECT count(*) FROM package_balances b
              WHERE b.last_on IS NOT (SELECT max(e.occurred_on) FROM ledger_entries e WHERE e.package_id = b.package_id)",
            "packages' last day of use differs from their ledger",
        ),
        (
            "SELECT count(*) FROM clients c
              WHERE c.latest_package_id IS NOT (
                  SELECT p.id FROM packages p JOIN package_balances b ON b.package_id = p.id
                   WHERE p.client_id = c.id AND NOT b.cancelled
                   ORDER BY p.sold_on DESC, p.rowid DESC LIMIT 1)",
            "clients' newest package differs from their sales",
        ),
    ];
    let mut out = Vec::new();
    for (sql, what) in CACHES {
        let n: i64 = conn.query_row(sql, [], |r| r.get(0))?;
        if n > 0 {
            out.push(format!("{n} {what}"));
        }
    }
    Ok(out)
}

/// The worth of credits and the money by day (v6): each cache equals the
/// facts it sums, and every package's credits are worth its price.
fn worth_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let stale: i64 = conn.query_row(
        "SELECT count(*) FROM packages p JOIN package_balances b ON b.package_id = p.id
          WHERE b.valued IS NOT (SELECT coalesce(sum(valued), 0) FROM ledger_entries e WHERE e.package_id = p.id)
             OR b.value_minor IS NOT (SELECT coalesce(sum(value_minor), 0) FROM ledger_entries e WHERE e.package_id = p.id)
             OR b.refunded_minor IS NOT (SELECT coalesce(sum(CASE WHEN a.reverses_id IS NULL THEN a.amount_minor ELSE -a.amount_minor END), 0)
                                           FROM payments a WHERE a.package_id = p.id AND a.kind = 'refund')
             OR b.owed_minor IS NOT CASE WHEN b.cancelled THEN -b.paid_minor ELSE p.price_minor - b.paid_minor - b.refunded_minor END",
        [],
        |r| r.get(0),
    )?;
    if stale > 0 {
        problems.push(format!(
            "{stale} cached package worths or amounts owed differ from their facts"
        ));
    }
    let unworthy: i64 = conn.query_row(
        "SELECT count(*) FROM packages p JOIN package_balances b ON b.package_id = p.id
          WHERE b.value_minor < 0 OR b.valued < 0 OR b.valued > b.balance
             OR (SELECT coalesce(sum(value_minor), 0) FROM ledger_entries e
                  WHERE e.package_id = p.id AND e.kind = 'purchase') <> p.price_minor",
        [],
        |r| r.get(0),
    )?;
    if unworthy > 0 {
        problems.push(format!(
            "{unworthy} packages' credits are not worth their price"
        ));
    }
    let days: (i64, i64, i64, i64, i64) = conn.query_row(
        "SELECT (SELECT coalesce(sum(sold_minor - earned_minor - expired_minor - taken_back_minor), 0) FROM value_by_day),
                (SELECT coalesce(sum(value_minor), 0) FROM package_balances),
                (SELECT coalesce(sum(paid_minor - refunded_minor), 0) FROM cash_by_day),
                (SELECT coalesce(sum(paid_minor), 0) FROM package_balances),
                (SELECT count(*) FROM value_by_day v WHERE v.sold_minor < 0 OR v.earned_minor < 0 OR v.expired_minor < 0 OR v.taken_back_minor < 0)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    if days.0 != days.1 {
        problems.push(format!(
            "revenue by day says {} is prepaid, the packages say {}",
            days.0, days.1
        ));
    }
    if days.2 != days.3 {
        problems.push(format!(
            "cash by day says {} came in, the packages say {}",
            days.2, days.3
        ));
    }
    if days.4 > 0 {
        problems.push(format!("{} days have negative revenue figures", days.4));
    }
    Ok(problems)
}

impl crate::store::Store {
    /// Checks the open practice whole; see [`Report`].
    pub fn check(&self) -> Result<Report> {
        run(self.connection_for_io())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    /// `punchcard check` reads a file as it is, older ones too: a file from
    /// before v15 has no balance rows naming their client, one from before
    /// v16 no bookings' sort keys, one from before v17 no sale days or next
    /// sales in its balance rows, and none of it is a problem.
    #[rstest::rstest]
    #[case("schema-v14.sqlite3")]
    #[case("schema-v15.sqlite3")]
    #[case("schema-v16.sqlite3")]
    fn a_file_from_before_a_copied_column_checks_whole(#[case] fixture: &str) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(fixture);
        std::fs::copy(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(fixture),
            &path,
        )
        .unwrap();
        let conn = rusqlite::Connection::open(&path).unwrap();
        let report = super::run(&conn).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }

    /// Each cache the triggers keep, drifted by hand, is reported by name
    /// (and nothing else is).
    #[rstest::rstest]
    #[case(
        "UPDATE package_balances SET balance = 7",
        "1 cached package balances differ from their ledger"
    )]
    #[case(
        "UPDATE package_balances SET started_on = '2026-11-02'",
        "1 packages' first-use day differs from their first session"
    )]
    #[case("UPDATE package_balances SET expires_on = '2027-01-01'", "1 packages' last day in force differs from their terms, first session, extensions and pauses")]
    #[case(
        "UPDATE package_balances SET last_on = '2020-01-01'",
        "1 packages' last day of use differs from their ledger"
    )]
    #[case(
        "DROP TRIGGER package_balances_keep_their_client;
         UPDATE package_balances SET client_id = NULL",
        "1 package balances name another client than their package's"
    )]
    #[case(
        "DROP TRIGGER sessions_sort_key_is_their_clients;
         UPDATE sessions SET client_sort_key = 'zz'",
        "1 bookings sort under another name than their client's"
    )]
    #[case(
        "DROP TRIGGER clients_sort_key_to_their_sessions;
         UPDATE clients SET sort_key = 'bea'",
        "1 bookings sort under another name than their client's"
    )]
    #[case(
        "DROP TRIGGER package_balances_keep_their_sale_day;
         UPDATE package_balances SET sold_on = '2026-10-31'",
        "1 package balances carry another sale day than their package's"
    )]
    #[case(
        "UPDATE package_balances SET followed_on = '2026-11-20'",
        "1 packages' next sale differs from their client's sales"
    )]
    #[case(
        "UPDATE clients SET latest_package_id = NULL",
        "1 clients' newest package differs from their sales"
    )]
    #[case(
        "UPDATE sessions_per_day SET scheduled = 0",
        "1 days' counts of bookings differ from their bookings"
    )]
    #[case(
        "DELETE FROM sessions_per_day WHERE day = '2026-11-03'",
        "1 days' counts of bookings differ from their bookings"
    )]
    #[case(
        "INSERT INTO sessions_per_day VALUES ('2026-11-04', 1, 0)",
        "1 days' counts of bookings differ from their bookings"
    )]
    fn a_cache_that_drifted_is_reported(#[case] drift: &str, #[case] reported: &str) {
        let mut s = Store::open_in_memory().unwrap();
        s.set_clock(Box::new(|| {
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 2, 12, 0, 0).unwrap()
        }));
        s.save_practice(&crate::PracticeInput::first_run("A", "EUR", "UTC"))
            .unwrap();
        let c = s.create_client(&crate::ClientInput::named("Ana")).unwrap();
        s.sell_package(&crate::SaleInput {
            client_id: c.id.clone(),
            terms: crate::TermsInput::new("Five", 5, "100", crate::Validity::None),
            sold_on: "2026-11-01".into(),
            ..Default::default()
        })
        .unwrap();
        // A booking still to close, on a day of its own.
        s.schedule(&crate::ops::bookings::ScheduleInput {
            client_id: c.id,
            date: "2026-11-03".into(),
            time: "10:00".into(),
            ..Default::default()
        })
        .unwrap();
        assert!(s.check().unwrap().problems.is_empty());
        s.connection().execute_batch(drift).unwrap();
        assert_eq!(s.check().unwrap().problems, [reported]);
    }
}
