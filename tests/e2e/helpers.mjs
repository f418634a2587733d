// Finding things the way a screen reader user would: by role and accessible name.
import { spawnSync } from "node:child_process";

/**
 * A form control by its label, as a screen reader names it: a <label for>
 * with this text, or an aria-label; otherwise any element with this text.
 */
export async function byName(name, timeout = 10_000) {
  let found;
  await browser.waitUntil(
    async () => {
      const label = await $(`//label[@for][normalize-space(.)="${name}"]`);
      if (await label.isExisting()) {
        found = await $(`#${await label.getAttribute("for")}`);
        return true;
      }
      for (const selector of [`[aria-label="${name}"]`, `//*[normalize-space(.)="${name}"]`]) {
        const el = await $(selector);
        if (await el.isExisting()) {
          found = el;
          return true;
        }
      }
      return false;
    },
    { timeout, timeoutMsg: `nothing named “${name}”` },
  );
  return found;
}

/** A row of the client list whose text contains `text`. */
export const clientRow = (text) => $(`//*[@role="option"][contains(., "${text}")]`);

/** How many clients the (virtual) list holds in all, as a screen reader hears it. */
export async function listSize() {
  const first = await $('[aria-label="Client list"] [role=option]');
  if (!(await first.isExisting())) return 0;
  return Number(await first.getAttribute("aria-setsize"));
}

/** Every row's text, scrolling the virtual list from top to bottom. */
export async function allRowTexts() {
  return browser.execute(async () => {
    const viewport = document.querySelector(".vlist");
    const seen = new Map();
    viewport.scrollTop = 0;
    for (let guard = 0; guard < 500; guard++) {
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));
      for (const o of document.querySelectorAll('[aria-label="Client list"] [role=option]')) seen.set(o.id, o.textContent.replace(/\s+/g, " ").trim());
      if (viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - 1) break;
      viewport.scrollTop += viewport.clientHeight / 2;
    }
    viewport.scrollTop = 0;
    return [...seen.values()];
  });
}

/** A button by its text or label; inside the open sheet when there is one. */
export async function button(text) {
  const scope = (await $("dialog[open]").isExisting()) ? "//dialog[@open]" : "";
  return $(`${scope}//button[normalize-space(.)="${text}" or @aria-label="${text}"]`);
}

export async function fill(label, value) {
  const el = await byName(label);
  await el.waitForDisplayed();
  if (value !== "") {
    await el.setValue(value);
  } else {
    // clearValue() alone fires no input event in WebKit; type and erase instead.
    await el.setValue(" ");
    await browser.keys(["Backspace"]);
  }
}

export async function click(text) {
  const el = await button(text);
  await el.waitForClickable();
  await el.click();
}

/** The error shown beside the field with this id. */
export async function fieldError(id) {
  const el = await $(`#${id}-error`);
  await el.waitForDisplayed();
  return el.getText();
}

export async function waitForText(selector, text, timeout = 10_000) {
  await browser.waitUntil(
    async () => {
      const els = await $$(selector);
      for (const el of els) if ((await el.getText()).includes(text)) return true;
      return false;
    },
    { timeout, timeoutMsg: `no ${selector} showing “${text}”` },
  );
}

export async function sheetClosed() {
  await browser.waitUntil(async () => !(await $("dialog[open]").isExisting()), {
    timeoutMsg: "the sheet did not close",
  });
}

export async function packageCardText() {
  const card = await $("li.card");
  await card.waitForDisplayed();
  // (textContent: WebDriver's visible text leaves out a name that could be clipped.)
  return (await card.getProperty("textContent")).replace(/\s+/g, " ").trim();
}

export async function timelineLines() {
  const items = await $$("ol.timeline > li");
  const out = [];
  for (const li of items) out.push((await li.getText()).replace(/\s+/g, " "));
  return out;
}

/**
 * Answers a native GTK file dialog whose title starts with `title`: waits for
 * the window, types the path (in a save dialog GTK keeps the pre-selected
 * extension, so the path is typed without it) and presses Return.
 */
export function answerFileDialog(title, path) {
  const found = spawnSync("xdotool", ["search", "--sync", "--onlyvisible", "--name", title], {
    timeout: 20_000,
    encoding: "utf8",
  });
  const id = found.stdout?.trim().split("\n")[0];
  if (found.status !== 0 || !id) {
    const all = spawnSync("xdotool", ["search", "--onlyvisible", "--name", ""], { encoding: "utf8" }).stdout.trim().split("\n");
    const names = all.map((w) => `${w}:${spawnSync("xdotool", ["getwindowname", w], { encoding: "utf8" }).stdout.trim()}:${spawnSync("xdotool", ["getwindowgeometry", w], { encoding: "utf8" }).stdout.match(/Geometry: \S+/)?.[0]}`);
    throw new Error(`no save dialog appeared: ${found.stderr} ${names.join(" ")}`);
  }
  // No window manager runs under Xvfb: give the dialog the keyboard and the
  // pointer ourselves before typing.
  spawnSync("xdotool", ["mousemove", "--window", id, "200", "26"]);
  spawnSync("xdotool", ["windowfocus", "--sync", id]);
  spawnSync("sleep", ["0.3"]);
  spawnSync("xdotool", ["key", "--window", id, "--clearmodifiers", "ctrl+a"]);
  spawnSync("xdotool", ["type", "--delay", "15", path]);
  spawnSync("xdotool", ["key", "Return"]);
}

