//! A client's details, and the likely duplicates the client sheet warns about.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::client::DuplicateReason;
use crate::error::Result;
use crate::store::{self, Store};
use crate::text;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Client {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub notes: String,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LikelyDuplicate {
    pub id: String,
    pub name: String,
    pub email: String,
    pub reason: DuplicateReason,
}

impl Store {
    pub fn client(&self, id: &str) -> Result<Client> {
        self.read(|tx| store::clients::get(tx.conn, id))
    }

    /// Other clients that are probably the same person: the same email, or the
    /// same name ignoring case and spaces. `except` is the client being edited.
    pub fn likely_duplicates(
        &self,
        name: &str,
        email: &str,
        except: Option<&str>,
    ) -> Result<Vec<LikelyDuplicate>> {
        let key = text::name_key(name);
        let email = email.trim().to_lowercase();
        if key.is_empty() && email.is_empty() {
            return Ok(Vec::new());
        }
        self.read(|tx| {
            Ok(
                store::clients::same_name_or_email(tx.conn, &key, &email, except)?
                    .into_iter()
                    .map(|(c, reason)| LikelyDuplicate {
                        id: c.id,
                        name: c.name,
                        email: c.email,
                        reason,
                    })
                    .collect(),
            )
        })
    }
}
