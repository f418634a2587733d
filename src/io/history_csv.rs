//! A client's history as CSV: UTF-8 with a byte-order mark (so Excel reads
//! accented names correctly; LibreOffice and Python's `utf-8-sig` accept it),
//! CRLF line ends, one row per event, oldest first. Text cells are neutralised
//! against formula injection; numbers are written as numbers.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::io::target;
use crate::store::Store;
use crate::views::timeline::TimelineItem;

pub const HISTORY_HEADER: [&str; 10] = [
    "date", "time", "event", "package", "sessions", "balance", "amount", "currency", "note", "id",
];

/// A text cell that a spreadsheet would run as a formula gets a leading `'`.
pub(crate) fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

fn row(item: &TimelineItem, currency: &str) -> [String; 10] {
    [
        item.date.to_string(),
        item.time.clone().unwrap_or_default(),
        item.label.clone(),
        neutralise(&format!("{} ({})", item.package_name, item.package_sold_on)),
        item.sessions
            .map(|n| {
                if n > 0 {
                    format!("+{n}")
                } else {
                    n.to_string()
                }
            })
            .unwrap_or_default(),
        item.balance_after.to_string(),
        item.amount.map(|a| a.to_string()).unwrap_or_default(),
        if item.amount.is_some() {
            currency.to_owned()
        } else {
            String::new()
        },
        neutralise(&item.note),
        item.id.clone(),
    ]
}

/// Writes `client_id`'s history to `out`; returns the number of rows.
pub fn write_history(store: &Store, client_id: &str, out: impl Write) -> Result<usize> {
    let currency = store.require_practice()?.currency;
    let history = store.history(client_id)?;
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(HISTORY_HEADER)?;
    for item in &history {
        w.write_record(row(item, &currency))?;
    }
    w.flush()?;
    Ok(history.len())
}

impl Store {
    /// Exports to `path` (checked: never the practice file) through a
    /// temporary file renamed into place, so an existing file is never left
    /// half-written. Returns the file written and the number of rows.
    pub fn export_history(&self, client_id: &str, path: &Path) -> Result<(PathBuf, usize)> {
        self.client(client_id)?;
        let target = target::check(path, self.path())?;
        let mut rows = 0;
        target::write_whole(&target, |_, file| {
            let mut out = std::io::BufWriter::new(file);
            rows = write_history(self, client_id, &mut out)?;
            out.flush()?;
            Ok(())
        })?;
        Ok((target, rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("=SUM(A1)", "'=SUM(A1)")]
    #[case("+1 555", "'+1 555")]
    #[case("-5 sessions", "'-5 sessions")]
    #[case("@cmd", "'@cmd")]
    #[case("\tx", "'\tx")]
    #[case("\r\nx", "'\r\nx")]
    #[case("Paid cash", "Paid cash")]
    #[case("", "")]
    fn formula_injection_is_neutralised(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(neutralise(input), expected);
    }
}
