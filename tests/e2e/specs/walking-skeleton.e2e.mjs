// Items 1–7 of the walking skeleton, in the real app on a fresh file.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { artifacts } from "../wdio.conf.mjs";
import {
  answerReplace, answerSaveDialog, byName, click, clientRow, fieldError, fill, packageCardText, sheetClosed,
  timelineLines, waitForText, screenshot,
} from "../helpers.mjs";

// "Today" as the app sees it (the practice's time zone), read from the sale form.
let appToday = "";
const today = () => appToday;

describe("a practitioner's first day with Punchcard", () => {
  it("asks for the practice name and currency once, with errors beside the field", async () => {
    await waitForText("h1", "Welcome to Punchcard");
    await fill("Practice name", "");
    await click("Start");
    expect(await fieldError("practice-name")).toContain("Give the practice a name");
    await fill("Practice name", "Move Well Studio");
    await fill("Currency", "XYZ");
    await click("Start");
    expect(await fieldError("practice-currency")).toContain("not an ISO 4217 currency");
    // What was typed is still there after the error.
    expect(await (await byName("Practice name")).getValue()).toBe("Move Well Studio");
    await fill("Currency", "EUR");
    await click("Start");
    await waitForText("nav", "Move Well Studio");
    await waitForText(".empty-list", "No clients yet");
  });

  it("manages offerings: add, edit, retire", async () => {
    await click("Offerings");
    await waitForText(".offerings", "No offerings yet");
    await click("New offering");
    await fill("Package name", "10-session pack");
    await fill("Sessions", "ten");
    await fill("Price (EUR)", "800");
    await click("Add offering");
    expect(await fieldError("offering-sessions")).toContain("whole number");
    await fill("Sessions", "10");
    await (await $('input[name="offering-validity"][value="days"]')).click();
    await fill("Number of days", "180");
    await click("Add offering");
    await sheetClosed();
    await waitForText("table", "10-session pack");

    await click("Edit 10-session pack");
    await fill("Price (EUR)", "850");
    await click("Save");
    await sheetClosed();
    await waitForText("table", "850");

    await click("New offering");
    await fill("Package name", "Trial");
    await fill("Sessions", "1");
    await fill("Price (EUR)", "40");
    await click("Add offering");
    await sheetClosed();
    await click("Retire Trial");
    await waitForText('table[aria-label="Retired offerings"]', "Trial");
  });

  it("adds clients, warns about a likely duplicate without refusing it, and searches as you type", async () => {
    await click("Clients");
    await click("New client");
    await fill("Name", "Zoë Ångström-Núñez");
    await fill("Email", "zoe@example");
    await click("Add client");
    expect(await fieldError("client-email")).toContain("email address");
    await fill("Email", "zoe@example.com");
    await fill("Phone", "+351 912 345 678");
    await click("Add client");
    await sheetClosed();
    await waitForText("article h1", "Zoë Ångström-Núñez");

    // Edit in a sheet; Escape closes a sheet without saving.
    await click("Edit client details");
    await fill("Notes", "Knee rehab — no jumping");
    await click("Save");
    await sheetClosed();
    await waitForText("article .notes", "Knee rehab — no jumping");
    await click("Edit client details");
    await fill("Notes", "This is not saved");
    await browser.keys("Escape");
    await sheetClosed();
    await waitForText("article .notes", "Knee rehab — no jumping");

    await browser.keys("n");
    await (await byName("Name")).waitForDisplayed();
    await fill("Name", "Ana Souza");
    await fill("Email", "ana@example.com");
    await click("Add client");
    await sheetClosed();

    await click("New client");
    await fill("Name", "ana  SOUZA");
    const warning = await byName("Possible duplicate");
    await warning.waitForDisplayed();
    await screenshot(path.join(artifacts, "duplicate-warning.png"));
    expect(await warning.getText()).toContain("Ana Souza (ana@example.com) has the same name");
    await fill("Email", "ana.s@example.com");
    await click("Add anyway");
    await sheetClosed();
    await (await clientRow("ana SOUZA")).waitForExist();
    expect(await (await $$('[aria-label="Client list"] [role=option]')).length).toBe(3);

    await fill("Search clients", "zoe");
    await browser.waitUntil(async () => (await $$('[aria-label="Client list"] [role=option]')).length === 1, {
      timeoutMsg: "search did not narrow the list to one client",
    });
    // (textContent: WebDriver's visible-text rules skip text clipped with an ellipsis.)
    expect(await (await $('[aria-label="Client list"] [role=option] .name')).getProperty("textContent")).toBe("Zoë Ångström-Núñez");
    await fill("Search clients", "");
    await browser.waitUntil(async () => (await $$('[aria-label="Client list"] [role=option]')).length === 3);
  });

  it("sells a package from an offering and shows its card", async () => {
    await (await clientRow("Zoë")).click();
    await waitForText("article h1", "Zoë");
    await waitForText("article", "No packages yet");
    await click("Sell package S");
    await (await byName("Offering")).waitForDisplayed();
    appToday = await (await byName("Sale date")).getValue();
    expect(appToday).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await click("Sell package");
    await sheetClosed();
    const card = await packageCardText();
    expect(card).toContain("10-session pack");
    expect(card).toMatch(/10\s+of 10 left/);
    expect(card).toContain("850");
    expect(card).toContain("Paid");
    await waitForText('[aria-label="Client list"] [role=option][aria-selected=true]', "10 of 10 left");
  });

  it("logs sessions, refuses bad input beside the field, and undoes by reversal", async () => {
    await click("Log session L");
    await fill("Time", "25:99");
    await fill("Note", "Café session — ça va");
    await click("Log session");
    expect(await fieldError("session-time")).toContain("HH:MM");
    expect(await (await byName("Note")).getValue()).toBe("Café session — ça va");
    await fill("Time", "10:30");
    await click("Log session");
    await sheetClosed();
    expect(await packageCardText()).toMatch(/9\s+of 10 left/);

    // Undo right after the action.
    await waitForText("[role=status]", "Session logged");
    await click("Undo");
    await browser.waitUntil(async () => /10\s+of 10 left/.test(await packageCardText()), {
      timeoutMsg: "undo did not restore the balance",
    });
    let lines = await timelineLines();
    expect(lines[0]).toContain("Reversal");
    expect(lines[1]).toContain("Session completed");
    expect(lines[1]).toContain("reversed");

    // From the keyboard: L opens the sheet, Enter submits.
    await browser.keys("l");
    await (await byName("Note")).waitForDisplayed();
    await fill("Time", "11:00");
    await fill("Note", "Keyboard only");
    await browser.keys("Enter");
    await sheetClosed();
    await browser.waitUntil(async () => /9\s+of 10 left/.test(await packageCardText()));

    // Reverse from the timeline.
    lines = await timelineLines();
    expect(lines[0]).toContain("Session completed");
    expect(lines[0]).toContain("Keyboard only");
    await click(`Reverse Session completed on ${today()} 11:00`);
    await fill("Reason (optional)", "Wrong day");
    await click("Reverse");
    await sheetClosed();
    await browser.waitUntil(async () => /10\s+of 10 left/.test(await packageCardText()));

    // One session that stands.
    await click("Log session L");
    await fill("Time", "12:15");
    await fill("Note", "=1+1 formula attempt");
    await click("Log session");
    await sheetClosed();
    await browser.waitUntil(async () => /9\s+of 10 left/.test(await packageCardText()));
  });

  it("refuses a session when no credit is left, with a clear message", async () => {
    await (await clientRow("Ana Souza")).click();
    await waitForText("article h1", "Ana Souza");
    await click("Log session L");
    await click("Log session");
    await waitForText("[role=alert]", "no package yet");
    await screenshot(path.join(artifacts, "log-refused.png"));
    // The refusal offers the way forward.
    await click("Sell a package to Ana Souza");
    await (await byName("Offering")).selectByVisibleText("Custom terms…");
    await fill("Package name", "Single drop-in");
    await fill("Sessions", "1");
    await fill("Price (EUR)", "45,50");
    await (await $('input[name="sale-validity"][value="until"]')).click();
    await fill("Last usable day", "31/12/2026");
    await click("Sell package");
    expect(await fieldError("sale-until")).toContain("YYYY-MM-DD");
    await screenshot(path.join(artifacts, "sell-custom-error.png"));
    const lastDay = new Date(Date.parse(`${today()}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    await fill("Last usable day", lastDay);
    await click("Sell package");
    await sheetClosed();
    const card = await packageCardText();
    expect(card).toContain("45.50");
    expect(card).toContain("in 30 days");

    await click("Log session L");
    await click("Log session");
    await sheetClosed();
    await browser.waitUntil(async () => /0\s+of 1 left/.test(await packageCardText()));
    await click("Log session L");
    await click("Log session");
    await waitForText("[role=alert]", "no sessions left");
    await click("Cancel");
    await sheetClosed();
  });

  it("exports the client's history to CSV through the native save dialog", async () => {
    await (await clientRow("Zoë")).click();
    await waitForText("article h1", "Zoë");
    const dir = process.env.PUNCHCARD_E2E_DIR;
    const target = path.join(dir, "zoe-history");
    // Click from the page so WebDriver does not block on the modal dialog.
    await browser.execute(() => {
      const b = [...document.querySelectorAll("button")].find((x) => x.textContent?.includes("Export history"));
      setTimeout(() => b?.click(), 0);
    });
    answerSaveDialog(target);
    await waitForText("[role=status]", "Exported");
    const file = `${target}.csv`;
    expect(fs.existsSync(file)).toBe(true);
    fs.copyFileSync(file, path.join(artifacts, "zoe-history.csv"));

    const raw = fs.readFileSync(file);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = raw.toString("utf8").slice(1).split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("date,time,event,package,sessions,balance,amount,currency,note,id");
    const rows = lines.slice(1);
    const d = today();
    const pkg = `10-session pack (${d})`;
    expect(rows[0]).toMatch(new RegExp(`^${d},,Package purchased,${pkg.replace(/[()]/g, "\\$&")},\\+10,10,850\\.00,EUR,,le_`));
    expect(rows[1]).toMatch(new RegExp(`^${d},,Payment received,.*,,10,850\\.00,EUR,Card,pa_`));
    // A reversed line counts for nothing: the balance after it is as if it never happened.
    expect(rows[2]).toMatch(/,10:30,Session completed,.*,-1,10,,,Café session — ça va,le_/);
    expect(rows[3]).toMatch(/,10:30,Reversal,.*,\+1,10,,,Undone right after logging,le_/);
    expect(rows[4]).toMatch(/,11:00,Session completed,.*,-1,10,,,Keyboard only,le_/);
    expect(rows[5]).toMatch(/,11:00,Reversal,.*,\+1,10,,,Wrong day,le_/);
    expect(rows[6]).toMatch(/,12:15,Session completed,.*,-1,9,,,'=1\+1 formula attempt,le_/);
    expect(rows).toHaveLength(7);

    const checked = spawnSync("python3", [path.resolve(import.meta.dirname, "../../check_csv.py"), file], {
      encoding: "utf8",
    });
    expect(checked.stderr).toBe("");
    expect(checked.status).toBe(0);

    // The same name again: the file exists, so saving asks before replacing it.
    fs.writeFileSync(file, "my own notes");
    await browser.execute(() => {
      const b = [...document.querySelectorAll("button")].find((x) => x.textContent?.includes("Export history"));
      setTimeout(() => b?.click(), 0);
    });
    answerSaveDialog(target);
    expect(fs.readFileSync(file, "utf8")).toBe("my own notes");
    answerReplace(true);
    await browser.waitUntil(() => fs.readFileSync(file, "utf8").includes("Package purchased"), {
      timeoutMsg: "the file was not replaced",
    });
  });

  it("edits the practice in Settings; the currency locks once prices exist", async () => {
    await click("Settings");
    await fill("Practice name", "Move Well Studio Lisbon");
    await fill("Currency", "USD");
    await click("Save settings");
    expect(await fieldError("settings-currency")).toContain("can no longer change");
    await fill("Currency", "EUR");
    await fill("Low balance at (sessions)", "3");
    await click("Save settings");
    await waitForText("[role=status]", "Settings saved");
    await waitForText("nav", "Move Well Studio Lisbon");
  });
});
