// The Clients area's state: the search, the list, the selected client and
// its record, and which sheet is open. It lives as long as the window, so
// going to another area and back keeps the open client and the search.
import { AppError, call, commands, messageOf } from "../../api";
import type { ClientRecord, ClientSummary, TimelineItem } from "../../bindings";
import { changes } from "../../changes.svelte";
import { Latest } from "../../latest";

export type ClientSheet = "new" | "edit" | "log" | "sell" | null;

export class ClientsState {
  query = $state("");
  list: ClientSummary[] = $state([]);
  loaded = $state(false);
  error = $state("");
  selectedId: string | null = $state(null);
  record: ClientRecord | null = $state(null);
  sheet: ClientSheet = $state(null);
  reversing: TimelineItem | null = $state(null);

  private listRequest = new Latest();
  private recordRequest = new Latest();

  /** Reads the list for the current search; call from an `$effect` (it tracks the search and the changes). */
  loadList() {
    const q = this.query;
    void (changes.clients + changes.packages + changes.practice);
    this.listRequest.run(
      call(commands.listClients(q)),
      (list) => {
        this.list = list;
        this.loaded = true;
        this.error = "";
      },
      (e) => (this.error = messageOf(e)),
    );
  }

  /** Reads the selected client's record; call from an `$effect`. */
  loadRecord() {
    const id = this.selectedId;
    void (changes.clients + changes.packages + changes.practice);
    if (!id) {
      this.recordRequest.cancel();
      this.record = null;
      return;
    }
    this.recordRequest.run(
      call(commands.clientRecord(id)),
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

  select(id: string) {
    this.selectedId = id;
  }

  /** Moves the selection by `step` rows and focuses the row. */
  move(step: number) {
    if (this.list.length === 0) return;
    const i = this.list.findIndex((c) => c.id === this.selectedId);
    const next = i < 0 ? 0 : Math.max(0, Math.min(this.list.length - 1, i + step));
    this.selectedId = this.list[next].id;
    document.getElementById(`client-${this.list[next].id}`)?.focus();
  }
}

export const clients = new ClientsState();
