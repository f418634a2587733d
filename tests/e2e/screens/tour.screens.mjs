// A walk through every screen of the sample practice, with a picture of each.
import fs from "node:fs";
import path from "node:path";
import {
  click, clientRow, fill, waitForText, area, screenshot,
} from "../helpers.mjs";

const out = process.env.SCREENS_OUT;
const theme = process.env.THEME === "dark" ? "dark" : "light";
const sizes = (process.env.SIZES ?? "1280x800,880x560").split(",").map((s) => s.split("x").map(Number));

async function shot(name, [w, h]) {
  fs.mkdirSync(out, { recursive: true });
  await browser.pause(250);
  await screenshot(path.join(out, `${name}-${w}x${h}-${theme}.png`));
}


describe("screens", () => {
  it("tours the sample practice", async () => {
    await waitForText("h1", "Welcome to Punchcard");
    await click("Load sample practice");
    await waitForText("nav", "Harbour Street Studio");
    for (const size of sizes) {
      await browser.setWindowSize(size[0], size[1]);
      await area("Today");
      await waitForText("h1", "Today");
      await shot("today", size);
      await click("Week");
      await shot("week", size);
      await click("Days");
      await area("Clients");
      await fill("Search clients", "zoe");
      const zoe = await clientRow("Zoë");
      await zoe.waitForExist();
      await zoe.click();
      await waitForText("article h1", "Zoë");
      await shot("client-record", size);
      await click("Schedule B");
      await waitForText("dialog[open] h2", "Schedule a session");
      await shot("schedule-sheet", size);
      await browser.keys("Escape");
      // The sale sheet with its calendar open on the sale day.
      await click("Sell package S");
      await waitForText("dialog[open] h2", "Sell a package");
      await click("Pick the date on a calendar");
      await (await $("dialog[open] [role=grid]")).waitForDisplayed();
      await shot("sale-calendar", size);
      await browser.keys("Escape");
      await browser.keys("Escape");
      await browser.waitUntil(async () => !(await $("dialog[open]").isExisting()));
      await fill("Search clients", "");
      await (await $("#client-filter")).selectByVisibleText("Owes money");
      const owing = await $('[aria-label="Client list"] [role=option]');
      await owing.waitForExist();
      await owing.click();
      await waitForText("article h1", "");
      await shot("owes-money", size);
      await (await $("#client-filter")).selectByVisibleText("Everyone");
      await area("Reports");
      await waitForText("h1", "Reports");
      await shot("reports", size);
      await area("Offerings");
      await shot("offerings", size);
      await area("Settings");
      await shot("settings", size);
    }
  });
});
