// `make screenshots`: the app as a user sees it, on the sample practice, at
// 1280×800 in light and dark and at the minimum window size. The pictures go
// to assets/screenshots/ (or SCREENS_OUT). THEME=dark runs the app with
// GTK's dark theme, which WebKit reports as `prefers-color-scheme: dark`.
import path from "node:path";
import { config as base } from "./wdio.conf.mjs";

export const config = {
  ...base,
  specs: ["./screens/*.screens.mjs"],
  mochaOpts: { ...base.mochaOpts, timeout: 300_000 },
  async beforeSession(c, capabilities, specs) {
    if (process.env.THEME === "dark") process.env.GTK_THEME = "Adwaita:dark";
    process.env.SCREENS_OUT ??= path.resolve(import.meta.dirname, "../../assets/screenshots");
    await base.beforeSession(c, capabilities, specs);
  },
};
