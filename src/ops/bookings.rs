//! Bookings: schedule (once or weekly), complete, no-show, cancel (late or
//! not, by the package's late-cancel window), reschedule, waive a forfeit,
//! and reopen a cancelled booking. A booking draws nothing until it happens;
//! what happens then is written to the ledger in the same transaction.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::changes::Topic;
use crate::domain::booking::{self, Booked, BookingAction};
use crate::domain::kinds::{EntryKind, SessionStatus};
use crate::error::{Check, Error, Result};
use crate::ops::draw::{candidates_at, choose, no_credit};
use crate::store::ledger::NewEntry;
use crate::store::sessions::{NewSession, SessionRow};
use crate::store::{self, Tx};
use crate::text;
use crate::Store;

/// What the Schedule sheet sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleInput {
    pub client_id: String,
    /// The first session's day, `YYYY-MM-DD`, in the practice's time zone.
    pub date: String,
    /// `HH:MM`, in the practice's time zone.
    pub time: String,
    /// Minutes; empty means 60.
    pub duration: String,
    /// Optional service label; empty draws from any package.
    pub service: String,
    /// Draw from this package rather than by the drawing rule.
    pub package_id: Option<String>,
    /// How many weekly sessions, the first included; empty means one.
    pub weeks: String,
    pub note: String,
}

/// A package the Schedule sheet offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PackageChoice {
    pub id: String,
    pub name: String,
    pub service: String,
    pub remaining: u32,
    pub expires_on: Option<NaiveDate>,
}

/// What a booking (or a weekly series) will draw from, before it is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SchedulePreview {
    /// The client's packages with credits left.
    pub packages: Vec<PackageChoice>,
    /// The package the first session will draw from, if any credit is left for it.
    pub package_id: Option<String>,
    pub package_name: Option<String>,
    /// Why that package.
    pub why: String,
    /// Credits left on it after these sessions (and the ones already booked).
    pub left_after: u32,
    /// How many of these sessions find no credit: booked beyond the balance.
    pub beyond: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Scheduled {
    pub session_ids: Vec<String>,
    pub preview: SchedulePreview,
}

/// What closing a booking did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BookingOutcome {
    pub session_id: String,
    pub status: BookingStatus,
    /// The ledger entry written (a draw or a forfeit): what Undo reverses.
    pub entry_id: Option<String>,
    pub package_name: Option<String>,
    /// Credits left on that package afterwards.
    pub remaining: Option<u32>,
    /// Recorded as owed: no credit was left.
    pub owed: bool,
    /// A cancellation inside the package's late-cancel window.
    pub late: bool,
}

/// A booking's status, as the UI shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum BookingStatus {
    Scheduled,
    Completed,
    Cancelled,
    LateCancelled,
    NoShow,
}

impl From<SessionStatus> for BookingStatus {
    fn from(s: SessionStatus) -> Self {
        match s {
            SessionStatus::Scheduled => BookingStatus::Scheduled,
            SessionStatus::Completed => BookingStatus::Completed,
            SessionStatus::Cancelled => BookingStatus::Cancelled,
            SessionStatus::LateCancelled => BookingStatus::LateCancelled,
            SessionStatus::NoShow => BookingStatus::NoShow,
        }
    }
}

pub const MAX_WEEKS: u32 = 52;

struct Plan {
    client_id: String,
    first: NaiveDate,
    time: String,
    duration: u32,
    service: String,
    package_id: Option<String>,
    weeks: u32,
    note: String,
}

fn plan(input: &ScheduleInput, today: NaiveDate) -> Result<Plan> {
    let mut c = Check::new();
    if input.client_id.trim().is_empty() {
        c.fail("clientId", "Choose who the session is for.");
    }
    let first = c.opt("date", text::date(&input.date));
    if first.is_some_and(|d| d < today) {
        c.fail(
            "date",
            "That day has passed: to record a session that happened, log it instead.",
        );
    }
    let time = c.field("time", text::time(&input.time));
    if time.is_none() && !c.has("time") {
        c.fail("time", "Enter the time the session starts, as HH:MM.");
    }
    let duration = match input.duration.trim() {
        "" => 60,
        t => c.field("duration", text::count(t, 5, 720)),
    };
    let weeks = match input.weeks.trim() {
        "" => 1,
        t => c.field("weeks", text::count(t, 1, MAX_WEEKS)),
    };
    let service = c.field("service", text::line(&input.service, 100));
    let note = c.field("note", text::multiline(&input.note, 2000));
    c.done()?;
    let first = first.unwrap_or(today);
    let last = first + chrono::Days::new(7 * u64::from(weeks.saturating_sub(1)));
    if !text::in_range(last) {
        return Err(Error::field(
            "weeks",
            "That series runs past the year 2200.",
        ));
    }
    Ok(Plan {
        client_id: input.client_id.clone(),
        first,
        time: time.unwrap_or_default(),
        duration,
        service,
        package_id: input.package_id.clone().filter(|p| !p.is_empty()),
        weeks,
        note,
    })
}

