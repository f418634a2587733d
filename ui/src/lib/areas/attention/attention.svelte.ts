// The Needs attention list: the most urgent of the clients the follow-up
// rules flag (as many as are shown) and how many there are, read again
// whenever packages, clients or the practice change; and the follow-up
// actions (renew, remind, offered, declined, snooze).
import { call, commands, messageOf } from "../../api";
import type { Attention, AttentionItem, FollowUp, Reminder } from "../../bindings";
import { app } from "../../app.svelte";
import { changes } from "../../changes.svelte";
import { OneAtATime } from "../../latest";

export type AttentionSheet =
  | { kind: "renew"; item: AttentionItem }
  | { kind: "snooze"; item: AttentionItem }
  | { kind: "reminder"; item: AttentionItem; reminder: Reminder }
  | null;

/** How many the home screen shows at first, and how many more each time. */
export const FEW = 5;
export const MORE = 50;

export class AttentionState {
  data: Attention | null = $state(null);
  /** How many of the most urgent are read (the rest are only counted). */
  limit = $state(FEW);
  error = $state("");
  sheet: AttentionSheet = $state(null);
  private request = new OneAtATime();

  get count(): number {
    return this.data?.total ?? 0;
  }

  /** Shows more of the list (read again, with the larger limit). */
  more() {
    this.limit += MORE;
  }

  /** Back to the first few. */
  fewer() {
    this.limit = FEW;
  }

  /** Reads the list; call from an `$effect` (it tracks the changes). */
  load() {
    const limit = this.limit;
    void (changes.packages + changes.clients + changes.practice);
    this.request.run(
      () => call(commands.needsAttention(limit)),
      (a) => {
        this.data = a;
        this.error = "";
      },
      (e) => (this.error = messageOf(e)),
    );
  }

  async follow(item: AttentionItem, state: FollowUp, until = "") {
    if (!item.packageId) return;
    const before = item.followUp;
    const beforeUntil = item.snoozedUntil ?? "";
    try {
      await call(commands.setFollowUp({ packageId: item.packageId, state, until }));
      const words = { offered: "Marked offered", declined: "Marked declined", snoozed: `Snoozed until ${until}`, none: "Follow-up cleared" }[state];
      app.showToast(`${words}: ${item.clientName}`, async () => {
        await call(commands.setFollowUp({ packageId: item.packageId!, state: before, until: beforeUntil }));
      });
    } catch (e) {
      app.showToast(messageOf(e));
    }
  }

  async remind(item: AttentionItem) {
    try {
      const done = await call(commands.remindClient(item.clientId));
      if (done.opened) app.showToast(`Reminder for ${item.clientName} drafted in your mail app`);
      else this.sheet = { kind: "reminder", item, reminder: done.reminder };
    } catch (e) {
      app.showToast(messageOf(e));
    }
  }
}

export const attention = new AttentionState();
