// End-to-end tests: WebdriverIO drives the real Punchcard binary through
// tauri-driver and WebKitWebDriver. Every spec file gets its own fresh
// practice file, passed to the app with --db.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { screenshot } from "./helpers.mjs";

const root = path.resolve(import.meta.dirname, "../..");
export const application = process.env.PUNCHCARD_APP ?? path.join(root, "target/debug/punchcard-app");
const tauriDriver = process.env.TAURI_DRIVER ?? path.join(os.homedir(), ".cargo/bin/tauri-driver");
export const artifacts = path.join(import.meta.dirname, "artifacts");

let driver;

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.end();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export const config = {
  runner: "local",
  specs: ["./specs/*.e2e.mjs"],
  maxInstances: 1,
  hostname: "127.0.0.1",
  port: 4444,
  logLevel: "warn",
  capabilities: [
    {
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application, args: [] },
    },
  ],
  framework: "mocha",
  reporters: ["spec"],
  mochaOpts: { ui: "bdd", timeout: 120_000 },
  waitforTimeout: 10_000,
  connectionRetryCount: 0,

  onPrepare() {
    if (!fs.existsSync(application)) throw new Error(`build the app first: ${application} is missing`);
    fs.mkdirSync(artifacts, { recursive: true });
  },

  async beforeSession(_config, capabilities, specs) {
    // A fresh practice file for each spec; a spec may ask for a prepared one.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "punchcard-e2e-"));
    const db = path.join(dir, "practice.sqlite3");
    process.env.PUNCHCARD_E2E_DIR = dir;
    process.env.PUNCHCARD_E2E_DB = db;
    if (specs.some((s) => s.includes("newer-schema"))) {
      const made = spawnSync("python3", [
        "-c",
        "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table t(x)'); c.execute('pragma user_version=99'); c.execute('pragma application_id=1347767875'); c.commit()",
        db,
      ]);
      if (made.status !== 0) throw new Error(String(made.stderr));
    }
    // A practice written by the previous version: the app brings it up to
    // date, and the upgrade waits for the spec's word (a file) so the spec
    // sees the screen shown meanwhile however fast the machine is.
    delete process.env.PUNCHCARD_HOLD_UPGRADE_UNTIL;
    if (specs.some((s) => s.includes("upgrade"))) {
      fs.copyFileSync(path.join(root, "tests/fixtures/schema-v15.sqlite3"), db);
      process.env.PUNCHCARD_HOLD_UPGRADE_UNTIL = path.join(dir, "upgrade-may-finish");
    }
    if (specs.some((s) => s.includes("many-clients"))) {
      // A generated practice of 1,500 clients, up to today (the app's own
      // generator): its next two weeks hold about a hundred bookings.
      const made = spawnSync(application, ["sample", "--scale", "1", "--seed", "1", "--out", db]);
      if (made.status !== 0) throw new Error(String(made.stderr));
    }
    capabilities["tauri:options"].args = ["--db", db];
    // The app keeps its snapshots in its data folder: the spec's own, here.
    process.env.XDG_DATA_HOME = path.join(dir, "data");
    driver = spawn(tauriDriver, ["--port", "4444"], {
      stdio: ["ignore", "inherit", "inherit"],
      // No mail app under test: reminders are drafted and shown, not handed to xdg-open.
      env: { ...process.env, XDG_DATA_HOME: process.env.XDG_DATA_HOME, PUNCHCARD_NO_MAILTO: "1" },
    });
    await waitForPort(4444, 15_000);
  },

  async afterTest(test, _context, { passed }) {
    if (!passed) {
      const name = `${test.parent} ${test.title}`.replace(/[^a-z0-9]+/gi, "-").slice(0, 120);
      await screenshot(path.join(artifacts, `FAILED-${name}.png`)).catch(() => {});
    }
  },

  async afterSession() {
    // Wait for the driver to be gone, so the next spec's driver gets the port.
    if (driver && driver.exitCode === null) {
      const exited = new Promise((resolve) => driver.once("exit", resolve));
      driver.kill();
      await exited;
    }
    driver = undefined;
    fs.rmSync(process.env.PUNCHCARD_E2E_DIR, { recursive: true, force: true });
  },
};
