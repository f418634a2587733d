// Window-wide state: what the app knows about the practice, which screen is
// shown, and the toast. Screens reload when `version` moves after a write.
import type { AppInfo } from "./bindings";

export type Screen = "clients" | "offerings" | "settings";

export interface Toast {
  message: string;
  undo?: () => Promise<void>;
  id: number;
}

export const app = $state({
  info: null as AppInfo | null,
  screen: "clients" as Screen,
  toast: null as Toast | null,
  /** Bumped after every write so views re-read from the core. */
  version: 0,
});

let toastTimer: ReturnType<typeof setTimeout> | undefined;
let toastSeq = 0;

export function showToast(message: string, undo?: () => Promise<void>) {
  clearTimeout(toastTimer);
  const id = ++toastSeq;
  app.toast = { message, undo, id };
  toastTimer = setTimeout(() => {
    if (app.toast?.id === id) app.toast = null;
  }, 8000);
}

export function dismissToast() {
  clearTimeout(toastTimer);
  app.toast = null;
}

export function changed() {
  app.version += 1;
}

export function currency(): string {
  return app.info?.practice?.currency ?? "EUR";
}

export function today(): string {
  return app.info?.today ?? new Date().toISOString().slice(0, 10);
}

/** True when a key press belongs to a text field or an open sheet, not to a shortcut. */
export function typingOrModal(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (document.querySelector("dialog[open]")) return true;
  if (!t) return false;
  return t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName);
}
