//! Punchcard's core: the practice file, the domain rules and the views the
//! screens read. No Tauri and no UI here; the desktop shell only translates.
//!
//! Where a line lives:
//! - `domain/`  pure rules over plain values (no connection, no clock)
//! - `store/`   all SQL, one file per area, and the transaction helper
//! - `ops/`     writes: check input, then read, decide and write in one transaction
//! - `views/`   read models the screens ask for
//! - `io/`      files in and out (CSV)
//!
//! ```no_run
//! # fn main() -> punchcard::Result<()> {
//! let store = punchcard::Store::open("practice.sqlite3")?;
//! let clients = store.client_list("")?;
//! # Ok(()) }
//! ```

pub mod changes;
pub mod context;
pub mod domain;
pub mod error;
pub mod io;
pub mod memory;
pub mod money;
pub mod ops;
pub mod sample;
pub mod store;
mod text;
pub mod views;

pub use changes::{Changes, Topic};
pub use domain::client::{ClientInput, DuplicateReason};
pub use domain::package::PackageState;
pub use domain::payment::PaymentState;
pub use domain::terms::TermsInput;
pub use domain::validity::Validity;
pub use error::{Error, ErrorKind, ErrorPayload, FieldError, Result};
pub use ops::ledger::Reversed;
pub use ops::practice::{time_zone_or_utc, PracticeInput};
pub use ops::sales::SaleInput;
pub use ops::sessions::{LogSessionInput, LoggedSession};
pub use sample::{SampleSize, SampleSummary};
pub use store::Store;
pub use views::client_list::ClientSummary;
pub use views::client_record::{ClientRecord, PackageView};
pub use views::clients::{Client, LikelyDuplicate};
pub use views::offerings::Offering;
pub use views::practice::Practice;
pub use views::timeline::{EventKind, TimelineItem};
