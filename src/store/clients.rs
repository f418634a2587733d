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

/// A search stops counting here: "more than 1,000" is all a list needs to
/// say, and counting every client a search matches costs in proportion to
/// the practice ("com" matches every email).
pub(crate) const SEARCH_COUNT_LIMIT: u32 = 1000;

/// Up to this many matches, a search's page is read from the search index
/// and sorted; with more, the list in order is searched for it.
const SORT_MATCHES_UP_TO: u32 = 2000;

/// A page of everyone this near the top is read straight from the index.
const NEAR_THE_TOP: u32 = 512;

/// What the client list remembers between reads: the list in order. A
/// client written through this store is put in its new place; any other
/// change to clients (a batch, a restore) forgets it, and so does a write
/// by another connection to the file.
#[derive(Debug, Default)]
pub(crate) struct ListMemo {
    in_order: Option<InOrder>,
}

/// Every client in the list (not archived), in list order: their search
/// texts one after another, each ended by a newline, and their rowids. A
/// search the index cannot narrow (one or two letters; a name many share)
/// looks through this text for its page, instead of stepping through the
/// index a row at a time: about 10 MB at 100× (150,000 clients). Read in
/// one walk of the index (tens of milliseconds at 100×), after each change
/// to clients.
///
/// Each block of [`BLOCK`] clients in a row keeps the pairs of characters
/// their texts hold ([`Pairs`]), so a search of two characters or more
/// looks only through the blocks that hold every pair of it: a search few
/// clients match reads a small part of the text (at 100×, "zo" read the whole
/// 10 MB in 0.7–1.4 ms, a frame's tenth, after every save).
#[derive(Debug)]
struct InOrder {
    /// `PRAGMA data_version` when read: it changes when another connection
    /// writes to the file.
    data_version: i64,
    text: String,
    /// Where each client's newline is in `text`.
    ends: Vec<u32>,
    rowids: Vec<i64>,
    /// The pairs each block's clients hold: every pair of the clients now
    /// in block `k` (places `k * BLOCK ..`) is in `blocks[k]`, and perhaps
    /// pairs of clients that were there before a change moved them on.
    blocks: Vec<Pairs>,
}

/// Clients in a block of the list's pair filter: at 100× (150,000 clients)
/// the blocks take 0.8 MB.
const BLOCK: usize = 32;

/// The characters of a search text as the pair filter tells them apart: the
/// 26 letters, the 10 digits, and anything else (a space).
const CLASSES: usize = 37;

/// A set of pairs of characters (as [`CLASSES`] tells them apart).
#[derive(Debug, Clone, Default)]
struct Pairs([u64; (CLASSES * CLASSES).div_ceil(64)]);

impl Pairs {
    fn pair(a: u8, b: u8) -> usize {
        let class = |c: u8| match c {
            b'a'..=b'z' => usize::from(c - b'a'),
            b'0'..=b'9' => 26 + usize::from(c - b'0'),
            _ => 36,
        };
        class(a) * CLASSES + class(b)
    }

    /// Each pair of characters side by side in `text`.
    fn of(text: &[u8]) -> impl Iterator<Item = usize> + '_ {
        text.windows(2).map(|w| Pairs::pair(w[0], w[1]))
    }

    fn add(&mut self, text: &[u8]) {
        for p in Pairs::of(text) {
            self.0[p / 64] |= 1 << (p % 64);
        }
    }

    fn has(&self, p: usize) -> bool {
        self.0[p / 64] & (1 << (p % 64)) != 0
    }
}

impl InOrder {
    fn read(conn: &Connection, data_version: i64) -> Result<InOrder> {
        let mut stmt = conn.prepare_cached(
            "SELECT rowid, search_text FROM clients INDEXED BY clients_in_order
              WHERE archived = 0 ORDER BY sort_key, id",
        )?;
        let mut rows = stmt.query([])?;
        let mut list = InOrder::new(data_version);
        while let Some(r) = rows.next()? {
            list.push(
                r.get(0)?,
                r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?,
            );
        }
        Ok(list)
    }

    fn new(data_version: i64) -> InOrder {
        InOrder {
            data_version,
            text: String::new(),
            ends: Vec::new(),
            rowids: Vec::new(),
            blocks: Vec::new(),
        }
    }

