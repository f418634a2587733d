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
