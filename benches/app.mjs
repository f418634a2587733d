// `make bench-app`: the release app's cold start to its first screen, its idle
// memory, and a search keystroke to rows on screen, at 1× and 100×, beside an
// empty Tauri 2 window built (benches/empty-window) and measured in the same
// run. Driven through tauri-driver and WebKitWebDriver, like the end-to-end
// tests; run under Xvfb by the Makefile.
//
//   node benches/app.mjs APP EMPTY PRACTICE_1x PRACTICE_100x
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { remote } from "../ui/node_modules/webdriverio/build/node.js";

const [app, empty, ...practices] = process.argv.slice(2);
const runs = Number(process.env.BENCH_APP_RUNS ?? 5);
const tauriDriver = process.env.TAURI_DRIVER ?? path.join(os.homedir(), ".cargo/bin/tauri-driver");
const driverLog = path.resolve("target/bench-app/driver.log");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function waitForPort(port) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 15_000;
    const attempt = () => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => (s.end(), resolve()));
      s.once("error", () => (s.destroy(), Date.now() > deadline ? reject(new Error(`nothing listens on ${port}`)) : setTimeout(attempt, 50)));
    };
    attempt();
  });
}

/** Drops the OS file cache, so a start is cold; false when not allowed here. */
function dropCaches() {
  spawnSync("sync");
  try {
    fs.writeFileSync("/proc/sys/vm/drop_caches", "3");
    return true;
  } catch {
    return false;
  }
}

/** Every process below `pid` (WebKit's web and network processes included). */
function family(pid) {
  const all = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  const parent = new Map();
  for (const p of all) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {}
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [c, pp] of parent) if (pp === out[i]) out.push(c);
  return out;
}