    /// Puts a client at the end of the list.
    fn push(&mut self, rowid: i64, search_text: &str) {
        if self.rowids.len().is_multiple_of(BLOCK) {
            self.blocks.push(Pairs::default());
        }
        if let Some(block) = self.blocks.last_mut() {
            block.add(search_text.as_bytes());
        }
        self.rowids.push(rowid);
        self.text.push_str(search_text);
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.text.push('\n');
    }

    /// Where the search text of the client at place `at` is in `text`.
    fn span_of(&self, at: usize) -> (usize, usize) {
        (self.start_of(at), self.ends[at] as usize)
    }

    /// Where in the list the clients whose search text holds `needle` are,
    /// among the first `before` clients: the first `keep` of them, and how
    /// many there are (counting stops at `count_to`).
    fn find(
        &self,
        needle: &str,
        before: usize,
        keep: usize,
        count_to: usize,
    ) -> (Vec<usize>, usize) {
        let before = before.min(self.rowids.len());
        let pairs: Vec<usize> = Pairs::of(needle.as_bytes()).collect();
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let (mut found, mut count, mut place) = (Vec::new(), 0, 0);
        // Runs of blocks that may hold the needle, each searched as one
        // stretch of text (with no pair to go by, the whole list is one).
        let may_hold = |b: &usize| pairs.iter().all(|&p| self.blocks[*b].has(p));
        let blocks = before.div_ceil(BLOCK);
        let mut block = 0;
        while block < blocks && count < count_to {
            let Some(first) = (block..blocks).find(may_hold) else {
                break;
            };
            let last = (first..blocks).find(|b| !may_hold(b)).unwrap_or(blocks);
            block = last;
            let (from, to) = (first * BLOCK, (last * BLOCK).min(before));
            place = place.max(from);
            let start = self.start_of(from);
            let text = &self.text.as_bytes()[start..self.ends[to - 1] as usize + 1];
            for hit in finder.find_iter(text).map(|at| at + start) {
                if count == count_to {
                    break;
                }
                // The needle holds no newline, so it lies within one
                // client's text: the first whose newline comes after it.
                if place > 0 && hit < self.ends[place - 1] as usize {
                    continue; // the client just counted
                }
                place += self.ends[place..].partition_point(|&e| (e as usize) < hit);
                if found.len() < keep {
                    found.push(place);
                }
                count += 1;
                place += 1;
            }
        }
        (found, count)
    }
}

impl InOrder {
    /// Where the client at place `at` starts in `text`.
    fn start_of(&self, at: usize) -> usize {
        match at.checked_sub(1) {
            Some(before) => self.ends[before] as usize + 1,
            None => 0,
        }
    }

    /// Takes the client at place `at` out of the list.
    fn remove(&mut self, at: usize) {
        self.take_out(at);
        // Every client after moved up a place: each block from this one on
        // takes in its new last client, the next block's first before.
        for block in at / BLOCK..self.blocks.len() {
            self.add_pairs_of(block * BLOCK + BLOCK - 1);
        }
        self.blocks.truncate(self.rowids.len().div_ceil(BLOCK));
    }

    /// Puts a client into the list at place `at`.
    fn insert(&mut self, at: usize, rowid: i64, search_text: &str) {
        self.put_in(at, rowid, search_text);
        if self.blocks.len() < self.rowids.len().div_ceil(BLOCK) {
            self.blocks.push(Pairs::default());
        }
        // Every client after moved down a place: each later block takes in
        // its new first client, the last of the block before.
        for block in at / BLOCK + 1..self.blocks.len() {
            self.add_pairs_of(block * BLOCK);
        }
        self.add_pairs_of(at);
    }

    /// Moves the client at place `from` to place `to` (counted in the list
    /// without it), with a new search text. Only the clients between the
    /// two places move, so only their blocks take any in (a rename at 100×
    /// would otherwise touch every block after the two places, 1.3 ms).
    fn move_client(&mut self, from: usize, to: usize, search_text: &str) {
        let rowid = self.rowids[from];
        self.take_out(from);
        self.put_in(to, rowid, search_text);
        if to >= from {
            // Those between moved up a place: a block takes in its new last.
            for block in from / BLOCK..to / BLOCK {
                self.add_pairs_of(block * BLOCK + BLOCK - 1);
            }
        } else {
            // Those between moved down: a block takes in its new first.
            for block in to / BLOCK + 1..=from / BLOCK {
                self.add_pairs_of(block * BLOCK);
            }
        }
        self.add_pairs_of(to);
    }

