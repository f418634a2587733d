//! Clients: who the practitioner works with. Names are not unique, so likely
//! duplicates are pointed out, never refused.

use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Error, Result};
use crate::store::{found, Store};
use crate::text::{name_key, optional, required};

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

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub notes: String,
}

impl ClientInput {
    pub fn named(name: &str) -> Self {
        ClientInput {
            name: name.into(),
            ..Default::default()
        }
    }
}

/// Why another client looks like the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum DuplicateReason {
    SameEmail,
    SameName,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LikelyDuplicate {
    pub id: String,
    pub name: String,
    pub email: String,
    pub reason: DuplicateReason,
}

struct Valid {
    name: String,
    email: String,
    phone: String,
    notes: String,
}

fn validate(input: &ClientInput) -> Result<Valid> {
    // Runs of spaces in a name are typing slips: "Ana  Souza" is "Ana Souza".
    let name = required(&input.name, "name", "Enter the client's name.", 200)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let email = optional(&input.email, "email", 320)?;
    if !email.is_empty() {
        let ok = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
                    && !email.chars().any(char::is_whitespace)
            }
            None => false,
        };
        if !ok {
            return Err(Error::validation(
                "email",
                "That doesn't look like an email address (name@example.com).",
            ));
        }
    }
    Ok(Valid {
        name,
        email,
        phone: optional(&input.phone, "phone", 64)?,
        notes: optional(&input.notes, "notes", 20000)?,
    })
}

pub(crate) fn client_from_row(r: &Row<'_>) -> rusqlite::Result<Client> {
    Ok(Client {
        id: r.get("id")?,
        name: r.get("name")?,
        email: r.get("email")?,
        phone: r.get("phone")?,
        notes: r.get("notes")?,
        archived: r.get("archived")?,
    })
}

impl Store {
    pub fn client(&self, id: &str) -> Result<Client> {
        found(
            self.conn.query_row(
                "SELECT id, name, email, phone, notes, archived FROM clients WHERE id = ?1",
                [id],
                client_from_row,
            ),
            "client",
        )
    }

    pub fn create_client(&mut self, input: &ClientInput) -> Result<Client> {
        let v = validate(input)?;
        let id = self.new_id("cl");
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO clients (id, name, name_key, email, phone, notes, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![id, v.name, name_key(&v.name), v.email, v.phone, v.notes, now],
            )?;
            Ok(())
        })?;
        self.client(&id)
    }

    pub fn update_client(&mut self, id: &str, input: &ClientInput) -> Result<Client> {
        let v = validate(input)?;
        self.write(|tx, now| {
            let n = tx.execute(
                "UPDATE clients SET name = ?2, name_key = ?3, email = ?4, phone = ?5, notes = ?6,
                     updated_at = ?7 WHERE id = ?1",
                params![
                    id,
                    v.name,
                    name_key(&v.name),
                    v.email,
                    v.phone,
                    v.notes,
                    now
                ],
            )?;
            if n == 0 {
                return Err(Error::NotFound("That client no longer exists.".into()));
            }
            Ok(())
        })?;
        self.client(id)
    }

    /// Other clients that are probably the same person: the same email, or the
    /// same name ignoring case and spaces. `except` is the client being edited.
    pub fn likely_duplicates(
        &self,
        name: &str,
        email: &str,
        except: Option<&str>,
    ) -> Result<Vec<LikelyDuplicate>> {
        let key = name_key(name);
        let email = email.trim().to_lowercase();
        if key.is_empty() && email.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, email, (email <> '' AND lower(email) = ?2) AS same_email
             FROM clients
             WHERE (name_key = ?1 OR (?2 <> '' AND email <> '' AND lower(email) = ?2))
               AND id IS NOT ?3
             ORDER BY name LIMIT 5",
        )?;
        let rows = stmt.query_map(params![key, email, except], |r| {
            Ok(LikelyDuplicate {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                reason: if r.get::<_, bool>(3)? {
                    DuplicateReason::SameEmail
                } else {
                    DuplicateReason::SameName
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(err.field(), Some("email"));
        assert_eq!(s.client(&c.id).unwrap().name, "Zoë Ångström");
        assert_eq!(
            s.create_client(&ClientInput::named("   "))
                .unwrap_err()
                .field(),
            Some("name")
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
