// The screens other than Today, each in a script of its own, read the first
// time it is shown (or pointed at): the window's first script holds only
// what the first screen needs. Reports alone brings Chart.js, which was a
// third of the app's script.
import type { Component } from "svelte";
import type { Area } from "./app.svelte";

type Screen = Promise<{ default: Component }>;

/** `load` called once; the same promise after. */
function once(load: () => Screen): () => Screen {
  let loaded: Screen | undefined;
  return () => (loaded ??= load());
}

export const screens: Record<Exclude<Area, "today">, () => Screen> & { firstRun: () => Screen } = {
  clients: once(() => import("./areas/clients/ClientsScreen.svelte")),
  offerings: once(() => import("./areas/offerings/OfferingsScreen.svelte")),
  reports: once(() => import("./areas/reports/ReportsScreen.svelte")),
  settings: once(() => import("./areas/settings/SettingsScreen.svelte")),
  firstRun: once(() => import("./areas/first-run/FirstRun.svelte")),
};

/** Starts reading `area`'s script (a pointer on its button: it is likely next). */
export function prefetch(area: Area) {
  if (area !== "today") void screens[area]().catch(() => {});
}
