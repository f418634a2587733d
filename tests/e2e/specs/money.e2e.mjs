// Money in the real app: a sale with a deposit and an instalment plan turns
// from partly paid to paid as payments come in (and its client leaves the
// Owes money list); a paid sale is cancelled with a refund; the Reports
// screen shows the cash that came in.
import path from "node:path";
import { artifacts } from "../wdio.conf.mjs";
import {
  byName, click, fill, packageCardText, sheetClosed, timelineLines, waitForText, startPractice, addClient, openCustomSale, area, screenshot,
} from "../helpers.mjs";


/** The card of the package with this name. */
async function card(name) {
  const el = await $(`//li[contains(@class, "card")][.//h3[normalize-space(.)="${name}"]]`);
  await el.waitForExist();
  return el;
}

async function paymentBadge(name) {
  const badge = await (await card(name)).$(`[aria-label^="Payment: "]`);
  return badge.getAttribute("aria-label");
}

/** Waits until the client list has (or has not) a row for this client. */
async function waitForListed(name, listed = true) {
  const row = `//div[@aria-label="Client list"]//div[@role="option"][.//span[@title="${name}"]]`;
  await browser.waitUntil(async () => (await $(row).isExisting()) === listed, {
    timeout: 10_000,
    timeoutMsg: `${name} was ${listed ? "never" : "still"} in the client list`,
  });
}

async function waitForPayment(name, text) {
  await browser.waitUntil(async () => (await paymentBadge(name)).includes(text), {
    timeout: 10_000,
    timeoutMsg: `${name} never read “${text}”`,
  });
}

describe("money after the sale", () => {
  it("sells with a deposit and a plan, and the package reads partly paid", async () => {
    await startPractice();
    await addClient("Ana Souza");
    await openCustomSale("Ten", 10, 800);
    await (await byName("A deposit now")).click();
    await fill("Deposit (EUR)", "200");
    await (await byName("Pay in instalments")).click();
    await fill("Monthly instalments", "2");
    await click("Spread evenly");
    await browser.waitUntil(async () => (await (await byName("Amount (3)")).getValue()) === "300.00", {
      timeoutMsg: "the plan was not spread",
    });
    await screenshot(path.join(artifacts, "sell-with-plan.png"));
    await click("Sell package");
    await sheetClosed();
    await waitForPayment("Ten", "Partly paid");
    expect(await packageCardText()).toMatch(/Next due/);
  });

  it("lists her under Owes money while she owes", async () => {
    await (await $("#client-filter")).selectByVisibleText("Owes money");
    await waitForListed("Ana Souza");
  });

  it("records an instalment, then the rest, and the package turns paid", async () => {
    await (await byName("Record a payment on Ten")).click();
    await waitForText("dialog[open] h2", "Record a payment on Ten");
    expect(await (await byName("Amount (EUR)")).getValue()).toBe("600.00");
    await fill("Amount (EUR)", "300");
    await click("Record payment");
    await sheetClosed();
    await waitForPayment("Ten", "Partly paid");
    await (await byName("Record a payment on Ten")).click();
    await waitForText("dialog[open] h2", "Record a payment on Ten");
    expect(await (await byName("Amount (EUR)")).getValue()).toBe("300.00");
    await click("Record payment");
    await sheetClosed();
    await waitForPayment("Ten", "Paid");
    const lines = await timelineLines();
    expect(lines.filter((l) => l.includes("Payment received"))).toHaveLength(3);
    // The filter's list, kept while it was scrolled, is read again after
    // each payment: paid up, she is off it, and her record stays open.
    await waitForText(".empty-list", "Nobody owes money.");
    await waitForListed("Ana Souza", false);
    await waitForText("article h1", "Ana Souza");
    await (await $("#client-filter")).selectByVisibleText("Everyone");
    await waitForListed("Ana Souza");
  });

  it("cancels a paid sale with a refund", async () => {
    await openCustomSale("Five", 5, 400);
    await click("Sell package");
    await sheetClosed();
    await waitForPayment("Five", "Paid");
    const reverse = await $(`//li[.//span[normalize-space(.)="Package purchased"]][contains(., "Five")]//button[starts-with(@aria-label, "Reverse")]`);
    await reverse.click();
    await waitForText("dialog[open] h2", "Cancel the sale of Five?");
    await (await byName("Refunded now")).click();
    await click("Cancel sale");
    await sheetClosed();
    await waitForPayment("Five", "Sale cancelled");
    const lines = await timelineLines();
    expect(lines.some((l) => l.includes("Refund") && l.includes("400"))).toBe(true);
    expect(lines.some((l) => l.includes("Sale cancelled"))).toBe(true);
  });

  it("shows the cash that came in on the Reports screen", async () => {
    await area("Reports");
    await waitForText("h1", "Reports");
    // 200 + 300 + 300 + 400 in, 400 refunded.
    await waitForText('[aria-label="Cash received"]', "800.00");
    await waitForText('[aria-label="Owed"]', "0.00");
    await screenshot(path.join(artifacts, "reports.png"));
  });
});
