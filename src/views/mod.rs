//! Read models: what each screen asks for, built from the store and decided
//! by the rules in `domain/`. Each read runs in one snapshot of the file.

pub mod agenda;
pub mod attention;
pub mod client_list;
pub mod client_record;
pub mod clients;
pub mod offerings;
pub mod practice;
pub mod reports;
pub mod timeline;
