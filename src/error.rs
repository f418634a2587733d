//! One error type for the whole core. It crosses IPC as `{ kind, message,
//! fields }`: a validation error names every field that is wrong at once, so a
//! form can put each message beside its field; any other error is the form's
//! (or the screen's) own. A raw SQLite message never reaches a user.

use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub enum ErrorKind {
    NotFound,
    Validation,
    Conflict,
    Storage,
    NewerSchema,
    NotAPractice,
    ReadOnly,
    Busy,
    Io,
}

/// One field's problem, named as the form names the field (camelCase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Every field that is wrong, in form order; never empty.
    #[error("{}", .0.first().map(|f| f.message.as_str()).unwrap_or("Check the form."))]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("This practice file was written by a newer version of Punchcard (schema {found}, this app knows up to {supported}). It was left untouched; please update Punchcard to open it.")]
    NewerSchema { found: i64, supported: i64 },
    #[error("{0}")]
    NotAPractice(String),
    #[error("{0}")]
    ReadOnly(String),
    #[error("{0}")]
    Busy(String),
    #[error("{}", storage_message(.0))]
    Storage(#[from] rusqlite::Error),
    #[error("The practice file could not be brought up to date ({0}). It was left as it was.")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("{}", io_message(.0))]
    Io(#[from] std::io::Error),
    #[error("The CSV file could not be written: {0}")]
    Csv(#[from] csv::Error),
}

/// Plain words for what SQLite reports, with what to do about it.
fn storage_message(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DatabaseBusy | C::DatabaseLocked) => {
            "Another program is using the practice file right now. Close it (or the other Punchcard window) and try again.".into()
        }
        Some(C::ReadOnly) => {
            "The practice file is read-only, so nothing can be saved. Check the file's permissions, or open a copy.".into()
        }
        Some(C::DiskFull) => "The disk is full, so nothing was saved. Free some space and try again.".into(),
        Some(C::CannotOpen | C::PermissionDenied) => {
            "The practice file can't be opened here: check that the folder exists and that you may write to it.".into()
        }
        Some(C::NotADatabase) => {
            "This file is not a Punchcard practice (it is not a database Punchcard can read). It was left untouched.".into()
        }
        Some(C::DatabaseCorrupt) => {
            "The practice file is damaged and can't be read. It was left as it is: restore a backup or an automatic snapshot.".into()
        }
        Some(C::SystemIoFailure) => "The practice file could not be read or written (a disk error). Nothing was changed.".into(),
        Some(C::ConstraintViolation) => {
            "That change would break one of the practice's rules, so nothing was saved. Reload and try again.".into()
        }
        _ => "The practice file could not be read or written. Nothing was changed.".into(),
    }
}

fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => {
            "Punchcard may not write there: pick another folder, or check its permissions.".into()
        }
        K::NotFound => "That folder does not exist.".into(),
        K::ReadOnlyFilesystem => "That disk is read-only: pick another place.".into(),
        K::StorageFull => "The disk is full: free some space, or pick another place.".into(),
        _ => format!("The file could not be written ({e})."),
    }
}

impl Error {
    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation(_) => ErrorKind::Validation,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::NewerSchema { .. } => ErrorKind::NewerSchema,
            Error::NotAPractice(_) => ErrorKind::NotAPractice,
            Error::ReadOnly(_) => ErrorKind::ReadOnly,
            Error::Busy(_) => ErrorKind::Busy,
            Error::Storage(e) => match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                    ErrorKind::Busy
                }
                Some(rusqlite::ErrorCode::ReadOnly) => ErrorKind::ReadOnly,
                Some(rusqlite::ErrorCode::NotADatabase) => ErrorKind::NotAPractice,
                _ => ErrorKind::Storage,
            },
            Error::Migration(_) => ErrorKind::Storage,
            Error::Io(_) | Error::Csv(_) => ErrorKind::Io,
        }
    }

    /// The fields a validation error names, in form order.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Error::Validation(list) => list.iter().map(|f| f.field.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    /// The first field named, if any: handy in tests.
    pub fn first_field(&self) -> Option<&str> {
        self.fields().first().copied()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The shape an error takes over IPC.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ErrorPayload {
    pub kind: ErrorKind,
    /// The first problem in plain words (a form shows it when it has no field for it).
    pub message: String,
    /// For a validation error: every field's problem at once.
    pub fields: Vec<FieldError>,
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        ErrorPayload {
            kind: e.kind(),
            message: e.to_string(),
            fields: match e {
                Error::Validation(list) => list.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl From<Error> for ErrorPayload {
    fn from(e: Error) -> Self {
        ErrorPayload::from(&e)
    }
}

/// Collects every field's problem before refusing, so a form shows them all
/// at once. Checks return `Result<T, String>`; a failed one yields `T::default()`
/// and the caller must call [`Check::done`] before using any value.
#[derive(Default)]
pub(crate) struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    pub fn new() -> Self {
        Check::default()
    }

    pub fn field<T: Default>(&mut self, field: &str, r: std::result::Result<T, String>) -> T {
        self.opt(field, r).unwrap_or_default()
    }

    pub fn opt<T>(&mut self, field: &str, r: std::result::Result<T, String>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(message) => {
                self.fail(field, message);
                None
            }
        }
    }

    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        // One message per field: the first problem found is the one to fix.
        if !self.errors.iter().any(|e| e.field == field) {
            self.errors.push(FieldError {
                field: field.to_owned(),
                message: message.into(),
            });
        }
    }

    /// Takes in every field error of another check's result.
    pub fn absorb<T>(&mut self, r: Result<T>) -> Result<Option<T>> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(Error::Validation(list)) => {
                for f in list {
                    self.fail(&f.field, f.message);
                }
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    pub fn done(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_reports_every_field_once() {
        let mut c = Check::new();
        let a: u32 = c.field("a", Err("bad a".into()));
        let b: u32 = c.field("b", Ok(7));
        c.fail("a", "second problem with a");
        c.fail("c", "bad c");
        assert_eq!((a, b), (0, 7));
        let e = c.done().unwrap_err();
        assert_eq!(e.fields(), ["a", "c"]);
        assert_eq!(e.to_string(), "bad a");
        let p = ErrorPayload::from(&e);
        assert_eq!(p.kind, ErrorKind::Validation);
        assert_eq!(p.fields.len(), 2);
    }

    #[test]
    fn storage_errors_speak_plainly() {
        let e = Error::Storage(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("database is locked".into()),
        ));
        assert_eq!(e.kind(), ErrorKind::Busy);
        assert!(e.to_string().starts_with("Another program is using"));
        assert!(!e.to_string().contains("database is locked"));
    }
}
