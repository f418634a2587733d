// A newcomer loads the sample practice and looks around from the keyboard.
import path from "node:path";
import { artifacts } from "../wdio.conf.mjs";
import { allRowTexts, byName, click, fill, listSize, packageCardText, waitForText, screenshot } from "../helpers.mjs";

describe("the sample practice", () => {
  it("fills a fresh file with a realistic practice", async () => {
    await waitForText("h1", "Welcome to Punchcard");
    await click("Load sample practice");
    await waitForText("nav", "Harbour Street Studio");
    // The sample opens on Today, with the week's bookings.
    await waitForText("h1", "Today");
    await waitForText(".today", "left after");
    // Needs attention shows the most urgent few and reads the rest when asked.
    const attentionItems = async () => (await $$('[aria-label="Clients who need attention"] > li')).length;
    await waitForText("#attention-heading", "Needs attention (");
    const listed = Number((await (await $("#attention-heading")).getText()).match(/\((\d+)\)/)[1]);
    expect(listed).toBeGreaterThan(5);
    expect(await attentionItems()).toBe(5);
    await click(`Show all ${listed}`);
    await browser.waitUntil(async () => (await attentionItems()) === listed, { timeoutMsg: "Show all did not show them all" });
    await click("Show fewer");
    await browser.waitUntil(async () => (await attentionItems()) === 5, { timeoutMsg: "Show fewer did not go back to 5" });
    await (await $('nav button[aria-label="Clients"]')).click();
    await browser.waitUntil(async () => (await listSize()) === 36, {
      timeoutMsg: "the sample did not list 36 clients",
    });
    // The list draws only the rows on screen; scrolling it shows them all.
    expect((await $$('[aria-label="Client list"] [role=option]')).length).toBeLessThan(36);
    const texts = await allRowTexts();
    expect(texts).toHaveLength(36);
    expect(texts.some((t) => /\d+ of \d+ left/.test(t))).toBe(true);
    expect(texts.some((t) => t.includes("No active package"))).toBe(true);
    expect(texts.some((t) => t.includes("Low") || t.includes("Expiring"))).toBe(true);
  });

  it("moves between clients from the keyboard", async () => {
    const hint = await $(".list-head .hint");
    expect(await hint.isDisplayed()).toBe(true);
    await browser.keys("/");
    const search = await byName("Search clients");
    await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.getAttribute("aria-label"))) === "Search clients");
    await search.setValue("zoe");
    await browser.waitUntil(async () => (await $$('[aria-label="Client list"] [role=option]')).length === 1);
    expect(await hint.isDisplayed()).toBe(false);
    // One match: empty rows fill the list's box (kept for the rows to come), and it does not scroll.
    expect(
      await browser.execute(() => {
        const box = document.querySelector('[aria-label="Client list"] .vlist');
        return [box.querySelectorAll(".filler").length > 0, box.scrollHeight <= box.clientHeight];
      }),
    ).toEqual([true, true]);
    await browser.keys("ArrowDown");
    await waitForText("article h1", "Zoë");
    await packageCardText();
    await waitForText("ol.timeline", "Package purchased");
    await screenshot(path.join(artifacts, "client-record.png"));

    // ↓ moves on through the list.
    await fill("Search clients", "");
    await browser.waitUntil(async () => (await listSize()) === 36);
    await browser.keys("ArrowDown");
    await browser.keys("ArrowDown");
    await browser.waitUntil(async () => (await (await $('[aria-label="Client list"] [role=option][aria-selected=true]')).getText()).length > 0);
    const second = await (await $$('[aria-label="Client list"] [role=option] .name'))[1].getText();
    expect(await (await $('[aria-label="Client list"] [role=option][aria-selected=true] .name')).getText()).toBe(second);
    await waitForText("article h1", second);
  });
});
