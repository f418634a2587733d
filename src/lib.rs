//! Punchcard's core: the practice file, the domain rules and the views the
//! screens read. No Tauri and no UI here; the desktop shell only translates.
//!
//! ```no_run
//! # fn main() -> punchcard::Result<()> {
//! let mut store = punchcard::Store::open("practice.sqlite3")?;
//! let clients = store.client_list("")?;
//! # Ok(()) }
//! ```

pub mod clients;
pub mod csv;
pub mod error;
pub mod ledger;
pub mod money;
pub mod offerings;
pub mod packages;
pub mod practice;
pub mod record;
pub mod sample;
pub mod sessions;
pub mod store;
mod text;

pub use clients::{Client, ClientInput, DuplicateReason, LikelyDuplicate};
pub use error::{Error, ErrorKind, ErrorPayload, Result};
pub use ledger::{EventKind, Reversed, TimelineItem};
pub use offerings::{Offering, TermsInput, Validity};
pub use packages::{PackageState, PackageView, PaymentState, SaleInput};
pub use practice::{Practice, PracticeInput};
pub use record::{ClientRecord, ClientSummary};
pub use sample::{SampleSize, SampleSummary};
pub use sessions::{LogSessionInput, LoggedSession};
pub use store::Store;