    /// Adds the pairs of the client at place `at` (if any) to its block.
    fn add_pairs_of(&mut self, at: usize) {
        if at < self.rowids.len() {
            let (start, end) = self.span_of(at);
            self.blocks[at / BLOCK].add(&self.text.as_bytes()[start..end]);
        }
    }

    /// Takes the client at place `at` out of the text, ends and rowids.
    fn take_out(&mut self, at: usize) {
        let start = self.start_of(at);
        let end = self.ends[at] as usize + 1;
        self.text.replace_range(start..end, "");
        let gone = u32::try_from(end - start).unwrap_or(u32::MAX);
        self.rowids.remove(at);
        self.ends.remove(at);
        for e in &mut self.ends[at..] {
            *e -= gone;
        }
    }

    /// Puts a client into the text, ends and rowids at place `at`.
    fn put_in(&mut self, at: usize, rowid: i64, search_text: &str) {
        let start = self.start_of(at);
        self.text.insert_str(start, &format!("{search_text}\n"));
        let added = u32::try_from(search_text.len() + 1).unwrap_or(u32::MAX);
        for e in &mut self.ends[at..] {
            *e += added;
        }
        self.rowids.insert(at, rowid);
        self.ends.insert(
            at,
            u32::try_from(start + search_text.len()).unwrap_or(u32::MAX),
        );
    }

    /// Gives the client at place `at` a new search text.
    fn replace(&mut self, at: usize, search_text: &str) {
        let start = self.start_of(at);
        let end = self.ends[at] as usize;
        if self.text[start..end] == *search_text {
            return;
        }
        self.text.replace_range(start..end, search_text);
        let (old, new) = (end - start, search_text.len());
        for e in &mut self.ends[at..] {
            *e = u32::try_from(*e as usize + new - old).unwrap_or(u32::MAX);
        }
        self.blocks[at / BLOCK].add(search_text.as_bytes());
    }
}

impl ListMemo {
    /// Brings the remembered list up to date with these clients as they
    /// stand now, after this connection wrote them: each is taken out and,
    /// unless archived, put back in its place, found by halving the list
    /// (a lookup of sort key by rowid at each step). Nothing to do when
    /// nothing is remembered; on an error the list is forgotten.
    pub(crate) fn patch(&mut self, conn: &Connection, ids: &[String]) {
        if self.in_order.is_some() && self.try_patch(conn, ids).is_err() {
            self.in_order = None;
        }
    }

