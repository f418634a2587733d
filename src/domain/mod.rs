//! Pure rules over plain values: no connection, no clock. Each has an rstest
//! table beside it that reads like the rule it tests.

pub mod attention;
pub mod booking;
pub mod client;
pub mod drawing;
pub mod kinds;
pub mod ledger;
pub mod package;
pub mod payment;
pub mod retention;
pub mod terms;
pub mod validity;
pub mod value;
