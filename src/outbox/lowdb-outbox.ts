import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type DirectoryLock, lockDirectory } from "../locking/directory-lock.ts";
import type { Logger } from "../logging/logger.ts";
import { silentLogger } from "../logging/logger.ts";
import type { BackoffSettings } from "./backoff.ts";
import { OutboxJobNotFoundError, OutboxStateError, OutboxWriteError } from "./errors.ts";
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "./file-format.ts";
import { GroupCommit } from "./group-commit.ts";
import { afterFailure, newJob, selectDue, toDone, toResumed, toRetried, toRunning, withCheckpoint } from "./job-transitions.ts";
import { JournalWriter, readJournal } from "./journal-file.ts";
import { SnapshotFile } from "./snapshot-file.ts";
import {
  type ClaimInput,
  type EnqueueInput,
  type FailInput,
  JOB_STATES,
  type JobState,
  type ListFilter,
  type Outbox,
  type OutboxJob,
  type RetryFilter,
} from "./types.ts";

export interface LowdbOutboxOptions {
  /** `<dataDir>/outbox`: holds outbox.json, outbox.journal.jsonl and the writer's lock. */
  dir: string;
  /** sync.backoffBaseMs / sync.backoffMaxMs. */
  backoff: BackoffSettings;
  /** sync.maxAttempts: the default for jobs enqueued without their own. */
  maxAttempts?: number;
  /** Finished (done) jobs kept for the dashboard; older ones are pruned. */
  keepDone?: number;
  /** `wxerp status` beside a running bot: read the files, take no lock, create and change nothing. */
  readOnly?: boolean;
  logger?: Logger;
  clock?: () => Date;
  random?: () => number;
  /**
   * Default true: every acknowledged change is fsynced, so it survives a power cut, not only a
   * crash of the process. False keeps the OS cache's word for it (benchmarks, throwaway dirs).
   */
  fsync?: boolean;
  /** The journal is folded into the snapshot once it is larger than this and than the snapshot. */
  compactMinBytes?: number;
}

/**
 * The embedded outbox: jobs in memory, a lowdb snapshot plus an append-only journal on disk.
 * Every awaited change is appended to the journal before its promise resolves (group commit);
 * when the journal outgrows the snapshot, the snapshot is rewritten and the journal emptied, so
 * a change costs the same with 10 or 10,000 jobs waiting. One process writes (writer.lock).
 */
export class LowdbOutbox implements Outbox {
  readonly #options: LowdbOutboxOptions;
  readonly #logger: Logger;
  readonly #clock: () => Date;
  readonly #snapshot: SnapshotFile;
  readonly #journal: JournalWriter;
  readonly #commit = new GroupCommit<string>((lines) => this.#writeBatch(lines));
  /** Creation order, which is also each key's run order. */
  #jobs = new Map<string, OutboxJob>();
  /** Done job ids in the order they finished, for pruning. */
  #doneOrder: string[] = [];
  #seq = 0;
  #phase: "new" | "open" | "closed" = "new";
  #failure: OutboxWriteError | undefined;
  #lock: DirectoryLock | undefined;

  constructor(options: LowdbOutboxOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger();
    this.#clock = options.clock ?? (() => new Date());
    const fsync = options.fsync ?? true;
    this.#snapshot = new SnapshotFile(join(options.dir, "outbox.json"), fsync);
    this.#journal = new JournalWriter(join(options.dir, "outbox.journal.jsonl"), fsync);
  }