/** Proportional set size of the app and its helpers, in MiB (shared pages counted once). */
function memoryMiB(binary) {
  const pid = fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .find((p) => {
      try {
        return fs.readlinkSync(`/proc/${p}/exe`) === fs.realpathSync(binary);
      } catch {
        return false;
      }
    });
  if (!pid) return NaN;
  let kib = 0;
  for (const p of family(Number(pid))) {
    try {
      const m = fs.readFileSync(`/proc/${p}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m);
      if (m) kib += Number(m[1]);
    } catch {}
  }
  return kib / 1024;
}

/**
 * One cold start of a target: time to its first screen, idle memory, and
 * (for Punchcard) the search keystrokes; added to its samples.
 */
async function runOnce({ binary, args, ready, keystrokes, settled }, samples) {
  const dataHome = fs.mkdtempSync(path.join(os.tmpdir(), "bench-app-"));
  // tauri-driver starts WebKitWebDriver (port 4445) and passes the session on
  // to it: with the file cache just dropped, WebKitWebDriver can take longer
  // to listen than tauri-driver waits, and the session fails. Both ports are
  // waited for before the clock starts; should a session still fail, the
  // drivers' words are in target/bench-app/driver.log and the start is made
  // again from the beginning.
  let driver;
  let browser;
  let t0;
  for (let attempt = 1; !browser; attempt++) {
    samples.cold = dropCaches() && samples.cold;
    const log = fs.openSync(driverLog, "a");
    driver = spawn(tauriDriver, ["--port", "4444"], { stdio: ["ignore", log, log], env: { ...process.env, XDG_DATA_HOME: dataHome } });
    fs.closeSync(log);
    await waitForPort(4444);
    await waitForPort(4445);
    t0 = performance.now();
    try {
      browser = await remote({
        hostname: "127.0.0.1",
        port: 4444,
        logLevel: "silent",
        connectionRetryTimeout: 60_000,
        connectionRetryCount: 0,
        capabilities: { "wdio:enforceWebDriverClassic": true, "tauri:options": { application: binary, args } },
      });
    } catch (e) {
      driver.kill("SIGKILL");
      await new Promise((r) => driver.once("exit", r));
      spawnSync("pkill", ["-KILL", "-x", "WebKitWebDriver"]);
      if (attempt === 3) throw e;
      console.error(`no session on attempt ${attempt} (${e.message}); starting again`);
    }
  }
  try {
    await browser.$(ready).waitForExist({ timeout: 300_000, interval: 20 });
    samples.starts.push(performance.now() - t0);
    // Idle: the reads the first screen starts aside (Needs attention) are
    // done, then five seconds more.
    if (settled) await browser.$(settled).waitForExist({ timeout: 300_000, interval: 100 });
    await sleep(5000);
    samples.memory.push(memoryMiB(binary));
    if (keystrokes) samples.keys.push(await keystrokes(browser));
  } finally {
    await browser.deleteSession().catch(() => {});
    driver.kill();
    await new Promise((r) => driver.once("exit", r));
    fs.rmSync(dataHome, { recursive: true, force: true });
  }
}

function summarize(name, { starts, memory, keys, cold }) {
  // Each run typed twice: the first pass (cold file cache) and again.
  const pass = (n, what) => (keys.length ? median(keys.flatMap((k) => k[n][what])) : null);
  return {
    name, start: median(starts), memory: median(memory), cold,
    key: pass(1, "drawn"), keyDom: pass(1, "dom"), keyFirst: pass(0, "drawn"),
  };
}

/**
 * Search keystrokes typed in the client list, each timed until its rows are
 * in the page and until the frame that shows them is drawn; typed twice: the
 * first time (the file cache was dropped before the start), and again.
 */
async function searchKeystrokes(browser) {
  await (await browser.$('nav button[aria-label="Clients"]')).click();
  await browser.$('[aria-label="Client list"] [role=option]').waitForExist({ timeout: 300_000, interval: 20 });
  return browser.executeAsync(async (done) => {
    const input = document.querySelector('input[aria-label="Search clients"]');
    const list = document.querySelector('[role=listbox][aria-label="Client list"]');
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const allShown = () => {
      const box = list.getBoundingClientRect();
      return [...list.querySelectorAll("[role=option]")].every((row) => {
        const at = row.getBoundingClientRect();
        return at.top >= box.bottom || at.bottom <= box.top || getComputedStyle(row).visibility !== "hidden";
      });
    };
    const texts = ["a", "an", "ana", "ana ", "ana s", "", "z", "zo", "zoe", "", "li", "liam", "liam o", ""];
    const passes = [];
    for (let pass = 0; pass < 2; pass++) {
      const dom = [];
      const drawn = [];
      for (const text of texts) {
        // In the page: the list says which search its rows are for (data-query).
        let inPage = null;
        const seen = new MutationObserver(() => {
          if (inPage === null && list.dataset.query === text) inPage = performance.now();
        });
        seen.observe(list, { attributes: true, attributeFilter: ["data-query"] });
        const t = performance.now();
        input.value = text;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        // On screen: the first frame drawn with them, every row in the
        // list's box shown (the virtual list hides a row it has not measured
        // yet). Keystrokes land anywhere in a frame (50 ms apart; frames are
        // ~16.7 ms).
        let at = null;
        for (let i = 0; i < 600 && at === null; i++) {
          await frame();
          if (list.dataset.query === text && allShown()) at = performance.now();
        }
        seen.disconnect();
        dom.push((inPage ?? at ?? Infinity) - t);
        drawn.push((at ?? Infinity) - t);
        await new Promise((r) => setTimeout(r, 50));
      }
      passes.push({ dom, drawn });
    }
    done(passes);
  });
}

const targets = [{ name: "empty Tauri 2 window", binary: empty, args: [], ready: "#ready" }];
for (const [i, practice] of practices.entries()) {
  const scale = path.basename(practice).match(/scale-([\d.]+)/)?.[1] ?? String(i);
  // On the day the practice was generated up to (its name says which), so a
  // run on another day shows the same Today and Needs attention.
  const day = path.basename(practice).match(/(\d{4}-\d{2}-\d{2})\.sqlite3$/)?.[1];
  // The first screen is Today: ready once its day is on screen (the agenda read).
  targets.push({
    name: `Punchcard, ${scale}×`, binary: app, args: ["--db", practice, ...(day ? ["--today", day] : [])], ready: 'h2[id^="day-"]',
    keystrokes: searchKeystrokes, settled: 'section[aria-labelledby="attention-heading"][aria-busy="false"]',
  });
}
// Round after round, each target once: a slow spell of the machine falls on
// all of them alike, not on one target's runs.
const samples = targets.map(() => ({ starts: [], memory: [], keys: [], cold: true }));
for (let i = 0; i < runs; i++) {
  for (const [j, target] of targets.entries()) await runOnce(target, samples[j]);
}
const results = targets.map((t, j) => summarize(t.name, samples[j]));

const floor = results[0];
console.log(`\nrelease app, ${runs} runs each, in rounds (median)${floor.cold ? ", file cache dropped before each start" : ", warm file cache (dropping it is not allowed here)"}`);
console.log(`${"".padEnd(26)} ${"start → first screen".padStart(22)} ${"idle memory (PSS)".padStart(19)} ${"keystroke → rows drawn (in page; first time)".padStart(46)}`);
const ms = (x) => (x === null ? "—" : `${x.toFixed(0)}`);
for (const r of results) {
  console.log(
    `${r.name.padEnd(26)} ${`${r.start.toFixed(0)} ms (${(r.start / floor.start).toFixed(2)}×)`.padStart(22)} ${`${r.memory.toFixed(0)} MiB (${(r.memory / floor.memory).toFixed(2)}×)`.padStart(19)} ${(r.key === null ? "—" : `${ms(r.key)} ms (${ms(r.keyDom)} ms; ${ms(r.keyFirst)} ms)`).padStart(46)}`,
  );
}
console.log("starts, round by round (ms):");
for (const [j, t] of targets.entries()) {
  console.log(`  ${t.name.padEnd(24)} ${samples[j].starts.map((x) => x.toFixed(0).padStart(5)).join(" ")}`);
}
const apps = results.slice(1);
const checks = [
  ...apps.map((r) => [`${r.name}: start within 1.5× of the empty window`, r.start <= 1.5 * floor.start]),
  ...apps.map((r) => [`${r.name}: idle memory within 1.3× of the empty window`, r.memory <= 1.3 * floor.memory]),
  ...apps.map((r) => [`${r.name}: search keystroke to rows ≤ 16 ms median`, r.key !== null && r.key <= 16]),
];
if (apps.length >= 2) {
  const [small, large] = [apps[0], apps[apps.length - 1]];
  checks.push([`start at ${large.name} within 10 % of ${small.name}`, Math.abs(large.start / small.start - 1) <= 0.1]);
  checks.push([`idle memory the same at ${large.name} as at ${small.name} (within 10 %)`, Math.abs(large.memory / small.memory - 1) <= 0.1]);
}
for (const [what, ok] of checks) console.log(`${ok ? "ok  " : "MISS"} ${what}`);
