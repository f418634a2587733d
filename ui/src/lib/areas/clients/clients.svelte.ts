// The Clients area's state: the search, the list (a window onto the whole
// practice, a page at a time), the selected client and its record, and which
// sheet is open. It lives as long as the window, so going to another area
// and back keeps the open client and the search.
import { untrack } from "svelte";
import { AppError, call, commands, messageOf } from "../../api";
import type { ClientFilter, ClientPage, ClientRecord, ClientSummary, PackageView, TimelineItem } from "../../bindings";
import { changes } from "../../changes.svelte";
import { Latest } from "../../latest";

export type MoneySheet = "payment" | "refund" | "plan" | "cancel";

export type ClientSheet = "new" | "edit" | "log" | "sell" | null;

/**
 * Rows per request: a tall list's screenful (rows are 50 px). Each search
 * waits for its first page, and 60 rows (18 KB) took twice as long as 30 to
 * cross from the core on this machine; the next pages follow as the list
 * scrolls.
 */
export const PAGE = 30;

/** How many lines of a client's history the record shows first (the
 * newest), and how many more each time older ones are asked for. */
export const HISTORY_PAGE = 50;
export const HISTORY_MORE = 200;

export class ClientsState {
  query = $state("");
  /** Only the clients who owe money, most overdue first (or everyone). */
  filter: ClientFilter | null = $state(null);
  /** How many clients match (a search counts at most 1,000; see `exact`). */
  total = $state(0);
  exact = $state(true);
  /**
   * One slot per matching client, in list order; `null` until its page
   * arrives. Replaced whole as pages arrive, never changed in place (a raw,
   * not a deep, state: a search at 100× matches up to 150,000 slots).
   */
  rows: (ClientSummary | null)[] = $state.raw([]);
  loaded = $state(false);
  /** The search whose rows are on screen (the list says so to screen readers and tools as `data-query`). */
  shown: string | null = $state(null);
  /** The filter of the list shown (`undefined` before the first read). */
  private shownFilter: ClientFilter | null | undefined = undefined;
  error = $state("");
  selectedId: string | null = $state(null);
  record: ClientRecord | null = $state(null);
  sheet: ClientSheet = $state(null);
  reversing: TimelineItem | null = $state(null);
  waiving: TimelineItem | null = $state(null);
  /** The package whose credits are being adjusted, or moved to another client's. */
  credits: { package: PackageView; mode: "adjust" | "transfer" } | null = $state(null);
  /** The package being renewed (the sale sheet, prefilled). */
  renewing: PackageView | null = $state(null);
  /** The package whose last day is being moved. */
  extending: PackageView | null = $state(null);
  pausing: PackageView | null = $state(null);
  /** The package a money sheet is open for. */
  money: { package: PackageView; mode: MoneySheet } | null = $state(null);

  /** Bumped whenever the list must be read again (new search, or a change). */
  private generation = 0;
  private pages = new Set<number>();
  /** While the first page of one search is on its way, the newest wanted query waits here. */
  private wanted: string | null = null;
  private busy = false;
  private recordRequest = new Latest();
  /**
   * The first page of everyone (under each filter), while nothing changes:
   * the search emptied shows it at once, with the field's own change, and
   * reads it again behind it. Forgotten at every change the backend
   * announces. (A search's own pages are not kept: each is read as typed.)
   */
  private kept = new Map<ClientFilter | null, ClientPage>();
  /** The changes seen when the pages kept were read. */
  private keptAt = -1;
  /** Older history asked for, on this client's record. */
  private older: { id: string; lines: number } | null = $state(null);
  /** The list scrolls a row into view (registered by the list component). */
  scrollTo: (index: number) => void = () => {};

  /**
   * Reads the list again for the current search; call from an `$effect` (it
   * tracks the search and the changes). Typing never queues requests: while
   * one is on its way, only the newest query waits, and it goes as soon as
   * the answer is in.
   */
  reload() {
    this.wanted = this.query;
    void this.filter;
    const seen = changes.clients + changes.packages + changes.practice;
    if (seen !== this.keptAt) {
      this.kept.clear();
      this.keptAt = seen;
    }
    this.generation += 1;
    this.pages.clear();
    // What the read uses besides the search (the selection) must not make
    // the caller's effect run again.
    if (!this.busy) untrack(() => void this.loadFirst());
  }

  private async loadFirst() {
    this.busy = true;
    while (this.wanted !== null) {
      const text = this.wanted;
      this.wanted = null;
      const generation = this.generation;
      const asked = this.selectedId;
      const filter = this.filter;
      // The same search and filter read again: the practice changed.
      const again = this.loaded && text === this.shown && filter === this.shownFilter;
      const kept = again || text !== "" ? undefined : this.kept.get(filter);
      if (kept) this.show(kept, text, filter);
      try {
        const page = await call(commands.listClients({ text, offset: 0, limit: PAGE, selected: asked, filter }));
        if (generation !== this.generation) continue;
        this.show(page, text, filter);
        if (text === "") this.kept.set(filter, page);
        // A search or filter that leaves the open client out closes it
        // (unless another client was opened meanwhile). A change that takes
        // them off the list (paid up under "Owes money", renewed under "Low
        // on credits") leaves their record open: what was just done shows.
        if (!again && asked && this.selectedId === asked && page.selectedIndex === null) this.selectedId = null;
        if (this.reveal && page.selectedIndex !== null) {
          const at = page.selectedIndex;
          this.ensure(at, at + PAGE);
          queueMicrotask(() => this.scrollTo(at));
        }
        this.reveal = false;
        // The rows past the first page are read again by the list, for the
        // rows it shows (each new list of rows starts it).
      } catch (e) {
        if (generation === this.generation) this.error = messageOf(e);
      }
    }
    this.busy = false;
  }

