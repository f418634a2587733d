// Nothing lost: automatic snapshots, Restore (which sets the current practice
// aside first), Back up now through the native dialog, and one Punchcard per
// practice file.
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { application, artifacts } from "../wdio.conf.mjs";
import { answerFileDialog, byName, click, clickForDialog, clientRow, fill, sheetClosed, waitForText, screenshot } from "../helpers.mjs";

async function addClient(name) {
  await click("New client");
  await fill("Name", name);
  await click("Add client");
  await sheetClosed();
  await (await clientRow(name)).waitForExist();
}

/** Opens Settings until the snapshot list shows `text` (snapshots are taken in the background). */
async function settingsShowing(text) {
  await browser.waitUntil(
    async () => {
      await click("Clients");
      await click("Settings");
      const list = await $('[aria-label="Snapshots"]');
      return (await list.isExisting()) && (await list.getText()).includes(text);
    },
    { timeout: 20_000, interval: 1000, timeoutMsg: `no snapshot showing “${text}”` },
  );
}

describe("keeping the practice safe", () => {
  it("takes a snapshot once the practice exists, and restores it after setting the current one aside", async () => {
    await waitForText("h1", "Welcome to Punchcard");
    await fill("Practice name", "Safe Studio");
    await click("Start");
    await waitForText("nav", "Safe Studio");
    // Today's snapshot is taken as soon as the practice exists.
    await settingsShowing("Snapshot of");
    await screenshot(path.join(artifacts, "settings-data.png"));

    await click("Clients");
    await addClient("After Snapshot");
    await click("Settings");
    const restore = await $('button[aria-label^="Restore Snapshot of"]');
    await restore.waitForClickable();
    await restore.click();
    await waitForText("dialog[open]", "set aside first");
    await click("Restore");
    await waitForText("[role=status]", "Restored");
    await waitForText('[aria-label="Snapshots"]', "Set aside before a restore");
    await click("Clients");
    await waitForText(".empty-list", "No clients yet");

    // The practice as it was before the restore is one click away.
    await click("Settings");
    const back = await $('button[aria-label^="Restore Set aside before a restore"]');
    await back.waitForClickable();
    await back.click();
    await click("Restore");
    await waitForText("[role=status]", "Restored");
    await click("Clients");
    await (await clientRow("After Snapshot")).waitForExist();
  });

  it("backs up to a file picked in the native dialog, whole and checked", async () => {
    await click("Settings");
    const target = path.join(process.env.PUNCHCARD_E2E_DIR, "friday-backup");
    await clickForDialog("Back up now");
    answerFileDialog("Save a backup", target);
    await waitForText("[role=status]", "Backed up to");
    const file = `${target}.sqlite3`;
    expect(fs.existsSync(file)).toBe(true);
    const read = spawnSync(
      "python3",
      ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('pragma integrity_check').fetchone()[0], c.execute('select name from clients').fetchall())", file],
      { encoding: "utf8" },
    );
    expect(read.stdout.trim()).toBe("ok [('After Snapshot',)]");
  });

  it("refuses to back up onto a file SQLite keeps beside the practice", async () => {
    await clickForDialog("Back up now");
    answerFileDialog("Save a backup", `${process.env.PUNCHCARD_E2E_DB}-journal`);
    await waitForText("[role=alert]", "your practice file");
    expect(fs.existsSync(`${process.env.PUNCHCARD_E2E_DB}-journal`)).toBe(false);
    await click("Clients");
    await (await clientRow("After Snapshot")).waitForExist();
  });

  it("lets only one Punchcard open a practice file: a second one hands over to the first", async () => {
    const started = Date.now();
    const second = spawn(application, ["--db", process.env.PUNCHCARD_E2E_DB], { stdio: "ignore" });
    const code = await new Promise((resolve) => {
      const timer = setTimeout(() => {
        second.kill();
        resolve("still running");
      }, 15_000);
      second.once("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    // The first window still works.
    await addClient("Still Here");
  });
});
