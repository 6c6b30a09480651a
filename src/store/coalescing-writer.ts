/**
 * Coalesced file writes. A change marks its file dirty; one cycle, a short delay later,
 * rewrites every dirty file once, so a burst of 1,000 messages costs a few rewrites of the
 * files it touched, not 1,000. Only one cycle runs at a time (a file is never written by
 * two cycles at once); a change made while a cycle runs is picked up by the next one.
 */

export type WriteFn = () => Promise<void>;

export interface CoalescingWriterOptions {
  delayMs: number;
  /** Files written in parallel within one cycle. */
  parallel?: number;
  /** A background cycle failed; the files stay dirty and are retried after `delayMs`. */
  onError: (error: unknown, keys: string[]) => void;
  /**
   * Files written only after every other file of the same cycle is on disk (and not at all
   * when one of those failed): a record that other files depend on, such as the ids of
   * messages already taken in, must never be durable before the messages themselves.
   */
  writeLast?: (key: string) => boolean;
}

export class CoalescingWriter {
  readonly #dirty = new Map<string, WriteFn>();
  /** Files the running cycle writes (no longer dirty, not yet on disk). */
  readonly #writing = new Set<string>();
  /** The files each running flush() waits for (undefined: all of them). */
  readonly #waiting = new Set<{ keys: readonly string[] | undefined }>();
  readonly #options: CoalescingWriterOptions;
  #timer: NodeJS.Timeout | undefined;
  #cycle: Promise<void> | undefined;
  #closed = false;

  constructor(options: CoalescingWriterOptions) {
    this.#options = options;
  }

  get pending(): number {
    return this.#dirty.size;
  }

  /** Schedules `write` (the latest one given for `key` wins) for the next cycle. */
  markDirty(key: string, write: WriteFn): void {
    this.#dirty.set(key, write);
    this.#schedule();
  }

  /** Drops pending writes whose key starts with `prefix` (files of a layout being retired). */
  forget(prefix: string): void {
    for (const key of [...this.#dirty.keys()]) if (key.startsWith(prefix)) this.#dirty.delete(key);
  }

  /**
   * Resolves once the given files (all files when omitted) are written with every change
   * made before the call. Rejects if a write fails; the file then stays dirty.
   *
   * Group commit: callers that wait while a cycle runs are served by one cycle after it,
   * which writes the files of every waiting caller (eight jobs flushing their threads at
   * once cost one or two cycles, not eight one after the other).
   */
  async flush(keys?: readonly string[]): Promise<void> {
    this.#cancelTimer();
    const waiter = { keys };
    this.#waiting.add(waiter);
    try {
      for (;;) {
        const due = this.#dueFor(keys).length > 0;
        if (this.#cycle) {
          // Files neither pending nor being written are on disk already: no need to wait
          // for a cycle that writes only other files.
          if (!due && !this.#isWriting(keys)) return;
          await this.#cycle.catch(() => undefined);
          continue;
        }
        if (!due) return;
        // Its own files are among these; a failed one stays dirty, so its caller writes it
        // again in a cycle of its own and hears the error from there.
        await this.#run(this.#dueForWaiting());
      }
    } finally {
      this.#waiting.delete(waiter);
      this.#schedule();
    }
  }

  #dueFor(keys: readonly string[] | undefined): string[] {
    return [...this.#dirty.keys()].filter((key) => keys === undefined || keys.includes(key));
  }

  #isWriting(keys: readonly string[] | undefined): boolean {
    if (keys === undefined) return this.#writing.size > 0;
    return keys.some((key) => this.#writing.has(key));
  }

  #dueForWaiting(): string[] {
    const waiting = [...this.#waiting];
    if (waiting.some((w) => w.keys === undefined)) return [...this.#dirty.keys()];
    return [...this.#dirty.keys()].filter((key) => waiting.some((w) => w.keys!.includes(key)));
  }

  /** Writes everything pending and refuses later background cycles. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    this.#cancelTimer();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed || this.#dirty.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#cycle) return this.#schedule();
      const keys = [...this.#dirty.keys()];
      this.#run(keys)
        .catch((error: unknown) => this.#options.onError(error, keys))
        .finally(() => this.#schedule());
    }, this.#options.delayMs);
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #run(keys: string[]): Promise<void> {
    const cycle = this.#writeAll(keys).finally(() => {
      this.#writing.clear();
      this.#cycle = undefined;
    });
    this.#cycle = cycle;
    return cycle;
  }

  async #writeAll(keys: string[]): Promise<void> {
    const jobs: Array<[string, WriteFn]> = [];
    for (const key of keys) {
      const write = this.#dirty.get(key);
      if (write === undefined) continue;
      this.#dirty.delete(key);
      this.#writing.add(key);
      jobs.push([key, write]);
    }
    const isLast = this.#options.writeLast ?? (() => false);
    const first = jobs.filter(([key]) => !isLast(key));
    const last = jobs.filter(([key]) => isLast(key));
    const failures = await this.#writeInParallel(first);
    if (failures.length > 0) this.#keepDirty(last);
    else failures.push(...(await this.#writeInParallel(last)));
    if (failures.length > 0) {
      throw new AggregateError(failures, `${failures.length} of ${jobs.length} store file(s) could not be written`);
    }
  }

  async #writeInParallel(jobs: Array<[string, WriteFn]>): Promise<unknown[]> {
    const failures: unknown[] = [];
    const parallel = Math.max(1, this.#options.parallel ?? 4);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++] as [string, WriteFn];
        try {
          await job[1]();
        } catch (error) {
          this.#keepDirty([job]);
          failures.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
    return failures;
  }

  /** Unwritten files stay dirty, unless a newer change re-marked them meanwhile. */
  #keepDirty(jobs: Array<[string, WriteFn]>): void {
    for (const [key, write] of jobs) if (!this.#dirty.has(key)) this.#dirty.set(key, write);
  }
}
