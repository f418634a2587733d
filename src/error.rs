//! One error type for the whole core. It crosses IPC as `{ kind, message, field }`
//! so the UI can put the message beside the field it names.

use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub enum ErrorKind {
    NotFound,
    Validation,
    Conflict,
    Storage,
    NewerSchema,
    Io,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    Validation {
        field: Option<&'static str>,
        message: String,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("This practice file was written by a newer version of Punchcard (schema {found}, this app knows up to {supported}). It was left untouched; please update Punchcard to open it.")]
    NewerSchema { found: i64, supported: i64 },
    #[error("Database error: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("Database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("File error: {0}")]
    Io(#[from] std::io::Error),
    #[error("CSV error: {0}")]
    Csv(#[from] csv::Error),
}

impl Error {
    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Error::Validation {
            field: Some(field),
            message: message.into(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation { .. } => ErrorKind::Validation,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::NewerSchema { .. } => ErrorKind::NewerSchema,
            Error::Storage(_) | Error::Migration(_) => ErrorKind::Storage,
            Error::Io(_) | Error::Csv(_) => ErrorKind::Io,
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Validation { field, .. } => *field,
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The shape an error takes over IPC.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ErrorPayload {
    pub kind: ErrorKind,
    pub message: String,
    pub field: Option<String>,
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        ErrorPayload {
            kind: e.kind(),
            message: e.to_string(),
            field: e.field().map(str::to_owned),
        }
    }
}

impl From<Error> for ErrorPayload {
    fn from(e: Error) -> Self {
        ErrorPayload::from(&e)
    }
}
