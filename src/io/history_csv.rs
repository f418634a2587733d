//! A client's history as CSV: UTF-8 with a byte-order mark (so Excel reads
//! accented names correctly; LibreOffice and Python's `utf-8-sig` accept it),
//! CRLF line ends, one row per event, oldest first. Text cells are neutralised
//! against formula injection; numbers are written as numbers.

use std::borrow::Cow;
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
pub(crate) fn neutralise(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// Writes one line; `scratch` is reused so a row allocates almost nothing.
fn write_row<W: Write>(
    w: &mut csv::Writer<W>,
    item: &TimelineItem,
    currency: &str,
    scratch: &mut String,
) -> Result<()> {
    use std::fmt::Write as _;
    scratch.clear();
    let _ = write!(scratch, "{}", item.date);
    w.write_field(scratch.as_bytes())?;
    w.write_field(item.time.as_deref().unwrap_or(""))?;
    w.write_field(item.label)?;
    scratch.clear();
    if let (Some(name), Some(sold)) = (&item.package_name, item.package_sold_on) {
        let _ = write!(scratch, "{name} ({sold})");
    }
    w.write_field(neutralise(scratch).as_bytes())?;
    scratch.clear();
    if let Some(n) = item.sessions {
        let _ = if n > 0 {
            write!(scratch, "+{n}")
        } else {
            write!(scratch, "{n}")
        };
    }
    w.write_field(scratch.as_bytes())?;
    scratch.clear();
    if let Some(b) = item.balance_after {
        let _ = write!(scratch, "{b}");
    }
    w.write_field(scratch.as_bytes())?;
    scratch.clear();
    if let Some(a) = item.amount {
        let _ = write!(scratch, "{a}");
    }
    w.write_field(scratch.as_bytes())?;
    w.write_field(if item.amount.is_some() { currency } else { "" })?;
    w.write_field(neutralise(&item.note).as_bytes())?;
    w.write_field(&item.id)?;
    w.write_record(None::<&[u8]>)?;
    Ok(())
}

/// Writes `client_id`'s history to `out`; returns the number of rows.
pub fn write_history(store: &Store, client_id: &str, out: impl Write) -> Result<usize> {
    let (currency, history) = store.read(|tx| {
        Ok((
            tx.ctx()?.currency.code().to_owned(),
            crate::views::timeline::build(tx, client_id)?,
        ))
    })?;
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(HISTORY_HEADER)?;
    let mut scratch = String::with_capacity(128);
    for item in &history {
        write_row(&mut w, item, &currency, &mut scratch)?;
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
        let expected = Cow::Borrowed(expected);
        assert_eq!(neutralise(input), expected);
    }
}