    fn try_patch(&mut self, conn: &Connection, ids: &[String]) -> Result<()> {
        let Some(list) = self.in_order.as_mut() else {
            return Ok(());
        };
        let mut row = conn.prepare_cached(
            "SELECT rowid, archived, sort_key, search_text FROM clients WHERE id = ?1",
        )?;
        let mut key_of =
            conn.prepare_cached("SELECT sort_key, id FROM clients WHERE rowid = ?1")?;
        for id in ids {
            let (rowid, archived, sort_key, text): (i64, bool, String, String) =
                row.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            let here = (sort_key.as_str(), id.as_str());
            // Whether the client at place `i` sorts before this one.
            let mut sorts_before = |list: &InOrder, i: usize| -> Result<bool> {
                let (k, c): (String, String) =
                    key_of.query_row([list.rowids[i]], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok((k.as_str(), c.as_str()) < here)
            };
            // Most often the client stays where they were (details edited,
            // the name kept): their text is replaced where it is.
            let at = list.rowids.iter().position(|&r| r == rowid);
            if let Some(at) = at {
                let stays = !archived
                    && (at == 0 || sorts_before(list, at - 1)?)
                    && (at + 1 == list.rowids.len() || !sorts_before(list, at + 1)?);
                if stays {
                    list.replace(at, &text);
                    continue;
                }
                if archived {
                    list.remove(at);
                    continue;
                }
            } else if archived {
                continue;
            }
            // The first place whose client sorts after this one (this one
            // left out).
            let (mut lo, mut hi) = (0, list.rowids.len() - usize::from(at.is_some()));
            while lo < hi {
                let mid = (lo + hi) / 2;
                let other = match at {
                    Some(at) if mid >= at => mid + 1,
                    _ => mid,
                };
                if sorts_before(list, other)? {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            match at {
                Some(at) => list.move_client(at, lo, &text),
                None => list.insert(lo, rowid, &text),
            }
        }
        Ok(())
    }

    /// Forgets the list in order if another connection has written to the
    /// file since it was read; returns the file's version now.
    fn check(&mut self, conn: &Connection) -> Result<i64> {
        let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if self
            .in_order
            .as_ref()
            .is_some_and(|l| l.data_version != version)
        {
            self.in_order = None;
        }
        Ok(version)
    }

    /// Whether the list in order is remembered (and still the file's).
    fn has_list(&mut self, conn: &Connection) -> Result<bool> {
        self.check(conn)?;
        Ok(self.in_order.is_some())
    }

    /// The list in order, read now unless remembered.
    fn in_order(&mut self, conn: &Connection) -> Result<&InOrder> {
        let version = self.check(conn)?;
        if self.in_order.is_none() {
            self.in_order = Some(InOrder::read(conn, version)?);
        }
        Ok(self.in_order.as_ref().expect("just read"))
    }
}

fn collect(
    stmt: &mut rusqlite::CachedStatement<'_>,
    p: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Client>> {
    Ok(stmt
        .query_map(p, from_row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// These clients (by rowid), in list order.
fn by_rowid(conn: &Connection, rowids: impl Iterator<Item = i64>) -> Result<Vec<Client>> {
    let rowids = std::rc::Rc::new(rowids.map(rusqlite::types::Value::from).collect::<Vec<_>>());
    collect(
        &mut conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM clients c WHERE c.rowid IN rarray(?1) ORDER BY c.sort_key, c.id"
        ))?,
        &[&rowids],
    )
}

/// A client in the list (not archived).
struct Listed {
    sort_key: String,
    id: String,
    search_text: String,
    rowid: i64,
}

fn listed(conn: &Connection, id: &str) -> Result<Option<Listed>> {
    Ok(conn
        .prepare_cached(
            "SELECT sort_key, id, search_text, rowid FROM clients WHERE id = ?1 AND archived = 0",
        )?
        .query_row([id], |r| {
            Ok(Listed {
                sort_key: r.get(0)?,
                id: r.get(1)?,
                search_text: r.get(2)?,
                rowid: r.get(3)?,
            })
        })
        .optional()?)
}

/// Id and name of these clients, archived ones included.
pub(crate) fn names_of(conn: &Connection, ids: &[String]) -> Result<Vec<(String, String)>> {
    let ids = crate::store::id_array(ids);
    let mut stmt = conn.prepare_cached("SELECT id, name FROM clients WHERE id IN rarray(?1)")?;
    let rows = stmt
        .query_map([ids], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The clients among `ids` that are not archived and match `needle` (a
/// folded search; empty: all), with their sort keys.
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
/// name, numbers in numeric order), with how many there are in all, and
/// where client `selected` stands among them (0-based; `None` when the
/// search leaves them out, or it stands beyond the 1,000th match).
/// `needle` is a folded search ([`text::search_key`]); empty lists everyone.
/// A search stops counting at [`SEARCH_COUNT_LIMIT`]; everyone is counted.
/// Returns the page, the total, whether the total is exact, and the place.
pub(crate) fn page(
    conn: &Connection,
    memo: &std::cell::RefCell<ListMemo>,
    needle: &str,
    offset: u32,
    limit: u32,
    selected: Option<&str>,
) -> Result<(Vec<Client>, u32, bool, Option<u32>)> {
    let wanted = offset.saturating_add(limit) as usize;
    let selected = match selected {
        Some(id) => listed(conn, id)?.filter(|c| c.search_text.contains(needle)),
        None => None,
    };
    // The page, and where the selected client stands, found in the list in order.
    let from_list = |list: &InOrder, places: Vec<usize>| -> Result<(Vec<Client>, Option<u32>)> {
        let rows = by_rowid(
            conn,
            places
                .into_iter()
                .skip(offset as usize)
                .map(|p| list.rowids[p]),
        )?;
        let place = selected.as_ref().and_then(|c| {
            let at = list.rowids.iter().position(|&r| r == c.rowid)?;
            let before = if needle.is_empty() {
                at
            } else {
                let limit = SEARCH_COUNT_LIMIT as usize;
                Some(list.find(needle, at, 0, limit).1).filter(|&n| n < limit)?
            };
            u32::try_from(before).ok()
        });
        Ok((rows, place))
    };
    let mut memo = memo.borrow_mut();
    if needle.is_empty() {
        let total = conn
            .prepare_cached("SELECT active FROM client_counts WHERE id = 1")?
            .query_row([], |r| r.get(0))?;
        if offset < NEAR_THE_TOP && selected.is_none() {
            let rows = collect(
                &mut conn.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM clients c WHERE archived = 0
                     ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
                ))?,
                &[&limit, &offset],
            )?;
            return Ok((rows, total, true, None));
        }
        let list = memo.in_order(conn)?;
        let places = (0..wanted.min(list.rowids.len())).collect();
        let (rows, place) = from_list(list, places)?;
        return Ok((rows, total, true, place));
    }
    if needle.chars().count() >= 3 && !memo.has_list(conn)? {
        // A phrase of trigrams: the needle anywhere in the search text
        // (counted no further than the sort below takes).
        let phrase = format!("\"{needle}\"");
        let matches: u32 = conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM (SELECT 1 FROM client_search WHERE client_search MATCH ?1
                 LIMIT {})",
                SORT_MATCHES_UP_TO + 1
            ))?
            .query_row([&phrase], |r| r.get(0))?;
        let archived: u32 = conn
            .prepare_cached(
                "SELECT count(*) FROM clients WHERE archived = 1 AND instr(search_text, ?1) > 0",
            )?
            .query_row([needle], |r| r.get(0))?;
        let total = matches.saturating_sub(archived);
        if matches <= SORT_MATCHES_UP_TO {
            // Few: sorted from the index.
            let rows = collect(
                &mut conn.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM client_search s CROSS JOIN clients c ON c.rowid = s.rowid
                     WHERE client_search MATCH ?1 AND c.archived = 0
                     ORDER BY c.sort_key, c.id LIMIT ?2 OFFSET ?3"
                ))?,
                &[&phrase, &limit, &offset],
            )?;
            let place = match &selected {
                Some(c) => Some(
                    conn.prepare_cached(
                        "SELECT count(*) FROM client_search s CROSS JOIN clients c ON c.rowid = s.rowid
                         WHERE client_search MATCH ?3 AND c.archived = 0
                           AND (c.sort_key, c.id) < (?1, ?2)",
                    )?
                    .query_row(params![c.sort_key, c.id, phrase], |r| r.get(0))?,
                )
                .filter(|&n: &u32| n < SEARCH_COUNT_LIMIT),
                None => None,
            };
            return Ok((
                rows,
                total.min(SEARCH_COUNT_LIMIT),
                total <= SEARCH_COUNT_LIMIT,
                place,
            ));
        }
    }
    // One or two letters (too short for the trigram index), many matches
    // (maybe all late in the list: a first name late in the alphabet), or
    // the list in order is at hand: it is searched for the page, and
    // counted up to the limit.
    let list = memo.in_order(conn)?;
    let count_to = (SEARCH_COUNT_LIMIT as usize + 1).max(wanted);
    let (places, found) = list.find(needle, list.rowids.len(), wanted, count_to);
    let found = u32::try_from(found).unwrap_or(u32::MAX);
    let (rows, place) = from_list(list, places)?;
    Ok((
        rows,
        found.min(SEARCH_COUNT_LIMIT),
        found <= SEARCH_COUNT_LIMIT,
        place,
    ))
}

/// Every client's id.
pub(crate) fn all_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM clients")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A change to the list in order, as `ListMemo::patch` makes them.
    #[derive(Debug, Clone)]
    enum Change {
        Insert(usize, String),
        Remove(usize),
        Replace(usize, String),
        Move(usize, usize, String),
    }

    /// Search texts of a few characters, so that searches match some.
    fn a_text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[abz1 ]{0,7}").unwrap()
    }

