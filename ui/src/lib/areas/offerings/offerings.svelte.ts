// The Offerings area's state: every offering (on sale and retired) and
// which one is being edited.
import { call, commands, messageOf } from "../../api";
import type { Offering } from "../../bindings";
import { changes } from "../../changes.svelte";
import { app } from "../../app.svelte";
import { Latest } from "../../latest";

export class OfferingsState {
  all: Offering[] = $state([]);
  loaded = $state(false);
  error = $state("");
  editing: Offering | "new" | null = $state(null);

  private request = new Latest();

  readonly current = $derived(this.all.filter((o) => !o.retired));
  readonly retired = $derived(this.all.filter((o) => o.retired));

  /** Reads every offering; call from an `$effect` (it tracks the changes). */
  load() {
    void (changes.offerings + changes.practice);
    this.request.run(
      call(commands.listOfferings(true)),
      (list) => {
        this.all = list;
        this.loaded = true;
        this.error = "";
      },
      (e) => (this.error = messageOf(e)),
    );
  }

  async setRetired(o: Offering, value: boolean) {
    try {
      await call(commands.setOfferingRetired(o.id, value));
      app.showToast(value ? `Retired ${o.name}` : `${o.name} is on sale again`, async () => {
        await call(commands.setOfferingRetired(o.id, !value));
      });
    } catch (e) {
      this.error = messageOf(e);
    }
  }
}

export const offerings = new OfferingsState();
