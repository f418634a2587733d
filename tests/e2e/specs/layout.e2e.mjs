// The window fits a laptop: at the minimum size every screen of the sample
// practice works without sideways scrolling — nothing sticks out past the
// window's right edge except inside a box that scrolls on purpose (a wide
// table).
import path from "node:path";
import { artifacts } from "../wdio.conf.mjs";
import {
  click, clientRow, fill, waitForText, area, screenshot,
} from "../helpers.mjs";


/** Elements whose right edge is past the window's, outside a scrolling box. */
async function overflowing() {
  return browser.execute(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll("main *")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (el.closest(".scroll, .vlist, dialog")) continue;
      if (r.right > width + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} “${(el.textContent ?? "").trim().slice(0, 30)}” ${Math.round(r.right)} > ${width}`);
    }
    return out.slice(0, 8);
  });
}

/** Inside the open sheet: what is cut off sideways, or makes the sheet scroll sideways. */
async function sheetOverflowing() {
  return browser.execute(() => {
    const dialog = document.querySelector("dialog[open]");
    if (!dialog) return ["no sheet is open"];
    const box = dialog.getBoundingClientRect();
    const out = [];
    if (dialog.scrollWidth > dialog.clientWidth + 1) out.push(`the sheet scrolls sideways: ${dialog.scrollWidth} > ${dialog.clientWidth}`);
    if (box.right > document.documentElement.clientWidth + 1) out.push(`the sheet is wider than the window: ${Math.round(box.right)}`);
    for (const el of dialog.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest(".calendar-pop")) continue;
      if (r.right > box.right + 1 || r.left < box.left - 1) out.push(`${el.tagName.toLowerCase()}.${el.className} “${(el.textContent ?? "").trim().slice(0, 30)}” ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(box.left)}–${Math.round(box.right)}`);
    }
    return out.slice(0, 8);
  });
}

/** Ids used more than once on the page (a label would point at the wrong element). */
async function repeatedIds() {
  return browser.execute(() => {
    const seen = new Map();
    for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
}

describe("the window fits a laptop", () => {
  it("shows every screen at the minimum size with nothing cut off", async () => {
    await waitForText("h1", "Welcome to Punchcard");
    await click("Load sample practice");
    await waitForText("nav", "Harbour Street Studio");
    await browser.setWindowSize(880, 560);
    await browser.waitUntil(async () => (await browser.execute(() => window.innerWidth)) <= 900, {
      timeoutMsg: "the window did not shrink",
    });
    for (const name of ["Today", "Offerings", "Reports", "Settings"]) {
      await area(name);
      await waitForText("h1", name);
      expect({ screen: name, overflowing: await overflowing() }).toEqual({ screen: name, overflowing: [] });
    }
    await area("Clients");
    await fill("Search clients", "zoe");
    const zoe = await clientRow("Zoë");
    await zoe.waitForExist();
    await zoe.click();
    await waitForText("article h1", "Zoë");
    await screenshot(path.join(artifacts, "record-880.png"));
    expect({ screen: "client record", overflowing: await overflowing() }).toEqual({ screen: "client record", overflowing: [] });
    // With a sheet open over the record, every id is still one element's.
    await click("Edit client details");
    await waitForText("dialog[open] h2", "Edit client");
    expect(await repeatedIds()).toEqual([]);
    await browser.keys("Escape");

    // Every sheet of the record fits the small window too.
    for (const [opener, title] of [
      ["Edit client details", "Edit client"],
      ["Log session L", "Log a session"],
      ["Sell package S", "Sell a package"],
      ["Schedule B", "Schedule"],
    ]) {
      await click(opener);
      await waitForText("dialog[open] h2", title);
      expect({ sheet: title, overflowing: await sheetOverflowing() }).toEqual({ sheet: title, overflowing: [] });
      await browser.keys("Escape");
      await browser.waitUntil(async () => !(await $("dialog[open]").isExisting()), { timeoutMsg: `${title} did not close` });
    }
    const pause = await $('[aria-label^="Pause "]');
    if (await pause.isExisting()) {
      await pause.click();
      await waitForText("dialog[open] h2", "Pause");
      expect({ sheet: "Pause", overflowing: await sheetOverflowing() }).toEqual({ sheet: "Pause", overflowing: [] });
      await browser.keys("Escape");
    }
  });
});
