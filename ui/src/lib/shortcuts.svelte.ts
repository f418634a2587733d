// The one registry of keyboard shortcuts. Screens register theirs while they
// are shown; one window listener dispatches. A plain key never fires while
// the user types in a field or a sheet is open.

export interface Shortcut {
  /** `KeyboardEvent.key`, compared case-insensitively for letters. */
  key: string;
  /** Needs Ctrl (or ⌘ on macOS). */
  ctrl?: boolean;
  /** Also fires while typing in a field (for Ctrl shortcuts and the search keys). */
  whileTyping?: boolean;
  /** Fires only when this says so (e.g. a client is open). */
  when?: () => boolean;
  run: (e: KeyboardEvent) => void;
}

const registry = new Set<Shortcut>();

/** Registers shortcuts until the returned function is called (use in an `$effect`). */
export function shortcuts(...list: Shortcut[]): () => void {
  for (const s of list) registry.add(s);
  return () => {
    for (const s of list) registry.delete(s);
  };
}

/** True when a key press belongs to a text field or an open sheet, not to a shortcut. */
export function typingOrModal(e: KeyboardEvent): boolean {
  if (document.querySelector("dialog[open]")) return true;
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  return t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName);
}

/** The window's one keydown handler. */
export function dispatch(e: KeyboardEvent) {
  const ctrl = e.ctrlKey || e.metaKey;
  if (e.altKey) return;
  const busy = typingOrModal(e);
  for (const s of registry) {
    if (!!s.ctrl !== ctrl) continue;
    if (s.key.length === 1 ? s.key.toLowerCase() !== e.key.toLowerCase() : s.key !== e.key) continue;
    if (busy && !(s.whileTyping && !document.querySelector("dialog[open]"))) continue;
    if (s.when && !s.when()) continue;
    e.preventDefault();
    s.run(e);
    return;
  }
}
