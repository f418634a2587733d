//! The Reports screen's tables as CSV for an accountant: the same encoding as
//! the history export (UTF-8 with a byte-order mark, CRLF), amounts as plain
//! decimal numbers with the currency in its own column.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::Result;
use crate::io::history_csv::neutralise;
use crate::io::target;
use crate::store::Store;
use crate::views::reports::{MonthFigures, ReportQuery, Reports};

/// Which table to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ReportTable {
    /// One row per month and a total row.
    Months,
    /// One row per client who owes money.
    Owed,
}

pub const MONTHS_HEADER: [&str; 13] = [
    "month",
    "cash_in",
    "refunds",
    "net_cash",
    "sold",
    "earned",
    "credits_earned",
    "expired",
    "credits_expired",
    "taken_back",
    "credits_taken_back",
    "deferred_at_end",
    "currency",
];

pub const OWED_HEADER: [&str; 5] = ["client", "owed", "overdue", "days_overdue", "currency"];

fn month_row(m: &MonthFigures, currency: &str) -> [String; 13] {
    [
        m.month.clone(),
        m.cash_in.to_string(),
        m.refunds.to_string(),
        m.net_cash.to_string(),
        m.sold.to_string(),
        m.earned.to_string(),
        m.earned_credits.to_string(),
        m.expired.to_string(),
        m.expired_credits.to_string(),
        m.taken_back.to_string(),
        m.taken_back_credits.to_string(),
        m.deferred_at_end.to_string(),
        currency.to_owned(),
    ]
}

/// Writes one table of `reports` to `out`; returns the number of rows.
pub fn write_report(reports: &Reports, table: ReportTable, out: impl Write) -> Result<usize> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let cur = reports.currency.as_str();
    let rows = match table {
        ReportTable::Months => {
            w.write_record(MONTHS_HEADER)?;
            for m in reports.months.iter().chain(std::iter::once(&reports.total)) {
                w.write_record(month_row(m, cur))?;
            }
            reports.months.len() + 1
        }
        ReportTable::Owed => {
            w.write_record(OWED_HEADER)?;
            for o in &reports.owed {
                w.write_record([
                    neutralise(&o.client_name).as_ref(),
                    &o.owed.to_string(),
                    &o.overdue.to_string(),
                    &o.overdue_days.to_string(),
                    cur,
                ])?;
            }
            reports.owed.len()
        }
    };
    w.flush()?;
    Ok(rows)
}

impl Store {
    /// Writes a report table to `path` (checked: never the practice file),
    /// whole or not at all. Returns the file written and its rows.
    pub fn export_report(
        &self,
        query: &ReportQuery,
        table: ReportTable,
        path: &Path,
    ) -> Result<(PathBuf, usize)> {
        let reports = self.reports(query)?;
        let target = target::check(path, self.path())?;
        let mut rows = 0;
        target::write_whole(&target, |_, file| {
            let mut out = std::io::BufWriter::new(file);
            rows = write_report(&reports, table, &mut out)?;
            out.flush()?;
            Ok(())
        })?;
        Ok((target, rows))
    }
}
