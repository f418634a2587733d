//! Adding and editing clients.

use crate::domain::client::{ClientDetails, ClientInput};
use crate::error::{Error, Result};
use crate::store::{self, Store};
use crate::views::clients::Client;

impl Store {
    pub fn create_client(&mut self, input: &ClientInput) -> Result<Client> {
        let details = ClientDetails::parse(input)?;
        self.write(|tx| {
            let id = tx.id("cl");
            store::clients::insert(tx.conn, &id, &details, &tx.now_text())?;
            tx.client_written(&id);
            store::clients::get(tx.conn, &id)
        })
    }

    pub fn update_client(&mut self, id: &str, input: &ClientInput) -> Result<Client> {
        let details = ClientDetails::parse(input)?;
        self.write(|tx| {
            if !store::clients::update(tx.conn, id, &details, &tx.now_text())? {
                return Err(Error::NotFound("That client no longer exists.".into()));
            }
            tx.client_written(id);
            store::clients::get(tx.conn, id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::DuplicateReason;

    #[test]
    fn create_edit_and_refuse_bad_email() {
        let mut s = Store::open_in_memory().unwrap();
        let c = s
            .create_client(&ClientInput {
                name: "  Zoë Ångström ".into(),
                email: "zoe@example.com".into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(c.name, "Zoë Ångström");
        let spaced = s.create_client(&ClientInput::named("Ana   Souza")).unwrap();
        assert_eq!(spaced.name, "Ana Souza");
        let err = s
            .update_client(
                &c.id,
                &ClientInput {
                    name: "Zoë".into(),
                    email: "zoe at example".into(),
                    ..Default::default()
                },
            )
            .unwrap_err();
        assert_eq!(err.fields(), ["email"]);
        assert_eq!(s.client(&c.id).unwrap().name, "Zoë Ångström");
        assert_eq!(
            s.create_client(&ClientInput::named("   "))
                .unwrap_err()
                .fields(),
            ["name"]
        );
    }

    #[test]
    fn duplicates_by_email_or_name() {
        let mut s = Store::open_in_memory().unwrap();
        let a = s
            .create_client(&ClientInput {
                name: "Ana Souza".into(),
                email: "ana@example.com".into(),
                ..Default::default()
            })
            .unwrap();
        let by_name = s.likely_duplicates("ana  SOUZA", "", None).unwrap();
        assert_eq!(by_name.len(), 1);
        assert_eq!(by_name[0].reason, DuplicateReason::SameName);
        let by_email = s
            .likely_duplicates("Someone Else", "ANA@example.com", None)
            .unwrap();
        assert_eq!(by_email[0].reason, DuplicateReason::SameEmail);
        assert!(s
            .likely_duplicates("Ana Souza", "", Some(&a.id))
            .unwrap()
            .is_empty());
        assert!(s.likely_duplicates("Bea", "", None).unwrap().is_empty());
    }
}
