// What the backend says changed after each write. Each area's state reads
// the counters of the topics it shows, so it re-reads exactly when needed.
import type { Topic } from "./bindings";
import { events } from "./api";

export const changes: Record<Topic, number> = $state({ practice: 0, clients: 0, offerings: 0, packages: 0 });

/** Counts the topics of one change (the listener, and tests, call it). */
export function noteChanged(topics: Topic[]) {
  for (const t of topics) changes[t] += 1;
}

/** Starts listening for the backend's `data-changed` event; returns the unlisten. */
export async function listenForChanges(): Promise<() => void> {
  return events.dataChanged.listen((e) => noteChanged(e.payload.topics));
}