impl Plan {
    fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        (0..self.weeks).map(|w| self.first + chrono::Days::new(7 * u64::from(w)))
    }
}

/// The preview for a plan: the client's bookings already ahead, then these,
/// drawn on paper.
fn preview(tx: &Tx, p: &Plan) -> Result<SchedulePreview> {
    let ctx = tx.ctx()?;
    let client = store::clients::get(tx.conn, &p.client_id)?;
    let (packages, candidates) = candidates_at(tx, &client.id, ctx.today, "")?;
    if let Some(id) = &p.package_id {
        if !packages.iter().any(|x| &x.id == id) {
            return Err(Error::field(
                "packageId",
                "That package is not this client's.",
            ));
        }
    }
    let mut booked: Vec<Booked> =
        store::sessions::booked_of_client(tx.conn, &client.id, ctx.today)?
            .into_iter()
            .map(|s| Booked {
                session_id: s.id,
                on: s.starts_on,
                planned: s.package_id,
                service: s.service,
            })
            .collect();
    let ours: Vec<String> = (0..p.weeks).map(|i| format!("new:{i}")).collect();
    booked.extend(p.days().zip(&ours).map(|(on, id)| Booked {
        session_id: id.clone(),
        on,
        planned: p.package_id.clone(),
        service: p.service.clone(),
    }));
    booked.sort_by_key(|b| b.on);
    let covered = booking::project(&candidates, &booked);
    let mine: Vec<_> = covered
        .iter()
        .filter(|c| ours.contains(&c.session_id))
        .collect();
    let first = mine.first().and_then(|c| c.package.clone());
    let last = mine.iter().rev().find(|c| c.package == first);
    let why = match &first {
        Some(id) if p.package_id.as_deref() == Some(id) => "the package you chose".to_owned(),
        Some(_) => choose(&candidates, None, p.first, &p.service)
            .map(|(_, why)| why)
            .unwrap_or_default(),
        None => no_credit(&client.name, &packages, p.first),
    };
    Ok(SchedulePreview {
        packages: candidates
            .iter()
            .zip(&packages)
            .filter(|(c, _)| c.remaining > 0)
            .map(|(c, row)| PackageChoice {
                id: c.id.clone(),
                name: row.name.clone(),
                service: c.service.clone(),
                remaining: c.remaining,
                expires_on: c.expires_on,
            })
            .collect(),
        package_name: first
            .as_ref()
            .and_then(|id| packages.iter().find(|x| &x.id == id))
            .map(|x| x.name.clone()),
        package_id: first,
        why,
        left_after: last.map(|c| c.left_after).unwrap_or(0),
        beyond: mine.iter().filter(|c| c.beyond()).count() as u32,
    })
}

/// Refuses an action the booking's status does not allow.
fn allowed(s: &SessionRow, action: BookingAction) -> Result<()> {
    match booking::refuse(s.status, action) {
        Some(why) => Err(Error::Conflict(why.into())),
        None => Ok(()),
    }
}

/// A booking can be closed as having happened (or not) from its day on.
fn on_the_day(tx: &Tx, s: &SessionRow, what: &str) -> Result<()> {
    if s.starts_on > tx.ctx()?.today {
        return Err(Error::Conflict(format!(
            "That session is on a day still to come: it can be {what} on the day."
        )));
    }
    Ok(())
}

fn parse_time(s: &SessionRow) -> NaiveTime {
    s.starts_time
        .as_deref()
        .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
        .unwrap_or_default()
}