  async open(): Promise<void> {
    if (this.#phase !== "new") throw new OutboxStateError("the outbox was already opened");
    if (this.#options.readOnly) {
      await this.#load();
      this.#phase = "open";
      return;
    }
    await mkdir(this.#options.dir, { recursive: true });
    const lock = await lockDirectory(this.#options.dir, {
      what: "the outbox",
      logger: this.#logger,
      onLost: (error) => {
        // Another process may be writing the journal now: this one accepts no more changes.
        this.#failure ??= new OutboxWriteError(this.#options.dir, { cause: error });
      },
    });
    this.#lock = lock;
    try {
      await this.#load();
      await this.#startWriting();
    } catch (error) {
      await lock.release();
      throw error;
    }
    this.#phase = "open";
  }

  async enqueue<P>(input: EnqueueInput<P>): Promise<OutboxJob<P>> {
    this.#assertWritable();
    const existing = input.dedupeKey === undefined ? undefined : this.#pendingWithDedupeKey(input.dedupeKey);
    if (existing) {
      await this.flush(); // it may have been enqueued a moment ago and not be durable yet
      return structuredClone(existing) as OutboxJob<P>;
    }
    const job = newJob(input, this.#options.maxAttempts ?? 8, this.#clock());
    await this.#put(job);
    return structuredClone(job);
  }

  async get(id: string): Promise<OutboxJob | undefined> {
    this.#assertOpen();
    const job = this.#jobs.get(id);
    return job && structuredClone(job);
  }

  /** Every job kept, in creation order (`wxerp migrate` copies them so, keeping each key's order). */
  async allInCreationOrder(): Promise<OutboxJob[]> {
    this.#assertOpen();
    return structuredClone([...this.#jobs.values()]);
  }

  async list(filter: ListFilter = {}): Promise<OutboxJob[]> {
    this.#assertOpen();
    const states = filter.states && new Set(filter.states);
    const matching = [...this.#jobs.values()].filter(
      (job) =>
        (!states || states.has(job.state)) &&
        (filter.key === undefined || job.key === filter.key) &&
        (filter.kind === undefined || job.kind === filter.kind),
    );
    // Newest first; reversed creation order breaks ties between changes in the same millisecond.
    matching.reverse().sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    return structuredClone(matching.slice(0, filter.limit ?? matching.length));
  }

  async counts(): Promise<Record<JobState, number>> {
    this.#assertOpen();
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    for (const job of this.#jobs.values()) counts[job.state] += 1;
    return counts;
  }

  async claimDue(input: ClaimInput): Promise<OutboxJob[]> {
    this.#assertWritable();
    if (input.limit <= 0) return [];
    const claimed = selectDue(this.#jobs.values(), input).map((job) => toRunning(job, input.now));
    await Promise.all(claimed.map((job) => this.#put(job)));
    return structuredClone(claimed);
  }

  async checkpoint(id: string, patch: Record<string, unknown>): Promise<OutboxJob> {
    const job = this.#unfinishedJob(id, "checkpoint");
    const next = withCheckpoint(job, patch, this.#clock());
    await this.#put(next);
    return structuredClone(next);
  }

  async complete(id: string, result?: Record<string, unknown>): Promise<void> {
    const job = this.#unfinishedJob(id, "complete");
    const done = toDone(job, result, this.#clock());
    const written = [this.#put(done)];
    this.#doneOrder.push(id);
    for (const prunedId of this.#doneOrder.splice(0, Math.max(0, this.#doneOrder.length - this.#keepDone))) {
      written.push(this.#remove(prunedId));
    }
    await Promise.all(written);
  }

  async fail(id: string, error: FailInput, now: Date): Promise<OutboxJob> {
    const job = this.#unfinishedJob(id, "fail");
    const next = afterFailure(job, error, now, this.#options.backoff, this.#options.random);
    await this.#put(next);
    return structuredClone(next);
  }

  async retryFailed(filter: RetryFilter = {}): Promise<number> {
    this.#assertWritable();
    const ids = filter.ids && new Set(filter.ids);
    const now = this.#clock();
    const retried = [...this.#jobs.values()]
      .filter(
        (job) => job.state === "failed" && (!ids || ids.has(job.id)) && (filter.key === undefined || job.key === filter.key),
      )
      .map((job) => toRetried(job, now));
    await Promise.all(retried.map((job) => this.#put(job)));
    return retried.length;
  }

  async flush(): Promise<void> {
    await this.#commit.flush();
    if (this.#failure) throw this.#failure;
  }

  async close(): Promise<void> {
    if (this.#phase === "closed") return;
    this.#phase = "closed";
    await this.#commit.flush();
    try {
      await this.#journal.close();
    } finally {
      await this.#lock?.release();
    }
  }

  get #keepDone(): number {
    return this.#options.keepDone ?? 500;
  }

  /** Snapshot, then the journal lines it does not hold yet. */
  async #load(): Promise<void> {
    const snapshot = await this.#snapshot.read();
    this.#jobs = new Map(snapshot.jobs.map((job) => [job.id, job]));
    this.#seq = snapshot.seq;
    const journal = await readJournal(this.#journal.file);
    for (const entry of journal.entries) {
      if (entry.seq <= snapshot.seq) continue;
      if ("put" in entry) this.#jobs.set(entry.put.id, entry.put);
      else this.#jobs.delete(entry.del);
      this.#seq = Math.max(this.#seq, entry.seq);
    }
    if (journal.tornTailBytes > 0) {
      this.#logger.warn(
        { file: this.#journal.file, bytes: journal.tornTailBytes },
        "outbox journal ended in a half-written change (a crash during a write); it was never acknowledged and is dropped",
      );
    }
    this.#doneOrder = [...this.#jobs.values()]
      .filter((job) => job.state === "done")
      .sort((a, b) => (a.finishedAt ?? "").localeCompare(b.finishedAt ?? ""))
      .map((job) => job.id);
  }

  /** Resumes interrupted jobs and folds the journal into a fresh snapshot (dropping a torn tail). */
  async #startWriting(): Promise<void> {
    const now = this.#clock();
    let resumed = 0;
    for (const job of this.#jobs.values()) {
      if (job.state !== "running") continue;
      this.#jobs.set(job.id, toResumed(job, now));
      resumed += 1;
    }
    for (const id of this.#doneOrder.splice(0, Math.max(0, this.#doneOrder.length - this.#keepDone))) this.#jobs.delete(id);
    await this.#journal.open();
    await this.#compact();
    if (resumed > 0) this.#logger.info({ resumed }, "outbox: jobs interrupted by a stop or crash are pending again");
  }

  #put(job: OutboxJob): Promise<void> {
    // Serialised now: later changes to the job must not leak into this change's line.
    const line = `${JSON.stringify({ seq: ++this.#seq, put: job })}\n`;
    this.#jobs.set(job.id, job);
    return this.#commit.submit(line);
  }

  #remove(id: string): Promise<void> {
    this.#jobs.delete(id);
    return this.#commit.submit(`${JSON.stringify({ seq: ++this.#seq, del: id })}\n`);
  }

  async #writeBatch(lines: string[]): Promise<void> {
    if (this.#failure) throw this.#failure;
    try {
      const text = lines.join("");
      const limit = Math.max(this.#options.compactMinBytes ?? 1_048_576, this.#snapshot.bytes);
      if (this.#journal.bytes + text.length > limit) await this.#compact();
      else await this.#journal.append(text);
    } catch (error) {
      this.#failure = new OutboxWriteError(this.#options.dir, { cause: error });
      this.#logger.error({ err: error }, this.#failure.message);
      throw this.#failure;
    }
  }

  /** The snapshot holds every change up to #seq (memory is ahead of or equal to the queue). */
  async #compact(): Promise<void> {
    await this.#snapshot.write({
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      seq: this.#seq,
      jobs: [...this.#jobs.values()],
    });
    // A crash between the two steps leaves journal lines the snapshot already holds: skipped by seq.
    await this.#journal.truncate();
  }

  #pendingWithDedupeKey(dedupeKey: string): OutboxJob | undefined {
    for (const job of this.#jobs.values()) if (job.state === "pending" && job.dedupeKey === dedupeKey) return job;
    return undefined;
  }

  #unfinishedJob(id: string, action: string): OutboxJob {
    this.#assertWritable();
    const job = this.#jobs.get(id);
    if (!job) throw new OutboxJobNotFoundError(id);
    if (job.state === "done" || job.state === "failed") {
      throw new OutboxStateError(`cannot ${action} outbox job ${id}: it is already ${job.state}`);
    }
    return job;
  }

  #assertOpen(): void {
    if (this.#phase !== "open") throw new OutboxStateError(`the outbox is ${this.#phase === "new" ? "not open yet" : "closed"}`);
  }

  #assertWritable(): void {
    this.#assertOpen();
    if (this.#options.readOnly) throw new OutboxStateError("this outbox was opened read-only");
    if (this.#failure) throw this.#failure;
  }
}
