// Renewals in the real app: a client running low shows in Needs attention
// on the home screen; a reminder is drafted as a mailto: link; Renew sells
// the next package from there, carrying the credits left over; the flag
// goes and the record shows the chain.
import path from "node:path";
import { artifacts } from "../wdio.conf.mjs";
import {
  byName, click, fill, sheetClosed, waitForText, startPractice, addClient, openCustomSale, area, screenshot,
} from "../helpers.mjs";


describe("renewals and Needs attention", () => {
  it("flags a client running low on the home screen", async () => {
    await startPractice();
    await addClient("Ana Souza", "ana@example.com");
    await openCustomSale("Five", 5, 400);
    await click("Sell package");
    await sheetClosed();
    for (let i = 0; i < 3; i++) {
      await click("Log session L");
      await click("Log session");
      await sheetClosed();
    }
    await area("Today");
    await waitForText("#attention-heading", "Needs attention (1)");
    await waitForText('[aria-label="Clients who need attention"]', "2 credits left on Five");
    await screenshot(path.join(artifacts, "needs-attention.png"));
  });

  it("drafts a reminder as a mailto: link", async () => {
    await click("Remind Ana Souza");
    await waitForText("dialog[open] h2", "Reminder for Ana Souza");
    const href = await (await $('dialog[open] a[aria-label="Mail link"]')).getAttribute("href");
    expect(href).toMatch(/^mailto:ana@example\.com\?subject=Your%20sessions%20with%20Move%20Well&body=Hi%20Ana%2C/);
    expect(decodeURIComponent(href)).toContain("2 sessions left on your Five");
    await click("Done");
    await sheetClosed();

    // In the practitioner's own words, set in Settings.
    await area("Settings");
    await fill("Reminder message", "Dear {name}, {left} left on {package}. {practice}");
    await click("Save reminder");
    await waitForText("[role=status]", "Reminder words saved");
    await area("Today");
    await click("Remind Ana Souza");
    await waitForText("dialog[open] h2", "Reminder for Ana Souza");
    const own = await (await $('dialog[open] a[aria-label="Mail link"]')).getAttribute("href");
    expect(decodeURIComponent(own)).toContain("Dear Ana Souza, 2 sessions left on Five. Move Well");
    await click("Done");
    await sheetClosed();
  });

  it("renews from there with the credits carried over; the flag goes and the chain shows", async () => {
    await click("Renew Ana Souza's Five");
    await waitForText("dialog[open] h2", "Renew Five for Ana Souza");
    expect(await (await byName("Package name")).getValue()).toBe("Five");
    await fill("Sessions", "5");
    await fill("Price (EUR)", "400");
    await (await byName("Carry the 2 credits left on Five into the new package")).click();
    await click("Sell package");
    await sheetClosed();
    await waitForText("#attention-heading", "Needs attention");
    await browser.waitUntil(async () => !(await $('[aria-label="Clients who need attention"]').isExisting()), {
      timeoutMsg: "Ana is still flagged",
    });
    await area("Clients");
    await waitForText("article h1", "Ana Souza");
    await waitForText(".card", "5 bought + 2 added");
    await waitForText(".card", "Renews Five of");
    await waitForText(".card", "Renewed by Five on");
  });

  it("extends an expired package with a reason; it is usable again", async () => {
    const today = await browser.execute(() => new Date().toISOString().slice(0, 10));
    const shift = (n) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    await openCustomSale("Old pack", 3, 200);
    await (await byName("Days after purchase")).click();
    await fill("Number of days", "30");
    await fill("Sale date", shift(-60));
    await click("Sell package");
    await sheetClosed();
    const card = await $(`//li[contains(@class, "card")][.//h3[normalize-space(.)="Old pack"]]`);
    await card.waitForExist();
    expect(await card.getText()).toContain("Expired");
    await (await byName("Extend Old pack")).click();
    await waitForText("dialog[open] h2", "Extend Old pack");
    await fill("Valid until", shift(-40));
    await fill("Reason", "Knee injury: six weeks off");
    await click("Extend");
    expect(await (await $("#extend-until-error")).getText()).toMatch(/today or a later day|after its last day/);
    await fill("Valid until", shift(30));
    await click("Extend");
    await sheetClosed();
    await browser.waitUntil(async () => (await card.getText()).includes("Active"), { timeoutMsg: "still expired" });
    await waitForText('[aria-label="History, newest first"]', "Validity extended");
  });

  it("pauses a package for a holiday: nothing is drawn meanwhile, the pause is in the history", async () => {
    const today = await browser.execute(() => new Date().toISOString().slice(0, 10));
    const shift = (n) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    await (await byName("Pause Old pack")).click();
    await waitForText("dialog[open] h2", "Pause Old pack");
    await fill("First paused day", today);
    await fill("Last paused day", shift(-1));
    await fill("Reason", "Holiday");
    await click("Pause");
    expect(await (await $("#pause-until-error")).getText()).toContain("first paused day or a later one");
    expect(await (await byName("Reason")).getValue()).toBe("Holiday");
    await fill("Last paused day", shift(6));
    await click("Pause");
    await sheetClosed();
    const card = await $(`//li[contains(@class, "card")][.//h3[normalize-space(.)="Old pack"]]`);
    await browser.waitUntil(async () => (await card.getText()).includes("Paused until"), { timeoutMsg: "not paused" });
    await waitForText('[aria-label="History, newest first"]', "Paused");
    await waitForText('[aria-label="History, newest first"]', "Holiday");
  });

  it("sells a package counted from the first session: not started until then", async () => {
    await openCustomSale("Flex ten", 10, 700);
    await (await byName("Days after the first session")).click();
    await fill("Number of days", "60");
    await click("Sell package");
    await sheetClosed();
    const card = await $(`//li[contains(@class, "card")][.//h3[normalize-space(.)="Flex ten"]]`);
    await card.waitForExist();
    await browser.waitUntil(async () => (await card.getText()).includes("Not started"), { timeoutMsg: "no Not started badge" });
    expect(await card.getText()).toContain("60 days from the first session");
  });

  it("asks before selling on a later day, then shows when it starts", async () => {
    const today = await browser.execute(() => new Date().toISOString().slice(0, 10));
    const ahead = new Date(Date.parse(`${today}T00:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 10);
    await openCustomSale("Next term", 5, 300);
    await fill("Sale date", ahead);
    await click("Sell package");
    expect(await (await $("#sale-confirm-error")).getText()).toContain("10 days ahead");
    await (await $('//dialog[@open]//label[starts-with(normalize-space(.), "Yes, it was sold on")]')).click();
    await click("Sell package");
    await sheetClosed();
    const card = await $(`//li[contains(@class, "card")][.//h3[normalize-space(.)="Next term"]]`);
    await card.waitForExist();
    await browser.waitUntil(async () => (await card.getText()).includes("Starts on"), { timeoutMsg: "no Starts on badge" });
    await screenshot(path.join(artifacts, "cards-paused-not-started-starts-on.png"));
  });
});