/// Draws one credit for a booking at its moment: the planned package while it
/// can pay, else the drawing rule. Returns the entry, package and why.
fn draw(
    tx: &Tx,
    s: &SessionRow,
    kind: EntryKind,
    note: &str,
) -> Result<Option<(String, String, String)>> {
    let (_, candidates) = candidates_at(
        tx,
        &s.client_id,
        s.starts_on,
        s.starts_time.as_deref().unwrap_or(""),
    )?;
    let Some((package_id, why)) = choose(
        &candidates,
        s.package_id.as_deref(),
        s.starts_on,
        &s.service,
    ) else {
        return Ok(None);
    };
    let id = tx.id("le");
    let reopened = crate::ops::expiry::reopen(tx, &package_id)?;
    store::ledger::insert(
        tx.conn,
        &NewEntry {
            occurred_time: s.starts_time.as_deref(),
            session_id: Some(&s.id),
            note,
            why: &why,
            ..NewEntry::plain(&id, &package_id, kind, -1, s.starts_on)
        },
        &tx.now_text(),
    )?;
    if reopened {
        crate::ops::expiry::expire(tx, Some(&package_id))?;
    }
    Ok(Some((id, package_id, why)))
}

fn outcome(
    tx: &Tx,
    s: &SessionRow,
    status: SessionStatus,
    drawn: Option<(String, String, String)>,
    late: bool,
) -> Result<BookingOutcome> {
    let package = match &drawn {
        Some((_, package_id, _)) => Some(store::packages::get(
            tx.conn,
            tx.ctx()?.currency,
            package_id,
        )?),
        None => None,
    };
    Ok(BookingOutcome {
        session_id: s.id.clone(),
        status: status.into(),
        entry_id: drawn.map(|(id, _, _)| id),
        package_name: package.as_ref().map(|p| p.name.clone()),
        remaining: package.as_ref().map(|p| p.remaining),
        owed: false,
        late,
    })
}

impl Store {
    /// What scheduling would draw from, for the sheet, before anything is written.
    pub fn schedule_preview(&self, input: &ScheduleInput) -> Result<SchedulePreview> {
        self.read(|tx| {
            let p = plan(input, tx.ctx()?.today)?;
            preview(tx, &p)
        })
    }

    /// Books a session, or one a week for `weeks` weeks.
    pub fn schedule(&mut self, input: &ScheduleInput) -> Result<Scheduled> {
        self.write(|tx| {
            let p = plan(input, tx.ctx()?.today)?;
            let preview = preview(tx, &p)?;
            let now = tx.now_text();
            let mut session_ids = Vec::with_capacity(p.weeks as usize);
            for on in p.days() {
                let id = tx.id("se");
                store::sessions::insert(
                    tx.conn,
                    &NewSession {
                        id: &id,
                        client_id: &p.client_id,
                        package_id: p.package_id.as_deref(),
                        starts_on: on,
                        starts_time: Some(&p.time),
                        duration_minutes: p.duration,
                        status: SessionStatus::Scheduled,
                        owed: false,
                        service: &p.service,
                        notes: &p.note,
                    },
                    &now,
                )?;
                session_ids.push(id);
            }
            tx.touch(Topic::Packages);
            Ok(Scheduled {
                session_ids,
                preview,
            })
        })
    }

    /// The session happened: it draws a credit (from the package chosen for it
    /// while that can pay, else by the drawing rule). With no credit left it is
    /// refused, unless `owed`: then it is recorded as owed, and the next
    /// package sold to the client settles it.
    pub fn complete_session(&mut self, session_id: &str, owed: bool) -> Result<BookingOutcome> {
        self.write(|tx| {
            let s = store::sessions::get(tx.conn, session_id)?;
            allowed(&s, BookingAction::Complete)?;
            on_the_day(tx, &s, "completed")?;
            let now = tx.now_text();
            tx.touch(Topic::Packages);
            match draw(tx, &s, EntryKind::Session, &s.notes)? {
                Some(drawn) => {
                    store::sessions::close(
                        tx.conn,
                        &s.id,
                        SessionStatus::Completed,
                        Some(&drawn.1),
                        false,
                        &now,
                    )?;
                    outcome(tx, &s, SessionStatus::Completed, Some(drawn), false)
                }
                None if owed => {
                    store::sessions::close(
                        tx.conn,
                        &s.id,
                        SessionStatus::Completed,
                        None,
                        true,
                        &now,
                    )?;
                    Ok(BookingOutcome {
                        owed: true,
                        ..outcome(tx, &s, SessionStatus::Completed, None, false)?
                    })
                }
                None => {
                    let client = store::clients::get(tx.conn, &s.client_id)?;
                    let (packages, _) = candidates_at(tx, &s.client_id, s.starts_on, "")?;
                    Err(Error::Conflict(no_credit(
                        &client.name,
                        &packages,
                        s.starts_on,
                    )))
                }
            }
        })
    }

