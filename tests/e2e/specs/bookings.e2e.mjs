// Bookings in the real app: schedule from the client record, see it on
// Today, reschedule, late-cancel and complete from Today; the balance and
// the history are right after each step; the calendar file reads back.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { artifacts } from "../wdio.conf.mjs";
import {
  answerFileDialog, byName, click, clickForDialog, fill, packageCardText, sheetClosed, timelineLines, waitForText, startPractice, addClient, openCustomSale, area, screenshot,
} from "../helpers.mjs";

// The test packages live with the UI's.
const ICAL = createRequire(path.resolve(import.meta.dirname, "../../../ui/package.json"))("ical.js");

let today = "";
const plusDays = (n) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);


/** The text of the Today screen's booking for this client, day and time. */
async function bookingText(day, time) {
  const row = await $(`//*[@role="group"][.//button[contains(@aria-label, "session on ${day} at ${time}")]]`);
  await row.waitForExist();
  return (await row.getProperty("textContent")).replace(/\s+/g, " ");
}

describe("bookings that draw from packages", () => {
  it("schedules from the client record and shows what the booking will draw", async () => {
    await startPractice();
    await addClient("Ana Souza");
    await openCustomSale("Ten", 10, 800);
    today = await (await byName("Sale date")).getValue();
    await click("Sell package");
    await sheetClosed();
    expect(await packageCardText()).toMatch(/10\s+of 10 left/);

    // Weekly at 23:50 for two weeks: today and a week on.
    await click("Schedule B");
    await waitForText("dialog[open] h2", "Schedule a session for Ana Souza");
    expect(await (await byName("Date")).getValue()).toBe(today);
    await fill("Time", "23:50");
    await fill("Weekly, for how many weeks", "2");
    await waitForText('[aria-label="What it draws from"]', "Draws from Ten");
    await waitForText('[aria-label="What it draws from"]', "8 left after these sessions");
    await screenshot(path.join(artifacts, "schedule-sheet.png"));
    await click("Schedule 2 sessions");
    await sheetClosed();
    // And one more today at 23:55, on its own.
    await browser.keys("b");
    await waitForText("dialog[open] h2", "Schedule a session");
    await fill("Time", "23:55");
    await click("Schedule");
    await sheetClosed();

    await waitForText('[aria-label="Bookings ahead"]', "23:55");
    expect(await packageCardText()).toMatch(/10\s+of 10 left/);
    const lines = await timelineLines();
    expect(lines.filter((l) => l.includes("Session scheduled"))).toHaveLength(3);
  });

  it("shows the bookings on Today, with the package and what is left after each", async () => {
    await area("Today");
    await waitForText("h1", "Today");
    expect(await bookingText(today, "23:50")).toMatch(/Ana Souza.*Ten 9 left after/);
    expect(await bookingText(today, "23:55")).toMatch(/Ten 8 left after/);
    expect(await bookingText(plusDays(7), "23:50")).toMatch(/Ten 7 left after/);
    await screenshot(path.join(artifacts, "today.png"));
  });

  it("reschedules, and the move is kept in the history with no credit changed", async () => {
    await click(`Reschedule Ana Souza's session on ${plusDays(7)} at 23:50`);
    await waitForText("dialog[open] h2", "Reschedule Ana Souza's session");
    await fill("New date", plusDays(8));
    await fill("New time", "10:00");
    await click("Move session");
    await sheetClosed();
    await waitForText("[role=status]", "Moved Ana Souza's session");
    expect(await bookingText(plusDays(8), "10:00")).toMatch(/Ten 7 left after/);
  });

  it("late-cancels inside the window (forfeit) and completes from Today", async () => {
    // 23:55 today is inside the 24-hour window: cancelling forfeits a credit.
    const cancel = await byName(`Cancel Ana Souza's session on ${today} at 23:55`);
    expect(await cancel.getText()).toBe("Late cancel");
    await cancel.click();
    await waitForText("dialog[open]", "forfeits a credit");
    await click("Cancel and forfeit");
    await sheetClosed();
    await waitForText("[role=status]", "Late cancel: a credit forfeited: 9 left on Ten");
    expect(await bookingText(today, "23:55")).toContain("Late cancel");

    // Completed with one key: the focus on the booking, then C.
    await (await byName(`Complete Ana Souza's session on ${today} at 23:50`)).waitForExist();
    await browser.execute((label) => document.querySelector(`[aria-label="${label}"]`).focus(), `Complete Ana Souza's session on ${today} at 23:50`);
    await browser.keys("c");
    await waitForText("[role=status]", "Completed: Ana Souza: 8 left on Ten");
    expect(await bookingText(today, "23:50")).toContain("Completed");
    expect(await bookingText(plusDays(8), "10:00")).toMatch(/Ten 7 left after/);
  });

  it("shows every step on the client record, and the balance on a past day", async () => {
    await (await byName("Open Ana Souza")).click();
    await waitForText("article h1", "Ana Souza");
    expect(await packageCardText()).toMatch(/8\s+of 10 left/);
    const lines = await timelineLines();
    const text = lines.join("\n");
    expect(text).toContain("Late cancel (forfeited)");
    expect(text).toContain("Session completed");
    expect(text).toMatch(/Rescheduled.*from .* to .*10:00/);
    // A forfeit can be waived from the history, with its reason.
    await click(`Waive Late cancel (forfeited) on ${today} 23:55`);
    await fill("Reason", "Called in sick");
    await click("Waive forfeit");
    await sheetClosed();
    await browser.waitUntil(async () => /9\s+of 10 left/.test(await packageCardText()), {
      timeoutMsg: "the waiver did not give the credit back",
    });
    expect((await timelineLines()).join("\n")).toMatch(/Forfeit waived.*Called in sick/);
    await fill("Balances on", plusDays(-1));
    await click("Show");
    await waitForText(".card", "Not sold yet on");
    await screenshot(path.join(artifacts, "record-bookings.png"));
  });

  it("records a session with no credit as owed, and the next sale settles it", async () => {
    await area("Clients");
    await click("New client");
    await fill("Name", "Bruno Lima");
    await click("Add client");
    await sheetClosed();
    await waitForText("article h1", "Bruno Lima");
    await click("Log session L");
    await fill("Time", "08:00");
    await click("Log session");
    await waitForText("dialog[open] [role=alert]", "record the session as owed");
    await click("Record as owed");
    await sheetClosed();
    await waitForText("article .flags", "Owes 1 session");
    await waitForText('[aria-label="Client list"] [role=option][aria-selected=true]', "Owes 1");
    await click("Sell package S");
    await (await byName("Offering")).waitForDisplayed();
    await fill("Package name", "Five");
    await fill("Sessions", "5");
    await fill("Price (EUR)", "400");
    await click("Sell package");
    await sheetClosed();
    // The sale settled the owed session: one credit drawn, the flag gone.
    await browser.waitUntil(async () => /4\s+of 5 left/.test(await packageCardText()), {
      timeoutMsg: "the sale did not settle the owed session",
    });
    expect(await $("article .flags").isExisting()).toBe(false);
    expect((await timelineLines()).join("\n")).toContain("settles");
  });

  it("adjusts credits with a reason and transfers one to a family member as a pair", async () => {
    await click("Adjust credits on Five");
    await fill("Credits (+ to add, − to take away)", "+2");
    await click("Adjust credits");
    await waitForText("#credits-reason-error", "Say why");
    await fill("Reason", "Goodwill for a cancelled class");
    await click("Adjust credits");
    await sheetClosed();
    await browser.waitUntil(async () => /6\s+left\s*·\s*5 bought \+ 2 added/.test(await packageCardText()));

    await click("Transfer credits from Five");
    const to = await byName("To client");
    await to.setValue("Ana");
    const option = await $('//dialog[@open]//*[@role="option"][contains(., "Ana Souza")]');
    await option.waitForDisplayed();
    await option.click();
    await waitForText("#credits-to-package", "Ten");
    await fill("Credits to move", "1");
    await fill("Reason", "For his mother");
    await click("Transfer credits");
    await sheetClosed();
    await browser.waitUntil(async () => /5\s+left\s*·\s*5 bought \+ 1 added/.test(await packageCardText()));
    expect((await timelineLines()).join("\n")).toMatch(/Transfer out.*to Ten/);
    await fill("Search clients", "ana");
    await (await $('//*[@role="option"][contains(., "Ana Souza")]')).click();
    await waitForText("article h1", "Ana Souza");
    await browser.waitUntil(async () => /10\s+left\s*·\s*10 bought \+ 1 added/.test(await packageCardText()));
    expect((await timelineLines()).join("\n")).toMatch(/Transfer in.*from Five/);
    await fill("Search clients", "");
  });

  it("exports the schedule as an iCalendar file that reads back", async () => {
    await area("Today");
    await waitForText("h1", "Today");
    const target = path.join(process.env.PUNCHCARD_E2E_DIR, "schedule");
    await clickForDialog("Export calendar");
    answerFileDialog("Save the schedule as a calendar file", target);
    await waitForText("[role=status]", "Exported 4 sessions");
    const file = `${target}.ics`;
    const cal = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
    const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(4); // Ana's three bookings and Bruno's logged session
    const moved = events.find((e) => e.startDate.toString().startsWith(`${plusDays(8)}T10:00`));
    expect(moved?.summary).toBe("Ana Souza: session");
    // In the practice's time zone, named as the calendar names it.
    expect(moved?.startDate.timezone).toBe(cal.getFirstPropertyValue("x-wr-timezone"));
    expect(moved?.startDate.timezone).toMatch(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/);
    const late = events.find((e) => e.startDate.toString().startsWith(`${today}T23:55`));
    expect(late?.component.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(new Set(events.map((e) => e.uid)).size).toBe(4);
  });
});
