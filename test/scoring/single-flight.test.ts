import { describe, expect, it } from "vitest";
import { SingleFlight } from "../../src/scoring/single-flight.ts";

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("SingleFlight", () => {
  it("runs one at a time per key and folds requests made meanwhile into one more run", async () => {
    const gates = [deferred<void>(), deferred<void>()];
    const runs: string[] = [];
    let active = 0;
    let maxActive = 0;
    const flight = new SingleFlight<string, string>(async (key, arg) => {
      const gate = gates[runs.length];
      runs.push(`${key}:${arg}`);
      active++;
      maxActive = Math.max(maxActive, active);
      await gate?.promise;
      active--;
      return arg;
    });
    const first = flight.request("t", "a");
    const second = flight.request("t", "b");
    const third = flight.request("t", "c");
    gates[0]?.resolve();
    expect(await first).toBe("a");
    gates[1]?.resolve();
    expect(await second).toBe("c");
    expect(await third).toBe("c");
    expect(runs).toEqual(["t:a", "t:c"]);
    expect(maxActive).toBe(1);
    await flight.idle();
    expect(flight.activeKeys()).toEqual([]);
  });

  it("does not start a second run for a request made just as a run ends while one is queued", async () => {
    const gate = deferred<void>();
    let active = 0;
    let maxActive = 0;
    const runs: string[] = [];
    const flight = new SingleFlight<string, string>(async (_key, arg) => {
      runs.push(arg);
      active++;
      maxActive = Math.max(maxActive, active);
      if (arg === "a") await gate.promise;
      await Promise.resolve();
      active--;
      return arg;
    });
    const first = flight.request("t", "a");
    // This callback runs before the queued run is promoted: the lane is briefly without a running run.
    const late = first.then(() => flight.request("t", "c"));
    const queued = flight.request("t", "b");
    gate.resolve();
    expect(await Promise.all([first, queued, late])).toEqual(["a", "c", "c"]);
    expect(runs).toEqual(["a", "c"]);
    expect(maxActive).toBe(1);
  });

  it("runs different keys independently and recovers after a rejected run", async () => {
    const flight = new SingleFlight<string, number>(async (key, arg) => {
      if (arg === 0) throw new Error("boom");
      return `${key}${arg}`;
    });
    await expect(flight.request("x", 0)).rejects.toThrow("boom");
    expect(await Promise.all([flight.request("x", 1), flight.request("y", 2)])).toEqual(["x1", "y2"]);
  });
});
