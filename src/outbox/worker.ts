import PQueue from "p-queue";
import type { Logger } from "../logging/logger.ts";
import { maskText } from "../privacy/mask.ts";
import { OutboxLeaseLostError } from "./postgres/lease-lost-error.ts";
import type { Outbox, OutboxJob } from "./types.ts";

export interface JobContext {
  /** Records durable progress; resolves once it is on disk. A resumed job sees it in `job.checkpoint`. */
  checkpoint(patch: Record<string, unknown>): Promise<void>;
  /** 1 for the first run, 2 for the first retry, ... */
  attempt: number;
  /** Aborted when the worker stops and the job did not finish in time. */
  signal: AbortSignal;
  /**
   * Team mode (the outbox on PostgreSQL): the job's write deadline, well inside this process's
   * lease on it. Once it passed, the handler sends no outside write: the lease may run out while
   * the write is under way, and another process may take the job over and repeat it. Undefined
   * when no other process can take the job (the embedded outbox).
   */
  writeDeadline?: WriteDeadline;
}

export interface WriteDeadline {
  /**
   * Whether the deadline has passed, read on the monotonic clock at this call: right also just
   * after a paused process resumes, when no timer has fired yet.
   */
  passed(): boolean;
}

/** Throw an error with `retryable: false` when the same call can never succeed (it parks the job). */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing (an async void function) is the common case
export type JobHandler = (job: OutboxJob, ctx: JobContext) => Promise<Record<string, unknown> | undefined | void>;

export type JobOutcome =
  | { status: "done"; result?: Record<string, unknown> }
  | { status: "retry"; error: string; nextRunAt: string }
  | { status: "failed"; error: string };

export interface DrainSummary {
  done: number;
  /** Parked: out of attempts, or not retryable. */
  failed: number;
  /** Failed this time, pending again after a back-off. */
  retried: number;
}

export interface OutboxWorkerOptions {
  outbox: Outbox;
  handlers: Record<string, JobHandler>;
  /** sync.concurrency */
  concurrency: number;
  logger: Logger;
  clock?: () => Date;
  /** How often `start()` looks for jobs that became due (a back-off ran out). */
  pollIntervalMs?: number;
  /** How long `stop()` waits for running jobs before aborting their signals. */
  stopTimeoutMs?: number;
  /** A job was parked (the ERP plugin alerts the control chat from here). */
  onParked?(job: OutboxJob, error: unknown): void | Promise<void>;
  onSettled?(job: OutboxJob, outcome: JobOutcome): void | Promise<void>;
}

/** A job's kind has no handler: a deployment or version mismatch, never fixed by retrying. */
export class UnknownJobKindError extends Error {
  override readonly name = "UnknownJobKindError";
  readonly retryable = false;
  constructor(readonly kind: string) {
    super(`no handler for outbox job kind "${kind}" (was it enqueued by another wxerp version or plugin?)`);
  }
}

/** The handler failed after this process's lease ran out: its error is not recorded, the new holder's outcome is. */
class JobTakenOverError extends Error {
  override readonly name = "JobTakenOverError";
  constructor(
    readonly jobError: string,
    cause: OutboxLeaseLostError,
  ) {
    super(cause.message, { cause });
  }
}

/** The outbox's write window, counted from the claim. */
function writeDeadline(windowMs: number | undefined): WriteDeadline | undefined {
  if (windowMs === undefined) return undefined;
  const by = performance.now() + windowMs;
  return { passed: () => performance.now() >= by };
}

interface FillParams {
  ignoreBackoff?: boolean;
  skipIds?: Set<string>;
}

/**
 * Runs outbox jobs with bounded concurrency (p-queue) and one job per key at a time: one
 * customer is never synced by two jobs at once. Every outcome is written to the outbox before
 * the next job of that key may start.
 */
export class OutboxWorker {
  readonly #options: OutboxWorkerOptions;
  readonly #clock: () => Date;
  readonly #queue: PQueue;
  readonly #running = new Map<string, { key: string; controller: AbortController }>();
  readonly #tallies = new Set<DrainSummary>();
  #settleWaiters: Array<() => void> = [];
  #fillChain: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #started = false;

  constructor(options: OutboxWorkerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    this.#queue = new PQueue({ concurrency: options.concurrency });
  }

