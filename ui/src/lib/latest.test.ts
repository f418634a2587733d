// The request guards, on promises resolved by hand.
import { describe, expect, it } from "vitest";
import { OneAtATime } from "./latest";

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("OneAtATime", () => {
  it("sends one request at a time, then only the newest asked meanwhile, and uses only its answer", async () => {
    const sent: { n: number; answer: ReturnType<typeof deferred<string>> }[] = [];
    const used: string[] = [];
    const guard = new OneAtATime();
    const ask = (n: number) => () => {
      const answer = deferred<string>();
      sent.push({ n, answer });
      return answer.promise;
    };
    for (const n of [1, 2, 3, 4]) guard.run(ask(n), (v) => used.push(v), () => {});
    expect(sent.map((s) => s.n)).toEqual([1]);
    sent[0].answer.resolve("one");
    await new Promise((r) => setTimeout(r, 0));
    // The first answer is stale (more was asked since): dropped; the newest is sent.
    expect(used).toEqual([]);
    expect(sent.map((s) => s.n)).toEqual([1, 4]);
    sent[1].answer.resolve("four");
    await new Promise((r) => setTimeout(r, 0));
    expect(used).toEqual(["four"]);
    // Nothing waiting: the next ask goes at once.
    guard.run(ask(5), (v) => used.push(v), () => {});
    expect(sent.map((s) => s.n)).toEqual([1, 4, 5]);
  });

  it("reports a failure only when nothing newer was asked", async () => {
    const failed: unknown[] = [];
    const guard = new OneAtATime();
    guard.run(() => Promise.reject(new Error("gone")), () => {}, (e) => failed.push(e));
    await new Promise((r) => setTimeout(r, 0));
    expect(failed).toHaveLength(1);
  });
});
