//! Writes. Each operation checks its input, then reads, decides and writes
//! inside one IMMEDIATE transaction ([`crate::store::Store::write`]), so
//! nothing running beside it can change what it decided on.

pub mod bookings;
pub mod clients;
pub(crate) mod draw;
pub(crate) mod expiry;
pub mod ledger;
pub mod offerings;
pub mod payments;
pub mod practice;
pub mod renewals;
pub mod sales;
pub mod sessions;