/**
 * Answers the question asked before a save replaces an existing file:
 * Punchcard's own ("Replace “…”?", when the name was typed without its
 * extension) or the file chooser's (when it completed the name itself).
 * Both have Alt+R for Replace; Escape keeps the file (and the save is
 * cancelled).
 */
export function answerReplace(replace) {
  const visible = () => {
    const all = spawnSync("xdotool", ["search", "--onlyvisible", "--name", ""], { encoding: "utf8" });
    return all.stdout.trim().split("\n").filter(Boolean)
      .map((id) => {
        const geometry = spawnSync("xdotool", ["getwindowgeometry", id], { encoding: "utf8" }).stdout;
        const [, w, h] = geometry.match(/Geometry: (\d+)x(\d+)/) ?? [];
        return { id, name: spawnSync("xdotool", ["getwindowname", id], { encoding: "utf8" }).stdout.trim(), w: +w, h: +h };
      });
  };
  const key = (id, k) => {
    spawnSync("xdotool", ["mousemove", "--window", id, "40", "20"]);
    spawnSync("xdotool", ["windowfocus", "--sync", id]);
    spawnSync("sleep", ["0.3"]);
    spawnSync("xdotool", ["key", "--window", id, "--clearmodifiers", k]);
  };
  spawnSync("sleep", ["0.8"]);
  let shown = visible();
  let question = shown.find((w) => w.name.startsWith("Replace "));
  const chooser = shown.find((w) => w.name.startsWith("Save "));
  if (!question && chooser) {
    // The chooser completed the name to the existing file: accept it, and
    // it asks in a dialog of its own (no title, over the chooser).
    const before = new Set(shown.map((w) => w.id));
    key(chooser.id, "Return");
    for (let tries = 0; tries < 50 && !question; tries++) {
      spawnSync("sleep", ["0.2"]);
      shown = visible();
      question = shown.find((w) => !before.has(w.id) && w.w > 100 && w.h > 50);
    }
  }
  if (!question) throw new Error(`no replace question appeared; windows: ${JSON.stringify(visible())}`);
  key(question.id, replace ? "alt+r" : "Escape");
  // The dialog is gone before the keys are let go: let go of them here, or
  // X repeats the R into whatever is typed next.
  spawnSync("xdotool", ["keyup", "r", "Alt_L", "Escape"]);
  // Kept: the file chooser asks again for a name; cancel it too.
  spawnSync("sleep", ["0.5"]);
  const still = replace ? undefined : visible().find((w) => w.name.startsWith("Save "));
  if (still) key(still.id, "Escape");
  // No window manager hands the keyboard back: give it to the app again.
  const main = visible().find((w) => w.name === "Punchcard");
  if (main) spawnSync("xdotool", ["windowfocus", "--sync", main.id]);
}

/** Answers the history export's save dialog. */
export const answerSaveDialog = (pathWithoutExtension) => answerFileDialog("Save history", pathWithoutExtension);

/** Clicks a button from the page, so WebDriver does not wait on the native dialog it opens. */
export async function clickForDialog(text) {
  await browser.execute((t) => {
    const b = [...document.querySelectorAll("button")].find((x) => x.textContent?.includes(t));
    setTimeout(() => b?.click(), 0);
  }, text);
}

/** First run: names the practice (EUR) and lands on an empty client list. */
export async function startPractice(name = "Move Well") {
  await waitForText("h1", "Welcome to Punchcard");
  await fill("Practice name", name);
  await click("Start");
  await waitForText(".empty-list", "No clients yet");
}

/** Adds a client from the client list and waits for their record. */
export async function addClient(name, email = "") {
  await click("New client");
  await fill("Name", name);
  if (email) await fill("Email", email);
  await click("Add client");
  await sheetClosed();
  await waitForText("article h1", name);
}

/** Opens the sale sheet on the open record with custom terms filled in (the caller sells). */
export async function openCustomSale(name, sessions, price) {
  await click("Sell package S");
  await (await byName("Offering")).waitForDisplayed();
  await fill("Package name", name);
  await fill("Sessions", String(sessions));
  await fill("Price (EUR)", String(price));
}

/** Goes to an area of the sidebar. */
export async function area(name) {
  await (await $(`nav button[aria-label="${name}"]`)).click();
}

/**
 * A picture of the window. WebKitWebDriver takes it after the page's next
 * frame, and the app draws without GPU compositing, where a page that is
 * not changing draws no frame: the screenshot would wait for ever. A
 * one-pixel dot in the corner flickers between transparent and 1/255 black
 * meanwhile, so frames come (nothing a picture shows), and is removed after.
 */
export async function screenshot(file) {
  await browser.execute(() => {
    const dot = document.createElement("div");
    dot.id = "frame-nudge";
    dot.setAttribute("aria-hidden", "true");
    dot.style.cssText = "position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none";
    document.body.append(dot);
    let on = false;
    window.__frameNudge = setInterval(() => {
      on = !on;
      dot.style.background = on ? "rgba(0,0,0,0.004)" : "transparent";
    }, 30);
  });
  try {
    await browser.saveScreenshot(file);
  } finally {
    await browser.execute(() => {
      clearInterval(window.__frameNudge);
      document.getElementById("frame-nudge")?.remove();
    });
  }
}
