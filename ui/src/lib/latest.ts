// A latest-request guard: when a view asks again before the last answer
// came, only the newest answer is used, so a slow early request never wins.
export class Latest {
  private seq = 0;

  run<T>(pending: Promise<T>, ok: (value: T) => void, fail: (e: unknown) => void) {
    const seq = ++this.seq;
    pending.then(
      (value) => seq === this.seq && ok(value),
      (e) => seq === this.seq && fail(e),
    );
  }

  /** Forgets any request still on its way. */
  cancel() {
    this.seq += 1;
  }
}

/**
 * At most one request on its way: asked again meanwhile, only the newest
 * ask waits, and is sent when the answer is in (that answer, now stale, is
 * dropped). For the practice-wide reads that take long on a large practice
 * (Needs attention, reports): a burst of changes costs two reads, not one
 * per change queued behind each other.
 */
export class OneAtATime {
  private busy = false;
  private waiting: (() => void) | null = null;

  run<T>(ask: () => Promise<T>, ok: (value: T) => void, fail: (e: unknown) => void) {
    const send = () => {
      this.busy = true;
      ask()
        .then(
          (value) => this.waiting === null && ok(value),
          (e) => this.waiting === null && fail(e),
        )
        .finally(() => {
          this.busy = false;
          const next = this.waiting;
          this.waiting = null;
          next?.();
        });
    };
    if (this.busy) this.waiting = send;
    else send();
  }
}