  /** Runs due jobs from now on: polls, and wakes at once on `kick()`. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.kick();
    this.#schedulePoll();
  }

  /** Something was enqueued: look for due jobs now instead of at the next poll. */
  kick(): void {
    if (this.#started) void this.#fill({});
  }

  /** Stops taking jobs and waits (bounded) for running ones; unfinished ones resume on the next open. */
  async stop(): Promise<void> {
    this.#started = false;
    clearTimeout(this.#timer);
    await this.#fillChain;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.#queue.onIdle().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), this.#options.stopTimeoutMs ?? 30_000);
      }),
    ]);
    clearTimeout(timer);
    if (!timedOut) return;
    this.#options.logger.warn(
      { running: this.#running.size },
      "outbox worker stopped with jobs still running; they resume at the next start",
    );
    for (const { controller } of this.#running.values()) controller.abort(new Error("the outbox worker is stopping"));
  }

  /**
   * Runs jobs until none is due now (`wxerp sync`, the replay). With ignoreBackoff every pending
   * job is due, and each runs at most once in this drain so a down ERP does not burn all attempts.
   */
  async drain(options: { ignoreBackoff?: boolean } = {}): Promise<DrainSummary> {
    const summary: DrainSummary = { done: 0, failed: 0, retried: 0 };
    this.#tallies.add(summary);
    const params: FillParams = options.ignoreBackoff ? { ignoreBackoff: true, skipIds: new Set() } : {};
    try {
      for (;;) {
        const claimed = await this.#fill(params);
        if (claimed === 0 && this.#running.size === 0) break;
        if (claimed === 0 || this.#running.size >= this.#options.concurrency) await this.#nextSettle();
      }
    } finally {
      this.#tallies.delete(summary);
    }
    return summary;
  }

  #schedulePoll(): void {
    this.#timer = setTimeout(() => {
      if (!this.#started) return;
      this.kick();
      this.#schedulePoll();
    }, this.#options.pollIntervalMs ?? 1_000);
  }

  /** Claims as many due jobs as there are free slots; serialised so slots are never over-claimed. */
  #fill(params: FillParams): Promise<number> {
    const filled = this.#fillChain.then(() => this.#claimAndRun(params));
    this.#fillChain = filled.catch(() => undefined);
    return filled.catch((error: unknown) => {
      this.#options.logger.error({ err: error }, "outbox: claiming jobs failed");
      return 0;
    });
  }

  async #claimAndRun(params: FillParams): Promise<number> {
    const free = this.#options.concurrency - this.#running.size;
    if (free <= 0) return 0;
    const busyKeys = new Set([...this.#running.values()].map((entry) => entry.key));
    const claimInput = { now: this.#clock(), limit: free, busyKeys, ...params };
    const jobs = await this.#options.outbox.claimDue(claimInput);
    for (const job of jobs) {
      params.skipIds?.add(job.id);
      const controller = new AbortController();
      this.#running.set(job.id, { key: job.key, controller });
      const deadline = writeDeadline(this.#options.outbox.writeWindowLeftMs?.(job.id));
      void this.#queue.add(() => this.#runJob(job, controller.signal, deadline));
    }
    return jobs.length;
  }

  async #runJob(job: OutboxJob, signal: AbortSignal, deadline: WriteDeadline | undefined): Promise<void> {
    try {
      const outcome = await this.#execute(job, signal, deadline);
      await this.#report(outcome.job, outcome.outcome);
    } catch (error) {
      if (error instanceof JobTakenOverError) {
        // Not a fault of this process's disk or database: the job is another process's now.
        this.#options.logger.warn(
          { jobId: job.id, kind: job.kind, key: job.key, error: error.jobError },
          "outbox job left to another process: this process's lease on it ran out (sync.leaseSeconds); the process holding it now resumes it from its checkpoint",
        );
        return;
      }
      // The outbox itself failed (disk): the job stays running and resumes after a restart.
      this.#options.logger.error({ err: error, jobId: job.id, kind: job.kind }, "outbox: recording a job's outcome failed");
    } finally {
      this.#running.delete(job.id);
      for (const wake of this.#settleWaiters.splice(0)) wake();
      this.kick();
    }
  }

  async #execute(
    job: OutboxJob,
    signal: AbortSignal,
    deadline: WriteDeadline | undefined,
  ): Promise<{ job: OutboxJob; outcome: JobOutcome }> {
    const { outbox } = this.#options;
    const handler = Object.hasOwn(this.#options.handlers, job.kind) ? this.#options.handlers[job.kind] : undefined;
    if (!handler) return this.#failJob(job, new UnknownJobKindError(job.kind));
    const ctx: JobContext = {
      attempt: job.attempts + 1,
      signal,
      ...(deadline ? { writeDeadline: deadline } : {}),
      checkpoint: async (patch) => {
        const updated = await outbox.checkpoint(job.id, patch);
        job.checkpoint = updated.checkpoint;
      },
    };
    let result: Record<string, unknown> | undefined;
    try {
      result = (await handler(job, ctx)) ?? undefined;
    } catch (error) {
      return this.#failJob(job, error);
    }
    await outbox.complete(job.id, result);
    const outcome: JobOutcome = result === undefined ? { status: "done" } : { status: "done", result };
    return { job: { ...job, state: "done" }, outcome };
  }

  async #failJob(job: OutboxJob, error: unknown): Promise<{ job: OutboxJob; outcome: JobOutcome }> {
    const message = maskText(error instanceof Error ? error.message : String(error));
    const retryable = (error as { retryable?: unknown } | null)?.retryable !== false;
    let updated: OutboxJob;
    try {
      updated = await this.#options.outbox.fail(job.id, { message, retryable }, this.#clock());
    } catch (failError) {
      if (failError instanceof OutboxLeaseLostError) throw new JobTakenOverError(message, failError);
      throw failError;
    }
    if (updated.state !== "failed")
      return { job: updated, outcome: { status: "retry", error: message, nextRunAt: updated.nextRunAt } };
    await this.#callback("onParked", () => this.#options.onParked?.(updated, error));
    return { job: updated, outcome: { status: "failed", error: message } };
  }

  async #report(job: OutboxJob, outcome: JobOutcome): Promise<void> {
    const { logger } = this.#options;
    const fields = { jobId: job.id, kind: job.kind, key: job.key, attempts: job.attempts };
    if (outcome.status === "done") logger.debug(fields, "outbox job done");
    else if (outcome.status === "retry")
      logger.warn({ ...fields, error: outcome.error, nextRunAt: outcome.nextRunAt }, "outbox job failed, will retry");
    else logger.error({ ...fields, error: outcome.error }, "outbox job parked: it needs attention (/erp retry once fixed)");
    for (const tally of this.#tallies) tally[outcome.status === "retry" ? "retried" : outcome.status] += 1;
    await this.#callback("onSettled", () => this.#options.onSettled?.(job, outcome));
  }

  /** A failing callback (an alert that could not be sent) must not stop the worker. */
  async #callback(name: string, call: () => void | Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.#options.logger.error({ err: error }, `outbox worker ${name} callback failed`);
    }
  }

  #nextSettle(): Promise<void> {
    return new Promise((resolve) => this.#settleWaiters.push(resolve));
  }
}
