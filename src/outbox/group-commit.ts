/**
 * Group commit: every change is handed in with `submit`, and all changes that arrive while a
 * write is in flight (or in the same tick) go to disk together in the next write. Eight jobs
 * finishing at once cost one or two writes, not eight; each caller still resolves only once its
 * own change is on disk, and changes are written in the order they were submitted.
 */
export class GroupCommit<T> {
  #queued: T[] = [];
  #waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  #loop: Promise<void> | undefined;

  constructor(private readonly writeBatch: (items: T[]) => Promise<void>) {}

  submit(item: T): Promise<void> {
    this.#queued.push(item);
    const written = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#loop ??= this.#run().finally(() => {
      this.#loop = undefined;
    });
    return written;
  }

  /** Resolves when everything submitted so far has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.#loop) await this.#loop;
  }

  async #run(): Promise<void> {
    // Let callers that submit in the same tick join the first batch.
    await Promise.resolve();
    while (this.#queued.length > 0) {
      const items = this.#queued.splice(0);
      const waiters = this.#waiters.splice(0);
      try {
        await this.writeBatch(items);
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
  }
}