    /// The client did not come: a no-show forfeits a credit (when one is left).
    pub fn mark_no_show(&mut self, session_id: &str) -> Result<BookingOutcome> {
        self.write(|tx| {
            let s = store::sessions::get(tx.conn, session_id)?;
            allowed(&s, BookingAction::NoShow)?;
            on_the_day(tx, &s, "marked a no-show")?;
            let drawn = draw(tx, &s, EntryKind::NoShow, "")?;
            store::sessions::close(
                tx.conn,
                &s.id,
                SessionStatus::NoShow,
                drawn
                    .as_ref()
                    .map(|d| d.1.as_str())
                    .or(s.package_id.as_deref()),
                false,
                &tx.now_text(),
            )?;
            tx.touch(Topic::Packages);
            outcome(tx, &s, SessionStatus::NoShow, drawn, false)
        })
    }

    /// Cancels a booking. Inside its package's late-cancel window (counted in
    /// the practice's time zone) it is a late cancel and forfeits a credit,
    /// unless `waive` gives a reason to let it go (recorded with the forfeit's
    /// reversal); earlier, nothing was taken and nothing is returned.
    pub fn cancel_session(
        &mut self,
        session_id: &str,
        waive: Option<&str>,
    ) -> Result<BookingOutcome> {
        let waive = match waive {
            Some(w) => Some(
                text::required(w, "Say why the forfeit is waived.", 500)
                    .map_err(|m| Error::field("reason", m))?,
            ),
            None => None,
        };
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let s = store::sessions::get(tx.conn, session_id)?;
            allowed(&s, BookingAction::Cancel)?;
            let start = booking::start_instant(s.starts_on, parse_time(&s), ctx.zone);
            let (packages, candidates) = candidates_at(
                tx,
                &s.client_id,
                s.starts_on,
                s.starts_time.as_deref().unwrap_or(""),
            )?;
            // The package whose policy applies: the one that would pay.
            let policy = choose(
                &candidates,
                s.package_id.as_deref(),
                s.starts_on,
                &s.service,
            )
            .and_then(|(id, _)| packages.iter().find(|p| p.id == id))
            .map(|p| p.late_cancel_hours)
            .unwrap_or(ctx.late_cancel_hours);
            let late = booking::is_late_cancel(ctx.now, start, policy);
            let now = tx.now_text();
            tx.touch(Topic::Packages);
            if !late {
                store::sessions::set_status(tx.conn, &s.id, SessionStatus::Cancelled, &now)?;
                return outcome(tx, &s, SessionStatus::Cancelled, None, false);
            }
            let drawn = draw(tx, &s, EntryKind::LateCancel, "")?;
            store::sessions::close(
                tx.conn,
                &s.id,
                SessionStatus::LateCancelled,
                drawn
                    .as_ref()
                    .map(|d| d.1.as_str())
                    .or(s.package_id.as_deref()),
                false,
                &now,
            )?;
            if let (Some(reason), Some((entry, package, _))) = (&waive, &drawn) {
                waive_entry(
                    tx,
                    entry,
                    package,
                    s.starts_on,
                    s.starts_time.as_deref(),
                    Some(&s.id),
                    reason,
                )?;
            }
            outcome(tx, &s, SessionStatus::LateCancelled, drawn, true)
        })
    }

    /// Moves a booking to another day or time. The move is kept in the
    /// booking's history; the ledger is not touched.
    pub fn reschedule(
        &mut self,
        session_id: &str,
        date: &str,
        time: &str,
    ) -> Result<BookingOutcome> {
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let mut c = Check::new();
            let on = c.opt("date", text::date(date));
            if on.is_some_and(|d| d < ctx.today) {
                c.fail("date", "That day has passed: pick today or a day to come.");
            }
            let time = c.field("time", text::time(time));
            if time.is_none() && !c.has("time") {
                c.fail("time", "Enter the new time, as HH:MM.");
            }
            let s = store::sessions::get(tx.conn, session_id)?;
            c.done()?;
            allowed(&s, BookingAction::Reschedule)?;
            let on = on.unwrap_or(ctx.today);
            if on == s.starts_on && time == s.starts_time {
                return Err(Error::field("date", "That is when it is booked already."));
            }
            store::sessions::move_to(tx.conn, &s.id, on, time.as_deref(), &tx.now_text())?;
            tx.touch(Topic::Packages);
            outcome(tx, &s, SessionStatus::Scheduled, None, false)
        })
    }

    /// Lets a forfeit (a late cancel or a no-show) go: its credit comes back,
    /// and the waiver is recorded with its reason.
    pub fn waive_forfeit(&mut self, entry_id: &str, reason: &str) -> Result<BookingOutcome> {
        let reason = text::required(reason, "Say why the forfeit is waived.", 500)
            .map_err(|m| Error::field("reason", m))?;
        self.write(|tx| {
            let e = store::ledger::get(tx.conn, entry_id)?
                .ok_or_else(|| Error::NotFound("That history line no longer exists.".into()))?;
            if !matches!(e.kind, EntryKind::LateCancel | EntryKind::NoShow) {
                return Err(Error::Conflict(
                    "Only a forfeit (a late cancel or a no-show) can be waived; reverse other lines instead.".into(),
                ));
            }
            if e.reversed_by.is_some() {
                return Err(Error::Conflict("That forfeit was already waived or reversed.".into()));
            }
            waive_entry(tx, &e.id, &e.package_id, e.occurred_on, e.occurred_time.as_deref(), e.session_id.as_deref(), &reason)?;
            tx.touch(Topic::Packages);
            let s = match &e.session_id {
                Some(id) => store::sessions::get(tx.conn, id)?,
                None => return Err(Error::Conflict("That forfeit belongs to no booking.".into())),
            };
            let package = store::packages::get(tx.conn, tx.ctx()?.currency, &e.package_id)?;
            Ok(BookingOutcome {
                session_id: s.id.clone(),
                status: s.status.into(),
                entry_id: None,
                package_name: Some(package.name),
                remaining: Some(package.remaining),
                owed: false,
                late: s.status == SessionStatus::LateCancelled,
            })
        })
    }

    /// Undoes how a booking was closed: it is booked again. A cancellation
    /// simply reopens; a completion, no-show or late cancel also has its
    /// draw or forfeit reversed (in the same transaction), so the balance is
    /// as before. What Undo does on Today.
    pub fn reopen_booking(&mut self, session_id: &str) -> Result<BookingOutcome> {
        self.write(|tx| {
            let s = store::sessions::get(tx.conn, session_id)?;
            if s.status == SessionStatus::Scheduled {
                return Err(Error::Conflict("That session is still booked.".into()));
            }
            for id in store::ledger::live_of_session(tx.conn, &s.id)? {
                if let Some(e) = store::ledger::get(tx.conn, &id)? {
                    crate::ops::ledger::reverse_as(tx, &e, "Undone: booked again", true)?;
                }
            }
            store::sessions::close(
                tx.conn,
                &s.id,
                SessionStatus::Scheduled,
                s.package_id.as_deref(),
                false,
                &tx.now_text(),
            )?;
            tx.touch(Topic::Packages);
            outcome(tx, &s, SessionStatus::Scheduled, None, false)
        })
    }
}

/// The reversal of a forfeit, carrying the waiver's reason.
fn waive_entry(
    tx: &Tx,
    entry: &str,
    package: &str,
    on: NaiveDate,
    time: Option<&str>,
    session: Option<&str>,
    reason: &str,
) -> Result<()> {
    let id = tx.id("le");
    store::ledger::insert(
        tx.conn,
        &NewEntry {
            occurred_time: time,
            session_id: session,
            reverses_id: Some(entry),
            note: reason,
            why: "forfeit waived",
            ..NewEntry::plain(&id, package, EntryKind::Reversal, 1, on)
        },
        &tx.now_text(),
    )?;
    Ok(())
}
