//! Following up renewals: the practitioner marks a package's renewal as
//! offered or declined, or snoozes it until a day; and drafts a reminder for
//! the client in their own mail app (Punchcard sends nothing itself).

use chrono::NaiveDate;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::changes::Topic;
use crate::domain::attention::FollowUp;
use crate::error::{Check, Error, Result};
use crate::store::{self, Store};
use crate::text;
use crate::views::client_record::PackageView;

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExtendInput {
    pub package_id: String,
    /// The new last usable day (`YYYY-MM-DD`).
    pub until: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PauseInput {
    pub package_id: String,
    /// The first paused day (`YYYY-MM-DD`).
    pub from: String,
    /// The last paused day (`YYYY-MM-DD`).
    pub until: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FollowUpInput {
    pub package_id: String,
    pub state: FollowUp,
    /// For `snoozed`: the day it comes back on the list (`YYYY-MM-DD`).
    pub until: String,
}

/// The words reminders are drafted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReminderTemplate {
    pub text: String,
    /// The practice's own (false: Punchcard's).
    pub custom: bool,
}

/// A drafted reminder, and the `mailto:` link that opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Reminder {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub url: String,
}

/// The reminder's words; `{name}`, `{first}`, `{package}`, `{left}`,
/// `{expiry}` and `{practice}` are filled in.
pub const REMINDER_TEMPLATE: &str = "Hi {first},\n\nA quick note from {practice}: you have {left} left on your {package}{expiry}. Would you like to book your next sessions, or renew so there is no gap?\n\nBest wishes,\n{practice}";

/// What `mailto:` must escape: everything but letters and digits, and a few
/// marks mail apps read as they are.
const MAILTO: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Fills the template in (pure).
pub fn draft(
    template: &str,
    name: &str,
    package: &str,
    left: u32,
    expires_on: Option<NaiveDate>,
    practice: &str,
) -> String {
    let first = name.split_whitespace().next().unwrap_or(name);
    let left = format!("{left} {}", if left == 1 { "session" } else { "sessions" });
    let expiry = expires_on.map_or(String::new(), |e| {
        format!(", valid until {}", e.format("%-d %B %Y"))
    });
    template
        .replace("{name}", name)
        .replace("{first}", first)
        .replace("{package}", package)
        .replace("{left}", &left)
        .replace("{expiry}", &expiry)
        .replace("{practice}", practice)
}

/// The `mailto:` link for a message (RFC 6068: address, then subject and body).
pub fn mailto(to: &str, subject: &str, body: &str) -> String {
    format!(
        "mailto:{}?subject={}&body={}",
        utf8_percent_encode(to, MAILTO)
            .to_string()
            .replace("%40", "@"),
        utf8_percent_encode(subject, MAILTO),
        utf8_percent_encode(&body.replace('\n', "\r\n"), MAILTO)
    )
}

