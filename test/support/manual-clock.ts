/**
 * A clock for the send queue that moves only when the test says so: pauses of seconds or
 * an hour pass at once, and the test decides exactly what "later" means.
 *
 *   const clock = new ManualClock();
 *   const queue = new SendQueue({ ..., clock });
 *   await clock.advance(10_000);   // fires what was due, in order, letting the queue run in between
 */
import type { SendClock } from "../../src/sending/pacing.ts";

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

export class ManualClock implements SendClock {
  #now: number;
  #timers: Timer[] = [];
  #nextId = 1;

  constructor(start = Date.parse("2026-11-02T09:00:00+08:00")) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), callback };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Timers waiting to fire. */
  pending(): number {
    return this.#timers.length;
  }

  /** When the next timer fires, or undefined. */
  nextAt(): number | undefined {
    return this.#timers.reduce<number | undefined>((min, t) => (min === undefined || t.at < min ? t.at : min), undefined);
  }

  /** Moves time forward by `ms`, firing every timer that falls due, earliest first. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    await settle();
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.callback();
      await settle();
    }
    this.#now = until;
    await settle();
  }
}

/** Lets promise continuations (and I/O callbacks already queued) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
