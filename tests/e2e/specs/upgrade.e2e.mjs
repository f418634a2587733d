// A practice from the previous version is brought up to date on open: the
// window says so while it works (on a large practice, minutes), then opens
// the practice with everything in it, and lists the copy of the practice as
// it was that it kept first.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { click, listSize, waitForText } from "../helpers.mjs";

/** One number the file says, read beside the app (read-only). */
const sql = (db, query) => {
  const read = spawnSync("python3", [
    "-c",
    "import sqlite3,sys; c=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True); print(c.execute(sys.argv[2]).fetchone()[0])",
    db,
    query,
  ]);
  if (read.status !== 0) throw new Error(String(read.stderr));
  return Number(String(read.stdout).trim());
};

describe("a practice from the previous version", () => {
  it("shows that it is being brought up to date, then opens it whole", async () => {
    const db = process.env.PUNCHCARD_E2E_DB;
    await waitForText("h1", "Bringing your practice up to date");
    const progress = await $('progress[aria-label="Updating the practice"]');
    expect(await progress.isDisplayed()).toBe(true);
    // Its first step: a copy of the practice as it is.
    const step = await $('p[role="status"]');
    expect(await step.getText()).toContain("keeping a copy of the practice as it is");
    // The time it has worked for moves on, a second at a time.
    const working = await $("//p[contains(., 'Working for')]");
    const first = await working.getText();
    await browser.waitUntil(async () => (await working.getText()) !== first, {
      timeout: 5_000,
      timeoutMsg: "the time it has worked for stood still",
    });
    // Nothing of the practice shows while it is not open, and the file is
    // as the previous version left it.
    expect(await $('nav[aria-label="Main"]').isExisting()).toBe(false);
    expect(sql(db, "pragma user_version")).toBe(15);

    fs.writeFileSync(path.join(process.env.PUNCHCARD_E2E_DIR, "upgrade-may-finish"), "");
    const nav = await $('nav[aria-label="Main"]');
    await nav.waitForDisplayed({ timeout: 60_000 });
    expect(await nav.getText()).toContain("Sample Practice");
    expect(await $("h1=Bringing your practice up to date").isExisting()).toBe(false);

    // Its clients came through: the list holds every one the file had.
    await (await $('nav[aria-label="Main"] button[aria-label="Clients"]')).click();
    const listed = sql(db, "select count(*) from clients where archived = 0");
    expect(listed).toBeGreaterThan(0);
    await browser.waitUntil(async () => (await listSize()) === listed, {
      timeoutMsg: `the list does not hold the ${listed} clients`,
    });
    expect(sql(db, "pragma user_version")).toBeGreaterThan(15);

    // The copy it kept first is offered among the snapshots, to restore.
    await click("Settings");
    await waitForText('[aria-label="Snapshots"]', "Kept before an update of Punchcard");
    const restore = await $('button[aria-label^="Restore Kept before an update of Punchcard"]');
    expect(await restore.isDisplayed()).toBe(true);
  });
});
