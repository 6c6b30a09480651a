import type { ClaimInput, EnqueueInput, FailInput, JobState, ListFilter, Outbox, OutboxJob, RetryFilter } from "./types.ts";

/** Makes the state stored under a job's key (for the ERP plugin: the thread) durable. */
export type PersistKey = (key: string) => Promise<void>;

/**
 * An outbox whose records never run ahead of the state their jobs depend on. The thread store
 * and the outbox reach the disk on their own schedules (the store coalesces writes, the outbox
 * appends at once), so without an order a kill could leave
 *   - a job on disk whose thread is not (the job then finds no thread, or an older one), or
 *   - a finished job whose thread on disk still lacks what the job recorded (a follow-up count,
 *     an assignment), so the next sync does that work a second time.
 * Here the key's state is persisted before a job is enqueued and before its outcome (done,
 * retry or parked) is recorded; everything else passes straight through.
 */
export class StoreOrderedOutbox implements Outbox {
  constructor(
    private readonly inner: Outbox,
    private readonly persistKey: PersistKey,
  ) {}

  open(): Promise<void> {
    return this.inner.open();
  }

  async enqueue<P>(input: EnqueueInput<P>): Promise<OutboxJob<P>> {
    await this.persistKey(input.key);
    return this.inner.enqueue(input);
  }

  get(id: string): Promise<OutboxJob | undefined> {
    return this.inner.get(id);
  }

  list(filter?: ListFilter): Promise<OutboxJob[]> {
    return this.inner.list(filter);
  }

  counts(): Promise<Record<JobState, number>> {
    return this.inner.counts();
  }

  claimDue(input: ClaimInput): Promise<OutboxJob[]> {
    return this.inner.claimDue(input);
  }

  writeWindowLeftMs(id: string): number | undefined {
    return this.inner.writeWindowLeftMs?.(id);
  }

  checkpoint(id: string, patch: Record<string, unknown>): Promise<OutboxJob> {
    return this.inner.checkpoint(id, patch);
  }

  async complete(id: string, result?: Record<string, unknown>): Promise<void> {
    await this.#persistJobKey(id);
    return this.inner.complete(id, result);
  }

  async fail(id: string, error: FailInput, now: Date): Promise<OutboxJob> {
    await this.#persistJobKey(id);
    return this.inner.fail(id, error, now);
  }

  retryFailed(filter?: RetryFilter): Promise<number> {
    return this.inner.retryFailed(filter);
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  async #persistJobKey(id: string): Promise<void> {
    const job = await this.inner.get(id);
    if (job) await this.persistKey(job.key);
  }
}
