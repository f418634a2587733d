//! Clients: their details and the lookups the duplicate warning and the list need.

use rusqlite::{named_params, params, Connection, Row};

use crate::domain::client::{ClientDetails, DuplicateReason};
use crate::error::Result;
use crate::store::found;
use crate::text;
use crate::views::clients::Client;

const COLUMNS: &str = "id, name, email, phone, notes, archived";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Client> {
    Ok(Client {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        phone: r.get(3)?,
        notes: r.get(4)?,
        archived: r.get(5)?,
    })
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Client> {
    found(
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM clients WHERE id = ?1"))?
            .query_row([id], from_row),
        "client",
    )
}

/// Runs an insert or update of client `id`; false when no row changed.
fn write_details(
    conn: &Connection,
    sql: &str,
    id: &str,
    d: &ClientDetails,
    now: &str,
) -> Result<bool> {
    let n = conn.prepare_cached(sql)?.execute(named_params! {
        ":id": id,
        ":name": d.name,
        ":name_key": text::name_key(&d.name),
        ":email": d.email,
        ":phone": d.phone,
        ":notes": d.notes,
        ":now": now,
    })?;
    Ok(n > 0)
}

pub(crate) fn insert(conn: &Connection, id: &str, d: &ClientDetails, now: &str) -> Result<()> {
    write_details(
        conn,
        "INSERT INTO clients (id, name, name_key, email, phone, notes, created_at, updated_at)
         VALUES (:id, :name, :name_key, :email, :phone, :notes, :now, :now)",
        id,
        d,
        now,
    )?;
    Ok(())
}

/// Returns false when no such client exists.
pub(crate) fn update(conn: &Connection, id: &str, d: &ClientDetails, now: &str) -> Result<bool> {
    write_details(
        conn,
        "UPDATE clients SET name = :name, name_key = :name_key, email = :email, phone = :phone,
             notes = :notes, updated_at = :now
         WHERE id = :id",
        id,
        d,
        now,
    )
}

/// Clients with the same name key or email, except `except`, by name.
pub(crate) fn same_name_or_email(
    conn: &Connection,
    key: &str,
    email: &str,
    except: Option<&str>,
) -> Result<Vec<(Client, DuplicateReason)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, (email <> '' AND lower(email) = ?2) AS same_email
         FROM clients
         WHERE (name_key = ?1 OR (?2 <> '' AND email <> '' AND lower(email) = ?2))
           AND id IS NOT ?3
         ORDER BY name LIMIT 5"
    ))?;
    let rows = stmt.query_map(params![key, email, except], |r| {
        let reason = if r.get::<_, bool>(6)? {
            DuplicateReason::SameEmail
        } else {
            DuplicateReason::SameName
        };
        Ok((from_row(r)?, reason))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every client that is not archived, by name.
pub(crate) fn all_active(conn: &Connection) -> Result<Vec<Client>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM clients WHERE archived = 0 ORDER BY name COLLATE NOCASE, id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