impl Store {
    pub fn set_follow_up(&mut self, input: &FollowUpInput) -> Result<()> {
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let p = store::packages::get(tx.conn, ctx.currency, &input.package_id)?;
            let mut c = Check::new();
            let until = match input.state {
                FollowUp::Snoozed => {
                    let d = c.opt("until", text::date(&input.until));
                    if d.is_some_and(|d| d <= ctx.today) {
                        c.fail("until", "Pick a day after today.");
                    }
                    d
                }
                _ => None,
            };
            c.done()?;
            let state = match input.state {
                FollowUp::None => "none",
                FollowUp::Offered => "offered",
                FollowUp::Declined => "declined",
                FollowUp::Snoozed => "snoozed",
            };
            store::renewals::set_follow_up(tx.conn, &p.id, state, until, &tx.now_text())?;
            tx.touch(Topic::Packages);
            Ok(())
        })
    }

    /// Moves a package's last day later, with a reason; one that already
    /// expired gets back the credits its expiry took (that entry is
    /// reversed) when the new day is today or later.
    pub fn extend_package(&mut self, input: &ExtendInput) -> Result<PackageView> {
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let p = store::packages::get(tx.conn, ctx.currency, &input.package_id)?;
            let mut c = Check::new();
            let to = c.opt("until", text::date(&input.until));
            let reason = c.field(
                "reason",
                text::required(&input.reason, "Say why: it stays in the history.", 2000),
            );
            match (p.expires_on, to) {
                (None, _) => c.fail(
                    "until",
                    "This package never expires: there is nothing to extend.",
                ),
                (Some(now), Some(to)) if to <= now => c.fail(
                    "until",
                    format!(
                        "Pick a day after its last day now, {}.",
                        now.format("%-d %b %Y")
                    ),
                ),
                (Some(_), Some(to)) if to < ctx.today => {
                    c.fail("until", "Pick today or a later day.")
                }
                _ => {}
            }
            if p.cancelled {
                c.fail("until", "This sale was cancelled.");
            }
            c.done()?;
            let Some(to) = to else {
                unreachable!("a passed check has every value")
            };
            store::renewals::insert_extension(
                tx.conn,
                &tx.id("px"),
                &p.id,
                to,
                &reason,
                None,
                &tx.now_text(),
            )?;
            crate::ops::expiry::reopen(tx, &p.id)?;
            tx.touch(Topic::Packages);
            crate::views::client_record::package_view(tx, &p.id)
        })
    }

    /// Pauses a package from one day through another (a holiday, an
    /// injury): nothing is drawn from it on those days, and its last day, if
    /// it has one, moves later by as many days (an extension linked to the
    /// pause, so the history tells why).
    pub fn pause_package(&mut self, input: &PauseInput) -> Result<PackageView> {
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let p = store::packages::get(tx.conn, ctx.currency, &input.package_id)?;
            let mut c = Check::new();
            let from = c.opt("from", text::date(&input.from));
            let until = c.opt("until", text::date(&input.until));
            let reason = c.field(
                "reason",
                text::required(&input.reason, "Say why: it stays in the history.", 2000),
            );
            let day = |d: NaiveDate| d.format("%-d %b %Y").to_string();
            if p.cancelled {
                c.fail("from", "This sale was cancelled.");
            } else if p.not_started() {
                c.fail(
                    "from",
                    "Its clock starts at the first session: there is nothing to pause yet.",
                );
            } else if p.remaining == 0 && p.expired == 0 {
                c.fail("from", "Every credit is used: there is nothing to pause.");
            }
            if let Some(from) = from {
                if from < p.sold_on {
                    c.fail("from", format!("Pick a day from the sale, {}, on.", day(p.sold_on)));
                } else if let Some(last) = p.expires_on.filter(|e| from > *e) {
                    c.fail(
                        "from",
                        format!("It was valid only until {}: extend it instead.", day(last)),
                    );
                }
            }
            if let (Some(from), Some(until)) = (from, until) {
                if until < from {
                    c.fail("until", "Pick the first paused day or a later one.");
                } else if (until - from).num_days() >= i64::from(crate::domain::terms::MAX_VALIDITY_DAYS) {
                    c.fail("until", "A pause is at most ten years.");
                } else if let Some(q) = p.pauses.iter().find(|(a, b)| *a <= until && from <= *b) {
                    c.fail(
                        "from",
                        format!("It is already paused from {} to {}.", day(q.0), day(q.1)),
                    );
                } else {
                    let drawn = store::renewals::draws_between(tx.conn, &p.id, (from, until))?;
                    if drawn > 0 {
                        c.fail(
                            "from",
                            format!(
                                "{} drawn from it on those days; undo them first, or pause from a later day.",
                                match drawn {
                                    1 => "A session was".to_string(),
                                    n => format!("{n} sessions were"),
                                }
                            ),
                        );
                    }
                }
            }
            c.done()?;
            let (Some(from), Some(until)) = (from, until) else {
                unreachable!("a passed check has every value")
            };
            let now = tx.now_text();
            let pause_id = tx.id("pp");
            store::renewals::insert_pause(tx.conn, &pause_id, &p.id, (from, until), &reason, &now)?;
            if let Some(last) = p.expires_on {
                let days = (until - from).num_days() + 1;
                let to = last
                    .checked_add_days(chrono::Days::new(days.unsigned_abs()))
                    .unwrap_or(last);
                store::renewals::insert_extension(
                    tx.conn,
                    &tx.id("px"),
                    &p.id,
                    to,
                    &reason,
                    Some(&pause_id),
                    &now,
                )?;
                // Credits its expiry took come back while the new day is ahead;
                // past it, they expire again on the new day.
                if crate::ops::expiry::reopen(tx, &p.id)? {
                    crate::ops::expiry::expire(tx, Some(&p.id))?;
                }
            }
            tx.touch(Topic::Packages);
            crate::views::client_record::package_view(tx, &p.id)
        })
    }

    /// The words reminders are drafted from: the practice's own, else Punchcard's.
    pub fn reminder_template(&self) -> Result<ReminderTemplate> {
        self.read(|tx| {
            tx.ctx()?;
            let own = store::renewals::reminder_template(tx.conn)?;
            Ok(ReminderTemplate {
                custom: !own.trim().is_empty(),
                text: if own.trim().is_empty() {
                    REMINDER_TEMPLATE.into()
                } else {
                    own
                },
            })
        })
    }

    /// Saves the practice's own reminder words; empty goes back to Punchcard's.
    pub fn set_reminder_template(&mut self, text: &str) -> Result<ReminderTemplate> {
        let text =
            text::multiline(text, 4000).map_err(|m| crate::error::Error::field("text", m))?;
        self.write(|tx| {
            tx.ctx()?;
            let own = if text.trim() == REMINDER_TEMPLATE.trim() {
                ""
            } else {
                text.as_str()
            };
            store::renewals::set_reminder_template(tx.conn, own, &tx.now_text())?;
            tx.touch(Topic::Practice);
            Ok(())
        })?;
        self.reminder_template()
    }

    /// A reminder for the client about their newest package, ready for their
    /// mail app.
    pub fn reminder(&self, client_id: &str) -> Result<Reminder> {
        self.read(|tx| {
            let ctx = tx.ctx()?;
            let client = store::clients::get(tx.conn, client_id)?;
            if client.email.trim().is_empty() {
                return Err(Error::Conflict(format!(
                    "{} has no email address yet: add one with Edit, then remind.",
                    client.name
                )));
            }
            let practice = store::practice::get(tx.conn)?
                .map(|p| p.name)
                .unwrap_or_default();
            let packages = store::packages::of_client(tx.conn, ctx.currency, &client.id)?;
            let latest = packages.iter().find(|p| !p.cancelled);
            let own = store::renewals::reminder_template(tx.conn)?;
            let body = draft(
                if own.trim().is_empty() {
                    REMINDER_TEMPLATE
                } else {
                    &own
                },
                &client.name,
                latest.map_or("package", |p| p.name.as_str()),
                latest.map_or(0, |p| p.remaining),
                latest
                    .and_then(|p| p.expires_on)
                    .filter(|e| *e >= ctx.today),
                &practice,
            );
            let subject = format!("Your sessions with {practice}");
            Ok(Reminder {
                url: mailto(&client.email, &subject, &body),
                to: client.email,
                subject,
                body,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reminder_is_filled_in_and_escaped_for_mailto() {
        let body = draft(
            REMINDER_TEMPLATE,
            "Ana Souza",
            "10-session pack",
            2,
            "2026-12-31".parse().ok(),
            "Move & Well",
        );
        assert!(body.starts_with("Hi Ana,"));
        assert!(
            body.contains("2 sessions left on your 10-session pack, valid until 31 December 2026")
        );
        let url = mailto(
            "ana+pt@example.com",
            "Your sessions",
            "Hi Ana,\nA & B? 100%",
        );
        assert_eq!(url, "mailto:ana%2Bpt@example.com?subject=Your%20sessions&body=Hi%20Ana%2C%0D%0AA%20%26%20B%3F%20100%25");
    }
}
