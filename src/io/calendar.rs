//! The schedule as an iCalendar (`.ics`) file a calendar app can import or
//! subscribe to: one event per booking (from a month back to a year ahead),
//! in the practice's time zone, with a stable id per booking so importing it
//! again updates events instead of doubling them.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveTime};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus};

use crate::error::Result;
use crate::io::target;
use crate::ops::bookings::BookingStatus;
use crate::store::Store;
use crate::views::agenda::BookingView;

/// Days before today and after it that the file covers.
pub const DAYS_BACK: u32 = 31;
pub const DAYS_AHEAD: u32 = 366;

fn event(b: &BookingView, zone: &str, stamp: chrono::DateTime<chrono::Utc>) -> Event {
    let start = b
        .time
        .as_deref()
        .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
        .unwrap_or_default();
    let starts = b.date.and_time(start);
    let ends = starts + Duration::minutes(i64::from(b.duration_minutes));
    let mut e = Event::new();
    let summary = match b.service.as_str() {
        "" => format!("{}: session", b.client_name),
        service => format!("{}: {service}", b.client_name),
    };
    let mut description = Vec::new();
    if let Some(p) = &b.package_name {
        description.push(format!("Package: {p}"));
    }
    if b.beyond_balance {
        description.push("No credit left for this session: sell a package first.".into());
    }
    if !b.notes.is_empty() {
        description.push(b.notes.clone());
    }
    e.uid(&format!("{}@punchcard.app", b.session_id))
        .summary(&summary)
        .starts(CalendarDateTime::WithTimezone {
            date_time: starts,
            tzid: zone.to_owned(),
        })
        .ends(CalendarDateTime::WithTimezone {
            date_time: ends,
            tzid: zone.to_owned(),
        })
        .timestamp(stamp)
        .status(match b.status {
            BookingStatus::Cancelled | BookingStatus::LateCancelled => EventStatus::Cancelled,
            _ => EventStatus::Confirmed,
        });
    if !description.is_empty() {
        e.description(&description.join("\n"));
    }
    e.done()
}

impl Store {
    /// The schedule as iCalendar text.
    pub fn calendar(&self) -> Result<String> {
        let zone = self.require_practice()?.time_zone;
        let today = self.today()?;
        let agenda = self.agenda_span(
            today - chrono::Days::new(u64::from(DAYS_BACK)),
            DAYS_BACK + DAYS_AHEAD,
            crate::views::agenda::AgendaAsk::All,
        )?;
        let stamp = self.now();
        let mut cal = Calendar::new();
        cal.name(&format!("{} bookings", self.require_practice()?.name))
            .timezone(zone.as_str());
        for day in &agenda.days {
            for b in &day.bookings {
                cal.push(event(b, &zone, stamp));
            }
        }
        Ok(cal.done().to_string())
    }

    /// Writes the schedule to `path` (checked: never the practice file).
    /// Returns the file written and how many bookings it holds.
    pub fn export_calendar(&self, path: &Path) -> Result<(PathBuf, usize)> {
        let text = self.calendar()?;
        let events = text.matches("BEGIN:VEVENT").count();
        let target = target::check(path, self.path())?;
        target::write_whole(&target, |_, file| Ok(file.write_all(text.as_bytes())?))?;
        Ok((target, events))
    }
}
