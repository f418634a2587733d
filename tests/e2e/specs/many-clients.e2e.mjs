// A practice of more than a thousand clients (generated): a search of one
// or two letters lists its first 1,000 matches, and says so; Today shows
// its bookings a page at a time (the next as its end comes into view), and a
// client's record the newest lines of a long history.
import path from "node:path";
import { artifacts } from "../wdio.conf.mjs";
import { area, click, fill, screenshot, waitForText } from "../helpers.mjs";

/** How many bookings the day lists of Today show (not those left open). */
async function bookingsShown() {
  return (await $$('//ul[@aria-label="Bookings today" or starts-with(@aria-label, "Bookings on ")]/li')).length;
}

describe("a practice of over a thousand clients", () => {
  it("shows Today's bookings a page at a time, the next on asking or on scrolling near the end", async () => {
    await waitForText("h1", "Today");
    const note = await $('//span[contains(., "in the next two weeks")]');
    await note.waitForExist({ timeout: 20_000 });
    const left = Number((await note.getText()).match(/^([\d,]+) more/)[1].replace(/,/g, ""));
    expect(left).toBeGreaterThan(60);
    expect(await bookingsShown()).toBe(20);
    await screenshot(path.join(artifacts, "today-first-page.png"));
    // Scrolled until the end of the list shows, the next page comes unasked
    // (and the end moves a page further down, out of sight).
    await browser.execute(() => document.querySelector(".days .more")?.scrollIntoView({ block: "end" }));
    await browser.waitUntil(async () => (await bookingsShown()) === 40, {
      timeout: 10_000,
      timeoutMsg: "Today did not read the next page as its end came into view",
    });
    // Pressed, the button shows the page after (it comes into view too: the
    // same page either way, read once; the unit tests count the reads).
    await click("Show 20 more");
    await browser.waitUntil(async () => (await bookingsShown()) >= 60, {
      timeout: 10_000,
      timeoutMsg: "Today did not show 20 more bookings",
    });
  });

  it("says when a short search lists only its first 1,000 matches", async () => {
    await area("Clients");
    await fill("Search clients", "a");
    await waitForText('[role="status"]', "The first 1,000 matches. Type more to narrow the search.");
    await screenshot(path.join(artifacts, "first-1000-matches.png"));
    await fill("Search clients", "ana");
    await browser.waitUntil(async () => !(await $('[role="status"]*=The first 1,000').isExisting()), {
      timeout: 10_000,
      timeoutMsg: "the notice stayed for a search the list shows whole",
    });
    await expect($('[role="listbox"][aria-label="Client list"] [role="option"]')).toBeExisting();
  });

  it("shows the newest lines of a long history and the latest packages first, and the rest on asking", async () => {
    await area("Clients");
    await fill("Search clients", "");
    const history = 'ol[aria-label="History, newest first"] > li';
    // Most generated clients have more than 50 lines and more than three
    // packages used up or expired; take the first that does.
    await $('[role="listbox"][aria-label="Client list"][data-query=""][aria-busy="false"] [role="option"]').waitForExist();
    const names = [];
    for (const option of (await $$('[aria-label="Client list"] [role="option"]')).slice(0, 10)) {
      names.push(await option.$("span[title]").getAttribute("title"));
    }
    let found = false;
    for (const name of names) {
      await $(`//*[@role="option"][.//span[@title="${name}"]]`).click();
      await $(`article[aria-label="Client record: ${name}"] ${history}`).waitForExist({ timeout: 10_000 });
      if ((await $("button=Show older lines").isExisting()) && (await $("button=Show earlier packages").isExisting())) {
        found = true;
        break;
      }
    }
    expect(found).toBe(true);
    expect((await $$(history)).length).toBe(50);
    expect(await $("span=Showing the newest 50 lines").isExisting()).toBe(true);
    await click("Show older lines");
    await browser.waitUntil(async () => (await $$(history)).length > 50 && (await $$(history)).length <= 250, {
      timeout: 10_000,
      timeoutMsg: "the older lines did not come",
    });
    const cards = 'li[aria-label^="Package "]';
    const before = (await $$(cards)).length;
    const earlier = Number((await $('//span[contains(., "earlier package")]').getText()).match(/^(\d+)/)[1]);
    await click("Show earlier packages");
    await browser.waitUntil(async () => (await $$(cards)).length === before + earlier, {
      timeout: 10_000,
      timeoutMsg: "the earlier packages were not shown",
    });
  });
});
