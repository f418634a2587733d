//! IPC commands, one module per area, listed once in `command_list.rs`. Each
//! command only translates: it calls the core (a read, or a write that
//! announces what it changed) and returns its value or its structured error.

pub mod bookings;
pub mod clients;
pub mod files;
pub mod money;
pub mod offerings;
pub mod packages;
pub mod practice;
pub mod renewals;