    fn a_change() -> impl Strategy<Value = Change> {
        prop_oneof![
            (any::<usize>(), a_text()).prop_map(|(at, t)| Change::Insert(at, t)),
            any::<usize>().prop_map(Change::Remove),
            (any::<usize>(), a_text()).prop_map(|(at, t)| Change::Replace(at, t)),
            (any::<usize>(), any::<usize>(), a_text())
                .prop_map(|(from, to, t)| Change::Move(from, to, t)),
        ]
    }

    /// What `find` must answer, from the texts themselves.
    fn find_plainly(
        texts: &[String],
        needle: &str,
        before: usize,
        keep: usize,
        count_to: usize,
    ) -> (Vec<usize>, usize) {
        let matches: Vec<usize> = texts
            .iter()
            .take(before)
            .enumerate()
            .filter(|(_, t)| t.contains(needle))
            .map(|(i, _)| i)
            .collect();
        let count = matches.len().min(count_to);
        (matches.into_iter().take(keep.min(count)).collect(), count)
    }

    proptest! {
        /// However the list is changed, a search through the blocks that
        /// may hold it finds what a search through every client finds, and
        /// each block holds every pair of its clients.
        #[test]
        fn a_search_through_the_pair_filter_finds_every_client_it_should(
            start in proptest::collection::vec(a_text(), 0..100),
            changes in proptest::collection::vec(a_change(), 0..60),
            needles in proptest::collection::vec(
                proptest::string::string_regex("[abz1 ]{1,3}").unwrap(), 1..6),
            before in 0usize..120,
            keep in 0usize..10,
            count_to in 1usize..50,
        ) {
            let mut list = InOrder::new(0);
            let mut texts = start.clone();
            for (i, t) in start.iter().enumerate() {
                list.push(i as i64, t);
            }
            for change in changes {
                match change {
                    Change::Insert(at, t) => {
                        let at = at % (texts.len() + 1);
                        list.insert(at, 1000, &t);
                        texts.insert(at, t);
                    }
                    Change::Remove(at) if !texts.is_empty() => {
                        let at = at % texts.len();
                        list.remove(at);
                        texts.remove(at);
                    }
                    Change::Replace(at, t) if !texts.is_empty() => {
                        let at = at % texts.len();
                        list.replace(at, &t);
                        texts[at] = t;
                    }
                    Change::Move(from, to, t) if !texts.is_empty() => {
                        let from = from % texts.len();
                        let to = to % texts.len();
                        list.move_client(from, to, &t);
                        texts.remove(from);
                        texts.insert(to, t);
                    }
                    _ => {}
                }
            }
            prop_assert_eq!(list.blocks.len(), texts.len().div_ceil(BLOCK));
            for (place, t) in texts.iter().enumerate() {
                let (start, end) = list.span_of(place);
                prop_assert_eq!(&list.text[start..end], t.as_str());
                for p in Pairs::of(t.as_bytes()) {
                    prop_assert!(list.blocks[place / BLOCK].has(p), "place {}: {:?}", place, t);
                }
            }
            for needle in needles {
                prop_assert_eq!(
                    list.find(&needle, before, keep, count_to),
                    find_plainly(&texts, &needle, before, keep, count_to),
                    "{:?}", needle
                );
            }
        }
    }

    #[test]
    fn a_search_reads_only_the_blocks_that_hold_its_pairs() {
        let mut list = InOrder::new(0);
        for i in 0..10 * BLOCK {
            let name = if i == 7 * BLOCK + 3 {
                "zoe".to_string()
            } else {
                format!("ana {i}")
            };
            list.push(i as i64, &name);
        }
        let holding: Vec<usize> = (0..list.blocks.len())
            .filter(|&b| Pairs::of(b"zo").all(|p| list.blocks[b].has(p)))
            .collect();
        assert_eq!(holding, [7]);
        assert_eq!(
            list.find("zo", usize::MAX, 5, 100),
            (vec![7 * BLOCK + 3], 1)
        );
        assert_eq!(list.find("zo", 7 * BLOCK + 3, 5, 100), (vec![], 0));
    }
}
