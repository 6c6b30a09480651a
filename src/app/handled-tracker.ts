/**
 * Which messages intake has finished with, so a driver (the replay, the demo) can wait for
 * a message to be stored before it scores the thread. Bounded: only recent ids are kept.
 */
export class HandledTracker {
  private readonly done = new Set<string>();
  private readonly waiters = new Map<string, Array<() => void>>();

  constructor(private readonly capacity = 10_000) {}

  markHandled(id: string): void {
    this.done.add(id);
    if (this.done.size > this.capacity) {
      const oldest = this.done.values().next().value;
      if (oldest !== undefined) this.done.delete(oldest);
    }
    const waiting = this.waiters.get(id);
    if (waiting) {
      this.waiters.delete(id);
      for (const wake of waiting) wake();
    }
  }

  /** Resolves when every id has been handled (or rejects after `timeoutMs`). */
  async whenHandled(ids: string[], timeoutMs = 30_000): Promise<void> {
    const pending = ids.filter((id) => !this.done.has(id));
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const all = Promise.all(
      pending.map((id) => new Promise<void>((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]))),
    );
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`intake did not handle ${pending.length} message(s) within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
