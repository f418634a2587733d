//! Clients: what may be written about a person, checked all at once. Names are
//! not unique, so likely duplicates are pointed out, never refused.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{Check, Result};
use crate::text;

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

pub const MAX_NOTES: usize = 20_000;

/// A client's details after every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientDetails {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub notes: String,
}

impl ClientDetails {
    pub fn parse(input: &ClientInput) -> Result<Self> {
        let mut c = Check::new();
        let name = c.field(
            "name",
            text::required(&input.name, "Enter the client's name.", 200),
        );
        let email = c.field("email", email(&input.email));
        let phone = c.field("phone", phone(&input.phone));
        let notes = c.field("notes", text::multiline(&input.notes, MAX_NOTES));
        c.done()?;
        Ok(ClientDetails {
            name,
            email,
            phone,
            notes,
        })
    }
}

fn email(text: &str) -> text::Checked<String> {
    let email = text::line(text, 320)?;
    if email.is_empty() {
        return Ok(email);
    }
    let ok = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.contains(' ')
        }
        None => false,
    };
    if ok {
        Ok(email)
    } else {
        Err("That doesn't look like an email address (name@example.com).".into())
    }
}

fn phone(text: &str) -> text::Checked<String> {
    let phone = text::line(text, 64)?;
    if !phone.is_empty() && text::digits(&phone).is_empty() {
        return Err("A phone number needs digits, like +351 912 345 678.".into());
    }
    Ok(phone)
}

/// Why another client looks like the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum DuplicateReason {
    SameEmail,
    SameName,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[test]
    fn names_are_cleaned() {
        let d = ClientDetails::parse(&ClientInput::named("  Zoë   Ångström ")).unwrap();
        assert_eq!(d.name, "Zoë Ångström");
    }

    #[rstest]
    #[case(ClientInput::named("   "), &["name"])]
    #[case(ClientInput::named("\u{200B}"), &["name"])]
    #[case(ClientInput { email: "zoe at example".into(), ..ClientInput::named("Zoë") }, &["email"])]
    #[case(ClientInput { email: "zoe@ex\u{0}ample.com".into(), ..ClientInput::named("Zoë") }, &["email"])]
    #[case(ClientInput { phone: "call me".into(), ..ClientInput::named("Zoë") }, &["phone"])]
    #[case(ClientInput { name: "".into(), email: "x".into(), phone: "-".into(), notes: "\u{1b}[2J".into() }, &["name", "email", "phone", "notes"])]
    fn bad_details_name_every_field(#[case] input: ClientInput, #[case] fields: &[&str]) {
        assert_eq!(ClientDetails::parse(&input).unwrap_err().fields(), fields);
    }
}
