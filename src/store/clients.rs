//! Clients: their details and the lookups the duplicate warning and the list need.

use rusqlite::{named_params, params, Connection, OptionalExtension, Row};

use crate::domain::client::{ClientDetails, DuplicateReason};
use crate::error::Result;
use crate::store::found;
use crate::text;
use crate::views::clients::Client;

const COLUMNS: &str = "c.id, c.name, c.email, c.phone, c.notes, c.archived";

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
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM clients c WHERE id = ?1"))?
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
        ":sort_key": text::sort_key(&d.name),
        ":search_text": text::search_document(&d.name, &d.email, &d.phone),
        ":now": now,
    })?;
    Ok(n > 0)
}

/// Recomputes every client's sort key and search text (a migration).
pub(crate) fn refill_keys(conn: &Connection) -> Result<()> {
    let rows: Vec<(i64, String, String, String)> = conn
        .prepare("SELECT rowid, name, email, phone FROM clients")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update =
        conn.prepare("UPDATE clients SET sort_key = ?2, search_text = ?3 WHERE rowid = ?1")?;
    for (rowid, name, email, phone) in rows {
        update.execute(params![
            rowid,
            text::sort_key(&name),
            text::search_document(&name, &email, &phone)
        ])?;
    }
    Ok(())
}

pub(crate) fn insert(conn: &Connection, id: &str, d: &ClientDetails, now: &str) -> Result<()> {
    write_details(
        conn,
        "INSERT INTO clients (id, name, name_key, email, phone, notes, sort_key, search_text,
             created_at, updated_at)
         VALUES (:id, :name, :name_key, :email, :phone, :notes, :sort_key, :search_text, :now, :now)",
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
             notes = :notes, sort_key = :sort_key, search_text = :search_text, updated_at = :now
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
         FROM clients c
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

/// Where client `id` stands in the list for `needle` (0-based), or `None`
/// when the search leaves it out (or it does not exist).
pub(crate) fn position(conn: &Connection, needle: &str, id: &str) -> Result<Option<u32>> {
    let key: Option<(String, String)> = conn
        .prepare_cached("SELECT sort_key, search_text FROM clients WHERE id = ?1 AND archived = 0")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((sort_key, search_text)) = key else {
        return Ok(None);
    };
    if !search_text.contains(needle) {
        return Ok(None);
    }
    let before: u32 = if needle.is_empty() {
        conn.prepare_cached(
            "SELECT count(*) FROM clients WHERE archived = 0 AND (sort_key, id) < (?1, ?2)",
        )?
        .query_row(params![sort_key, id], |r| r.get(0))?
    } else if needle.chars().count() >= 3 {
        conn.prepare_cached(
            "SELECT count(*) FROM clients
             WHERE archived = 0 AND (sort_key, id) < (?1, ?2)
               AND rowid IN (SELECT rowid FROM client_search WHERE client_search MATCH ?3)",
        )?
        .query_row(params![sort_key, id, format!("\"{needle}\"")], |r| r.get(0))?
    } else {
        conn.prepare_cached(
            "SELECT count(*) FROM clients
             WHERE archived = 0 AND (sort_key, id) < (?1, ?2) AND instr(search_text, ?3) > 0",
        )?
        .query_row(params![sort_key, id, needle], |r| r.get(0))?
    };
    Ok(Some(before))
}

/// Searches shorter than a trigram scan the clients in list order and stop
/// counting here: "more than 1,000" is all a list needs to say.
pub(crate) const SHORT_SEARCH_COUNT_LIMIT: u32 = 1000;

/// Up to this many matches, a search's page is read from the search index
/// and sorted; with more, the list order is walked and the page fills fast.
const SORT_MATCHES_UP_TO: u32 = 2000;

/// A walk in list order for a page of a search that many match goes at
/// least this far before the matches are sorted instead.
const WALK_AT_LEAST: u64 = 1024;

/// Matches late in the list are sorted, up to this many; more are walked.
const SORT_MATCHES_FALLING_BACK_UP_TO: u32 = 20_000;

/// Every this many clients in list order, the list remembers where it is,
/// so a page anywhere is found without counting from the top.
const ANCHOR_EVERY: u32 = 256;

/// What the client list remembers between reads, forgotten whenever a write
/// changes clients: every 256th client's place in the list.
#[derive(Debug, Default)]
pub(crate) struct ListMemo {
    anchors: Option<Vec<(String, String)>>,
}

fn collect(
    stmt: &mut rusqlite::CachedStatement<'_>,
    p: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Client>> {
    Ok(stmt
        .query_map(p, from_row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// A page of everyone, in list order.
fn page_of_everyone(
    conn: &Connection,
    memo: &std::cell::RefCell<ListMemo>,
    offset: u32,
    limit: u32,
) -> Result<Vec<Client>> {
    if offset < 2 * ANCHOR_EVERY {
        return collect(
            &mut conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM clients c WHERE archived = 0 ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
            ))?,
            &[&limit, &offset],
        );
    }
    let mut m = memo.borrow_mut();
    if m.anchors.is_none() {
        let mut stmt = conn.prepare_cached(
            "SELECT sort_key, id FROM clients INDEXED BY clients_in_order WHERE archived = 0
             ORDER BY sort_key, id",
        )?;
        let mut anchors = Vec::new();
        let mut rows = stmt.query([])?;
        let mut i = 0u32;
        while let Some(r) = rows.next()? {
            if i.is_multiple_of(ANCHOR_EVERY) {
                anchors.push((r.get(0)?, r.get(1)?));
            }
            i += 1;
        }
        m.anchors = Some(anchors);
    }
    let anchors = m.anchors.as_deref().unwrap_or(&[]);
    let Some((key, id)) = anchors.get((offset / ANCHOR_EVERY) as usize) else {
        return Ok(Vec::new());
    };
    collect(
        &mut conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM clients c
             WHERE archived = 0 AND (sort_key, id) >= (?1, ?2)
             ORDER BY sort_key, id LIMIT ?3 OFFSET ?4"
        ))?,
        &[key, id, &limit, &(offset % ANCHOR_EVERY)],
    )
}

/// The clients among `ids` that are not archived and match `needle` (a
/// folded search; empty: all), with their sort keys.
/// Id and name of these clients, archived ones included.
pub(crate) fn names_of(conn: &Connection, ids: &[String]) -> Result<Vec<(String, String)>> {
    let ids = crate::store::id_array(ids);
    let mut stmt = conn.prepare_cached("SELECT id, name FROM clients WHERE id IN rarray(?1)")?;
    let rows = stmt
        .query_map([ids], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(crate) fn of_ids(
    conn: &Connection,
    ids: &[String],
    needle: &str,
) -> Result<Vec<(Client, String)>> {
    let ids = crate::store::id_array(ids);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, c.sort_key FROM clients c
         WHERE c.id IN rarray(?1) AND c.archived = 0 AND (?2 = '' OR instr(c.search_text, ?2) > 0)"
    ))?;
    let rows = stmt.query_map(params![ids, needle], |r| Ok((from_row(r)?, r.get(6)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One page of the clients that are not archived, in list order (folded
/// name, numbers in numeric order), with how many there are in all. `needle`
/// is a folded search ([`text::search_key`]); empty lists everyone. A needle
/// of three characters or more is counted through the trigram index; a
/// shorter one by walking the list, which stops counting at 1,000.
/// Returns the page, the total, and whether the total is exact.
pub(crate) fn page(
    conn: &Connection,
    memo: &std::cell::RefCell<ListMemo>,
    needle: &str,
    offset: u32,
    limit: u32,
) -> Result<(Vec<Client>, u32, bool)> {
    if needle.is_empty() {
        let total = conn
            .prepare_cached("SELECT active FROM client_counts WHERE id = 1")?
            .query_row([], |r| r.get(0))?;
        return Ok((page_of_everyone(conn, memo, offset, limit)?, total, true));
    }
    let walk_in_order = |offset: u32| -> Result<Vec<Client>> {
        collect(
            &mut conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM clients c INDEXED BY clients_in_order
                 WHERE archived = 0 AND instr(search_text, ?1) > 0
                 ORDER BY sort_key, id LIMIT ?2 OFFSET ?3"
            ))?,
            &[&needle, &limit, &offset],
        )
    };
    if needle.chars().count() >= 3 {
        // A phrase of trigrams: the needle anywhere in the search text.
        let phrase = format!("\"{needle}\"");
        let matches: u32 = conn
            .prepare_cached("SELECT count(*) FROM client_search WHERE client_search MATCH ?1")?
            .query_row([&phrase], |r| r.get(0))?;
        let archived: u32 = conn
            .prepare_cached(
                "SELECT count(*) FROM clients WHERE archived = 1 AND instr(search_text, ?1) > 0",
            )?
            .query_row([needle], |r| r.get(0))?;
        let total = matches.saturating_sub(archived);
        let sorted = |offset: u32| -> Result<Vec<Client>> {
            collect(
                &mut conn.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM client_search s CROSS JOIN clients c ON c.rowid = s.rowid
                     WHERE client_search MATCH ?1 AND c.archived = 0
                     ORDER BY c.sort_key, c.id LIMIT ?2 OFFSET ?3"
                ))?,
                &[&phrase, &limit, &offset],
            )
        };
        let rows = if total <= SORT_MATCHES_UP_TO {
            sorted(offset)?
        } else {
            // Many match, so a walk in list order usually fills the page
            // soon: as far as the matches, spread evenly, would take it, and
            // as far again. Matches all late in the list (a first name late
            // in the alphabet) leave the page short there: then they are
            // sorted instead (or, very many, walked to the end).
            let active: i64 = conn
                .prepare_cached("SELECT active FROM client_counts WHERE id = 1")?
                .query_row([], |r| r.get(0))?;
            let active = u64::try_from(active).unwrap_or(0);
            let wanted = u64::from(offset) + u64::from(limit);
            let reach = 2 * wanted * active / u64::from(total.max(1)) + WALK_AT_LEAST;
            let on_page = u64::from(limit).min(u64::from(total).saturating_sub(u64::from(offset)));
            if reach >= active {
                walk_in_order(offset)?
            } else {
                let near = collect(
                    &mut conn.prepare_cached(&format!(
                        "SELECT {COLUMNS} FROM (
                             SELECT rowid AS r, search_text AS t, sort_key AS k, id AS i
                               FROM clients INDEXED BY clients_in_order
                              WHERE archived = 0 ORDER BY sort_key, id LIMIT ?2) w
                         CROSS JOIN clients c ON c.rowid = w.r
                         WHERE instr(w.t, ?1) > 0
                         ORDER BY w.k, w.i LIMIT ?3 OFFSET ?4"
                    ))?,
                    &[
                        &needle,
                        &i64::try_from(reach).unwrap_or(i64::MAX),
                        &limit,
                        &offset,
                    ],
                )?;
                if near.len() as u64 == on_page {
                    near
                } else if total <= SORT_MATCHES_FALLING_BACK_UP_TO {
                    sorted(offset)?
                } else {
                    walk_in_order(offset)?
                }
            }
        };
        return Ok((rows, total, true));
    }
    // One or two letters, too short for the trigram index: one walk in list
    // order through the index (it holds the search text, so no client's row
    // is read) finds the page and counts up to the limit; then the page's
    // rows are read.
    let want = (SHORT_SEARCH_COUNT_LIMIT + 1).max(offset.saturating_add(limit));
    let ids: Vec<String> = conn
        .prepare_cached(
            "SELECT id FROM clients INDEXED BY clients_in_order
              WHERE archived = 0 AND instr(search_text, ?1) > 0
              ORDER BY sort_key, id LIMIT ?2",
        )?
        .query_map(params![needle, want], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let found = u32::try_from(ids.len()).unwrap_or(u32::MAX);
    let on_page: Vec<String> = ids
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .collect();
    let rows = collect(
        &mut conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM clients c WHERE c.id IN rarray(?1) ORDER BY c.sort_key, c.id"
        ))?,
        &[&crate::store::id_array(&on_page)],
    )?;
    Ok((
        rows,
        found.min(SHORT_SEARCH_COUNT_LIMIT),
        found <= SHORT_SEARCH_COUNT_LIMIT,
    ))
}

/// Every client's id.
pub(crate) fn all_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM clients")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