  /** Shows a search's first page (in a fresh list): what is read past it is read again. */
  private show(page: ClientPage, text: string, filter: ClientFilter | null) {
    this.place(page, true);
    this.pages.clear();
    this.pages.add(0);
    this.cursor = -1;
    this.total = page.total;
    this.exact = page.exact;
    this.loaded = true;
    this.shown = text;
    this.shownFilter = filter;
    this.error = "";
  }

  /** Puts a page's rows in their slots (in a fresh list of the page's total, for a new read). */
  private place(page: ClientPage, fresh = false) {
    const rows = fresh ? new Array<ClientSummary | null>(page.total).fill(null) : this.rows.slice();
    page.rows.forEach((row, i) => {
      if (page.offset + i < rows.length) rows[page.offset + i] = row;
    });
    this.rows = rows;
  }

  /** Forgets everything, as for a practice opened anew (a restore) or a new test. */
  reset() {
    this.generation += 1;
    this.wanted = null;
    this.busy = false;
    this.pages.clear();
    this.kept.clear();
    this.query = "";
    this.filter = null;
    this.rows = [];
    this.total = 0;
    this.loaded = false;
    this.shown = null;
    this.shownFilter = undefined;
    this.error = "";
    this.selectedId = null;
    this.record = null;
    this.sheet = null;
    this.reversing = null;
    this.waiving = null;
    this.credits = null;
    this.money = null;
    this.renewing = null;
    this.extending = null;
    this.pausing = null;
  }

  /** Makes sure rows `start` to `end` are (being) read; the list calls it as it scrolls. */
  ensure(start: number, end: number) {
    const generation = this.generation;
    const last = Math.min(end, this.total - 1);
    for (let p = Math.floor(Math.max(0, start) / PAGE); p * PAGE <= last; p++) {
      if (this.pages.has(p)) continue;
      this.pages.add(p);
      call(commands.listClients({ text: this.query, offset: p * PAGE, limit: PAGE, selected: null, filter: this.filter })).then(
        (page) => generation === this.generation && this.place(page),
        (e) => {
          if (generation !== this.generation) return;
          this.pages.delete(p);
          this.error = messageOf(e);
        },
      );
    }
  }

  /** How many lines of the selected client's history are read (the newest). */
  get historyLines(): number {
    return this.older !== null && this.older.id === this.selectedId ? this.older.lines : HISTORY_PAGE;
  }

  /** Reads older lines of the selected client's history too. */
  showOlder() {
    if (this.selectedId) this.older = { id: this.selectedId, lines: this.historyLines + HISTORY_MORE };
  }

  /** Reads the selected client's record; call from an `$effect`. */
  loadRecord() {
    const id = this.selectedId;
    const lines = this.historyLines;
    void (changes.clients + changes.packages + changes.practice);
    if (!id) {
      this.recordRequest.cancel();
      this.record = null;
      return;
    }
    this.recordRequest.run(
      call(commands.clientRecord(id, lines)),
      (r) => (this.record = r),
      (e) => {
        if (e instanceof AppError && e.kind === "NotFound") {
          // Gone (a restore, say): nothing is selected any more.
          this.selectedId = null;
          this.record = null;
        } else {
          this.error = messageOf(e);
        }
      },
    );
  }

  /** Where the keyboard has moved to (ahead of a page still on its way). */
  private cursor = -1;

  select(id: string) {
    this.selectedId = id;
    this.cursor = -1;
  }

  /**
   * Opens a client from elsewhere (Today, a booking): a search that would
   * leave them out is cleared, and the list scrolls to them.
   */
  open(id: string) {
    if (this.query !== "" && !this.rows.some((r) => r?.id === id)) this.query = "";
    this.select(id);
    this.reveal = true;
    this.sheet = null;
  }

  /** Scroll to the selected client when the next list arrives. */
  private reveal = false;

  /** The selected client's row, or -1. */
  get selectedIndex(): number {
    return this.selectedId ? this.rows.findIndex((r) => r?.id === this.selectedId) : -1;
  }

  /** Moves the selection by `step` rows (across pages) and brings the row into view. */
  async move(step: number) {
    if (this.total === 0) return;
    const here = this.cursor >= 0 ? this.cursor : this.selectedIndex;
    const next = here < 0 ? 0 : Math.max(0, Math.min(this.total - 1, here + step));
    // Presses made while a page is on its way add up.
    this.cursor = next;
    this.scrollTo(next);
    if (!this.rows[next]) {
      this.ensure(next, next + PAGE);
      const generation = this.generation;
      // The page arrives in a moment; wait for it (or for a new search).
      for (let i = 0; i < 100 && !this.rows[next] && generation === this.generation; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    const row = this.rows[next];
    if (!row || this.cursor !== next) return;
    this.selectedId = row.id;
    queueMicrotask(() => document.getElementById(`client-${row.id}`)?.focus());
  }
}

export const clients = new ClientsState();
