//! Offerings: add, edit, retire. A sale copies the terms, so none of these
//! changes what was already sold.

use crate::changes::Topic;
use crate::domain::terms::{Terms, TermsInput};
use crate::error::{Error, Result};
use crate::store::{self, Store};
use crate::views::offerings::Offering;

fn missing() -> Error {
    Error::NotFound("That offering no longer exists.".into())
}

impl Store {
    pub fn create_offering(&mut self, input: &TermsInput) -> Result<Offering> {
        self.write(|tx| {
            let currency = tx.ctx()?.currency;
            let terms = Terms::parse(input, currency)?;
            let id = tx.id("of");
            store::offerings::insert(tx.conn, &id, &terms, &tx.now_text())?;
            tx.touch(Topic::Offerings);
            store::offerings::get(tx.conn, currency, &id)
        })
    }

    pub fn update_offering(&mut self, id: &str, input: &TermsInput) -> Result<Offering> {
        self.write(|tx| {
            let currency = tx.ctx()?.currency;
            let terms = Terms::parse(input, currency)?;
            if !store::offerings::update(tx.conn, id, &terms, &tx.now_text())? {
                return Err(missing());
            }
            tx.touch(Topic::Offerings);
            store::offerings::get(tx.conn, currency, id)
        })
    }

    /// Retired offerings stay on record (packages link to them) but are not
    /// offered for new sales.
    pub fn set_offering_retired(&mut self, id: &str, retired: bool) -> Result<Offering> {
        self.write(|tx| {
            let currency = tx.ctx()?.currency;
            if !store::offerings::set_retired(tx.conn, id, retired, &tx.now_text())? {
                return Err(missing());
            }
            tx.touch(Topic::Offerings);
            store::offerings::get(tx.conn, currency, id)
        })
    }
}
