// Dates people can pick: every date field takes typing, or a calendar that
// works from the keyboard, and reads the day back in the user's locale.
import path from "node:path";
import { artifacts } from "../wdio.conf.mjs";
import { byName, click, sheetClosed, startPractice, addClient, openCustomSale, screenshot } from "../helpers.mjs";

const shift = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe("date fields", () => {
  it("picks a day on the calendar from the keyboard; Escape closes the calendar, not the sheet", async () => {
    await startPractice();
    await addClient("Ana Souza");
    await openCustomSale("Ten", 10, 800);
    const field = await byName("Sale date");
    const today = await field.getValue();
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // From the field, Tab reaches the calendar button; Enter opens it on the day typed.
    await field.click();
    await browser.keys(["Tab"]);
    await browser.keys(["Enter"]);
    const grid = await $("dialog[open] [role=grid]");
    await grid.waitForDisplayed();
    await screenshot(path.join(artifacts, "date-picker.png"));
    // Left a day, up a week, and pick it.
    await browser.keys(["ArrowLeft"]);
    await browser.keys(["ArrowUp"]);
    await browser.keys(["Enter"]);
    await browser.waitUntil(async () => (await field.getValue()) === shift(today, -8), {
      timeoutMsg: `the calendar did not pick ${shift(today, -8)}`,
    });
    await grid.waitForDisplayed({ reverse: true });
    expect(await browser.execute(() => document.activeElement?.id)).toBe(await field.getAttribute("id"));

    // Escape closes the calendar only.
    await click("Pick the date on a calendar");
    await grid.waitForDisplayed();
    await browser.keys(["Escape"]);
    await grid.waitForDisplayed({ reverse: true });
    expect(await $("dialog[open]").isExisting()).toBe(true);

    // Typing still works, and a day that does not exist says so beside the field.
    await field.setValue("2026-02-30");
    await click("Sell package");
    expect(await (await $("#sale-date-error")).getText()).toContain("only 28 days");
    await field.setValue(shift(today, -8));
    await click("Sell package");
    await sheetClosed();
  });
});
