// The Reports area's state: which days are reported and the figures for
// them, read again whenever money, sessions or the practice change.
import { call, commands, messageOf } from "../../api";
import type { ReportTable, Reports } from "../../bindings";
import { app } from "../../app.svelte";
import { changes } from "../../changes.svelte";
import { OneAtATime } from "../../latest";
import { Form } from "../../form.svelte";
import { plural } from "../../format";

export type Period = "12" | "year" | "lastYear" | "custom";

export class ReportsState {
  period: Period = $state("12");
  /** `YYYY-MM-DD`; empty lets the core choose (a year of months up to today). */
  from = $state("");
  to = $state("");
  data: Reports | null = $state(null);
  error = $state("");
  exporting = $state(false);
  readonly form = new Form(() => ["from", "to"]);
  private request = new OneAtATime();

  /** Sets the days for a period preset (custom keeps what was typed). */
  choose(period: Period) {
    this.period = period;
    const year = Number(app.today.slice(0, 4));
    if (period === "12") [this.from, this.to] = ["", ""];
    else if (period === "year") [this.from, this.to] = [`${year}-01-01`, app.today];
    else if (period === "lastYear") [this.from, this.to] = [`${year - 1}-01-01`, `${year - 1}-12-31`];
  }

  /** Reads the figures; call from an `$effect` (it tracks the days and the changes). */
  load() {
    const query = { from: this.from, to: this.to };
    void (changes.packages + changes.practice + changes.clients);
    this.request.run(
      () => call(commands.reports(query)),
      (r) => {
        this.data = r;
        this.error = "";
        this.form.clear();
      },
      (e) => {
        this.form.fail(e);
        this.error = messageOf(e);
      },
    );
  }

  async export(table: ReportTable) {
    if (this.exporting) return;
    this.exporting = true;
    try {
      const done = await call(commands.exportReport({ from: this.from, to: this.to }, table));
      if (done) app.showToast(`Exported ${plural(done.rows, "row", "rows")} to ${done.path}`);
    } catch (e) {
      app.showToast(`Export failed: ${messageOf(e)}`);
    } finally {
      this.exporting = false;
    }
  }
}

export const reports = new ReportsState();
