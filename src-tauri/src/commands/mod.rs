//! IPC commands, one module per area. Each command only translates: it calls
//! the core and returns its value or its structured error.

pub mod clients;
pub mod export;
pub mod ledger;
pub mod offerings;
pub mod practice;
pub mod sales;
