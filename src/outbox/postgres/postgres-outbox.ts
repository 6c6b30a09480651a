import type { Pool, PoolClient } from "pg";
import type { Logger } from "../../logging/logger.ts";
import { silentLogger } from "../../logging/logger.ts";
import type { BackoffSettings } from "../backoff.ts";
import { OutboxJobNotFoundError, OutboxStateError } from "../errors.ts";
import { afterFailure, newJob, toRetried } from "../job-transitions.ts";
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
} from "../types.ts";
import { BossAttempts } from "./boss-attempts.ts";
import { BOSS_SCHEMA, type JobRow, OUTBOX_QUEUE, SELECT_JOBS, toOutboxJob } from "./job-rows.ts";
import { OutboxLeaseLostError } from "./lease-lost-error.ts";

export interface PostgresOutboxOptions {
  /** The process's pool (src/db); the outbox_jobs table comes from its migrations. */
  pool: Pool;
  /** sync.backoffBaseMs / sync.backoffMaxMs. */
  backoff: BackoffSettings;
  /** sync.maxAttempts: the default for jobs enqueued without their own. */
  maxAttempts?: number;
  /**
   * sync.leaseSeconds: how long a process holds a job it took. A process that dies holding
   * one loses it this long after it took it; another process then runs it from its checkpoint.
   */
  leaseSeconds: number;
  /** sync.leaseCheckSeconds: how often some process looks for expired leases. */
  leaseCheckSeconds: number;
  /** Leases that may expire on one attempt before the job is parked (a job that kills its process). */
  leaseExpiries?: number;
  /** Finished (done) jobs kept for the dashboard; older ones are deleted. */
  keepDone?: number;
  /** `wxerp status` beside running bots: read only, start no queue maintenance. */
  readOnly?: boolean;
  logger?: Logger;
  clock?: () => Date;
  random?: () => number;
}

/** Which attempt this process holds: the pg-boss job and how often pg-boss had started it. */
interface Lease {
  bossId: string;
  retryCount: number;
  /** performance.now() by which this process sends its last outside write for the attempt. */
  writeBy: number;
}

/**
 * A holder sends no outside write after half its lease (sync.leaseSeconds). The other half is
 * for the write already in flight at that moment: the ERP plugin checks the deadline again
 * before every HTTP attempt of a write, a retry included, so what can still be under way is one
 * request, bounded by erp.timeoutMs (15 s by default, against 150 s of a default 300 s lease).
 * A margin derived from the ERP's settings would tie the outbox to one plugin, and a margin of
 * "one whole call with its retries and re-login" (minutes with the defaults) would leave short
 * leases no window at all. Half is also generous against the clocks: the lease starts on the
 * database's clock when pg-boss hands the job out, the deadline on this process's monotonic
 * clock just before it asks, so it never starts late.
 */
const WRITE_WINDOW_SHARE = 0.5;

const DEFAULT_LEASE_EXPIRIES = 3;
/** Done jobs are pruned once every this many completions in a process. */
const PRUNE_EVERY = 100;

/**
 * The outbox on PostgreSQL, for several wxerp processes on one database. pg-boss (a maintained
 * queue on PostgreSQL, bound in boss-attempts.ts) runs the attempts: a job is taken with FOR UPDATE SKIP LOCKED, held
 * with a lease (pg-boss's expireInSeconds), and when the holder dies, pg-boss's supervision
 * puts it back once the lease expired, for any process to take. What pg-boss does not know,
 * this class keeps in `outbox_jobs`: a key's jobs run one at a time and in order (only the
 * oldest unfinished job of a key is handed to pg-boss; the next one when it finishes, in the
 * same transaction under a per-key transaction lock), the checkpoint, the attempts and the
 * back-off (the same rules as the embedded outbox: job-transitions.ts). Each attempt after a
 * failure is a new pg-boss job due after the back-off, so `retryFailed` gives fresh attempts.
 * A process whose lease ran out cannot record an outcome any more (OutboxLeaseLostError).
 */
export class PostgresOutbox implements Outbox {
  readonly #options: PostgresOutboxOptions;
  readonly #pool: Pool;
  readonly #logger: Logger;
  readonly #clock: () => Date;
  readonly #leases = new Map<string, Lease>();
  #attempts: BossAttempts | undefined;
  #phase: "new" | "open" | "closed" = "new";
  /** Read-only on a database the bots never migrated: nothing to show. */
  #empty = false;
  #completions = 0;

  constructor(options: PostgresOutboxOptions) {
    this.#options = options;
    this.#pool = options.pool;
    this.#logger = options.logger ?? silentLogger();
    this.#clock = options.clock ?? (() => new Date());
  }

  async open(): Promise<void> {
    if (this.#phase !== "new") throw new OutboxStateError("the outbox was already opened");
    if (this.#options.readOnly) {
      const { rows } = await this.#pool.query<{ ready: boolean }>(
        `SELECT to_regclass('outbox_jobs') IS NOT NULL AND to_regclass('${BOSS_SCHEMA}.job') IS NOT NULL AS ready`,
      );
      this.#empty = rows[0]?.ready !== true;
      this.#phase = "open";
      return;
    }
    this.#attempts = await BossAttempts.start(
      this.#pool,
      {
        leaseSeconds: this.#options.leaseSeconds,
        leaseCheckSeconds: this.#options.leaseCheckSeconds,
        leaseExpiries: this.#options.leaseExpiries ?? DEFAULT_LEASE_EXPIRIES,
      },
      this.#logger,
    );
    this.#phase = "open";
    await this.#pruneDone();
  }

  async enqueue<P>(input: EnqueueInput<P>): Promise<OutboxJob<P>> {
    this.#assertWritable();
    const job = newJob(input, this.#options.maxAttempts ?? 8, this.#clock());
    const id = await this.#inKeyTransaction(input.key, async (client) => {
      if (input.dedupeKey !== undefined) {
        const { rows } = await client.query<JobRow>(
          `SELECT * FROM (${SELECT_JOBS} WHERE o.state = 'open' AND o.dedupe_key = $1) j
           WHERE live_state = 'pending' ORDER BY seq LIMIT 1`,
          [input.dedupeKey],
        );
        if (rows[0]) return rows[0].id;
      }
      await client.query(
        `INSERT INTO outbox_jobs (id, kind, key, payload, actor, dedupe_key, max_attempts, run_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
        [
          job.id,
          job.kind,
          job.key,
          JSON.stringify(job.payload),
          job.actor ?? null,
          job.dedupeKey ?? null,
          job.maxAttempts,
          job.nextRunAt,
          job.createdAt,
        ],
      );
      await this.#releaseNext(client, job.key);
      return job.id;
    });
    return (await this.#mustGet(id)) as OutboxJob<P>;
  }

  /**
   * `wxerp migrate`: takes a job from the embedded outbox as it is (id, attempts, checkpoint,
   * outcome), unless a job with its id is here already (so a second run imports nothing
   * twice). Call in creation order: an unfinished job queues behind its key's earlier ones,
   * and one left running by a stopped process is pending again, resuming from its checkpoint.
   */
  async importJob(job: OutboxJob): Promise<boolean> {
    this.#assertWritable();
    return this.#inKeyTransaction(job.key, async (client) => {
      const open = job.state === "pending" || job.state === "running";
      const { rowCount } = await client.query(
        `INSERT INTO outbox_jobs (id, kind, key, payload, actor, dedupe_key, state, attempts, max_attempts, run_at,
           checkpoint, result, last_error, created_at, updated_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (id) DO NOTHING`,
        [
          job.id,
          job.kind,
          job.key,
          JSON.stringify(job.payload),
          job.actor ?? null,
          job.dedupeKey ?? null,
          open ? "open" : job.state,
          job.attempts,
          job.maxAttempts,
          job.nextRunAt,
          JSON.stringify(job.checkpoint ?? {}),
          job.result === undefined ? null : JSON.stringify(job.result),
          job.lastError ?? null,
          job.createdAt,
          job.updatedAt,
          job.finishedAt ?? null,
        ],
      );
      if (rowCount === 1 && open) await this.#releaseNext(client, job.key);
      return rowCount === 1;
    });
  }

  async get(id: string): Promise<OutboxJob | undefined> {
    this.#assertOpen();
    if (this.#empty) return undefined;
    return this.#find(this.#pool, id);
  }

  async list(filter: ListFilter = {}): Promise<OutboxJob[]> {
    this.#assertOpen();
    if (this.#empty) return [];
    const { rows } = await this.#pool.query<JobRow>(
      `SELECT * FROM (${SELECT_JOBS}) j
       WHERE ($1::text[] IS NULL OR live_state = ANY($1)) AND ($2::text IS NULL OR key = $2) AND ($3::text IS NULL OR kind = $3)
       ORDER BY updated_at DESC, seq DESC LIMIT $4`,
      [filter.states ?? null, filter.key ?? null, filter.kind ?? null, filter.limit ?? null],
    );
    return rows.map(toOutboxJob);
  }

  async counts(): Promise<Record<JobState, number>> {
    this.#assertOpen();
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    if (this.#empty) return counts;
    const { rows } = await this.#pool.query<{ live_state: JobState; n: number }>(
      `SELECT live_state, count(*)::int AS n FROM (${SELECT_JOBS}) j GROUP BY live_state`,
    );
    for (const row of rows) counts[row.live_state] = row.n;
    return counts;
  }

  /**
   * Takes due jobs from pg-boss. Jobs of one key are never due together (only a key's oldest
   * unfinished job is in pg-boss), so busyKeys holds by construction. Due times are the
   * database's clock, not `input.now`: every process compares against the same clock.
   */
  async claimDue(input: ClaimInput): Promise<OutboxJob[]> {
    const attempts = this.#assertWritable();
    if (input.limit <= 0) return [];
    // `wxerp sync`: every waiting attempt is due now, except those already run in this drain.
    if (input.ignoreBackoff) await attempts.makeDueNow([...(input.skipIds ?? [])]);
    const asked = performance.now();
    const fetched = await attempts.fetch(input.limit);
    if (fetched.length === 0) return [];
    const { rows } = await this.#pool.query<JobRow>(
      `SELECT * FROM (${SELECT_JOBS} WHERE o.boss_id = ANY($1::uuid[])) j WHERE live_state = 'running' ORDER BY seq`,
      [fetched.map((job) => job.id)],
    );
    const byBossId = new Map(fetched.map((job) => [job.id, job]));
    const jobs: OutboxJob[] = [];
    for (const row of rows) {
      const bossJob = byBossId.get(row.boss_id ?? "");
      if (!bossJob) continue;
      byBossId.delete(bossJob.id);
      const writeBy = asked + this.#options.leaseSeconds * 1000 * WRITE_WINDOW_SHARE;
      this.#leases.set(row.id, { bossId: bossJob.id, retryCount: bossJob.retryCount, writeBy });
      jobs.push(toOutboxJob(row));
    }
    // An attempt whose record finished meanwhile (a process whose lease had run out): nothing to run.
    if (byBossId.size > 0) await attempts.discard([...byBossId.keys()]);
    return jobs;
  }

  writeWindowLeftMs(id: string): number | undefined {
    const lease = this.#leases.get(id);
    return lease === undefined ? undefined : Math.max(0, lease.writeBy - performance.now());
  }

  async checkpoint(id: string, patch: Record<string, unknown>): Promise<OutboxJob> {
    this.#assertWritable();
    const lease = this.#leases.get(id);
    const { rowCount } = await this.#pool.query(
      `UPDATE outbox_jobs o SET checkpoint = o.checkpoint || $2::jsonb, updated_at = $3
       WHERE o.id = $1 AND o.state = 'open'
         AND ($4::uuid IS NULL OR EXISTS (
           SELECT 1 FROM ${BOSS_SCHEMA}.job b
           WHERE b.name = '${OUTBOX_QUEUE}' AND b.id = $4 AND o.boss_id = b.id AND b.state = 'active' AND b.retry_count = $5))`,
      [id, JSON.stringify(patch), this.#clock().toISOString(), lease?.bossId ?? null, lease?.retryCount ?? 0],
    );
    if (rowCount === 0) await this.#explainRefusal(id, "checkpoint");
    return this.#mustGet(id);
  }

  async complete(id: string, result?: Record<string, unknown>): Promise<void> {
    const attempts = this.#assertWritable();
    const job = await this.#mustGet(id);
    await this.#inKeyTransaction(job.key, async (client) => {
      const bossId = await this.#heldAttempt(client, id, "complete");
      if (bossId) await attempts.complete(client, bossId);
      const now = this.#clock().toISOString();
      await client.query(`UPDATE outbox_jobs SET state = 'done', result = $2, updated_at = $3, finished_at = $3 WHERE id = $1`, [
        id,
        result === undefined ? null : JSON.stringify(result),
        now,
      ]);
      await this.#releaseNext(client, job.key);
    });
    this.#leases.delete(id);
    if (++this.#completions % PRUNE_EVERY === 0) await this.#pruneDone();
  }

  async fail(id: string, error: FailInput, now: Date): Promise<OutboxJob> {
    const attempts = this.#assertWritable();
    const job = await this.#mustGet(id);
    await this.#inKeyTransaction(job.key, async (client) => {
      const bossId = await this.#heldAttempt(client, id, "fail");
      if (bossId) await attempts.cancel(client, bossId);
      const next = afterFailure(job, error, now, this.#options.backoff, this.#options.random);
      if (next.state === "pending") {
        // The next attempt is a new pg-boss job, due after the back-off.
        const nextBossId = await attempts.send(client, next.key, new Date(next.nextRunAt));
        await client.query(
          `UPDATE outbox_jobs SET attempts = $2, last_error = $3, run_at = $4, boss_id = $5, updated_at = $6 WHERE id = $1`,
          [id, next.attempts, next.lastError, next.nextRunAt, nextBossId, next.updatedAt],
        );
        return;
      }
      await client.query(
        `UPDATE outbox_jobs SET state = 'failed', attempts = $2, last_error = $3, updated_at = $4, finished_at = $4 WHERE id = $1`,
        [id, next.attempts, next.lastError, next.updatedAt],
      );
      await this.#releaseNext(client, job.key);
    });
    this.#leases.delete(id);
    return this.#mustGet(id);
  }

  async retryFailed(filter: RetryFilter = {}): Promise<number> {
    this.#assertWritable();
    const { rows } = await this.#pool.query<JobRow>(
      `SELECT * FROM (${SELECT_JOBS}) j
       WHERE live_state = 'failed' AND ($1::uuid[] IS NULL OR id = ANY($1)) AND ($2::text IS NULL OR key = $2) ORDER BY seq`,
      [filter.ids ?? null, filter.key ?? null],
    );
    let retried = 0;
    for (const row of rows) {
      const again = toRetried(toOutboxJob(row), this.#clock());
      const changed = await this.#inKeyTransaction(row.key, async (client) => {
        const { rowCount } = await client.query(
          `UPDATE outbox_jobs SET state = 'open', attempts = 0, run_at = $2, boss_id = NULL, finished_at = NULL, updated_at = $2
           WHERE id = $1 AND (state = 'failed' OR (state = 'open' AND boss_id = $3))`,
          [row.id, again.updatedAt, row.boss_id],
        );
        if (rowCount === 0) return false; // changed by another process meanwhile
        await this.#releaseNext(client, row.key);
        return true;
      });
      if (changed) retried += 1;
    }
    return retried;
  }

  /** Every change is committed before its call resolves. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {
    if (this.#phase === "closed") return;
    this.#phase = "closed";
    // Jobs this process still holds are left to their leases (the worker stopped waiting for them).
    await this.#attempts?.stop();
  }

  /**
   * Hands the key's oldest unfinished job to pg-boss, unless one of its jobs is already there
   * (waiting or running). Runs in the caller's transaction, under the key's lock.
   */
  async #releaseNext(client: PoolClient, key: string): Promise<void> {
    const { rows } = await client.query<{ id: string; boss_id: string | null; boss_state: string | null; run_at: Date }>(
      `SELECT o.id, o.boss_id, b.state AS boss_state, o.run_at FROM outbox_jobs o
       LEFT JOIN ${BOSS_SCHEMA}.job b ON b.name = '${OUTBOX_QUEUE}' AND b.id = o.boss_id
       WHERE o.key = $1 AND o.state = 'open' ORDER BY o.seq`,
      [key],
    );
    if (rows.some((row) => row.boss_state === "created" || row.boss_state === "retry" || row.boss_state === "active")) return;
    const next = rows.find((row) => row.boss_id === null);
    if (!next) return;
    const bossId = await this.#assertWritable().send(client, key, next.run_at);
    await client.query("UPDATE outbox_jobs SET boss_id = $2 WHERE id = $1", [next.id, bossId]);
  }

  /**
   * The pg-boss job of the attempt this process holds, when it still holds it. After a lease
   * expired, another process may be running the job: this one may not record an outcome.
   * A job never claimed (an operator's call) has no attempt running and may be finished.
   */
  async #heldAttempt(client: PoolClient, id: string, action: string): Promise<string | undefined> {
    const { rows } = await client.query<{
      state: string;
      boss_id: string | null;
      boss_state: string | null;
      retry_count: number;
    }>(
      `SELECT o.state, o.boss_id, b.state AS boss_state, b.retry_count FROM outbox_jobs o
       LEFT JOIN ${BOSS_SCHEMA}.job b ON b.name = '${OUTBOX_QUEUE}' AND b.id = o.boss_id
       WHERE o.id = $1 FOR UPDATE OF o`,
      [id],
    );
    const row = rows[0];
    if (!row) throw new OutboxJobNotFoundError(id);
    if (row.state !== "open") throw new OutboxStateError(`cannot ${action} outbox job ${id}: it is already ${row.state}`);
    const lease = this.#leases.get(id);
    if (lease) {
      if (row.boss_id !== lease.bossId || row.boss_state !== "active" || row.retry_count !== lease.retryCount) {
        throw new OutboxLeaseLostError(id, action);
      }
      return lease.bossId;
    }
    if (row.boss_state === "active") throw new OutboxStateError(`cannot ${action} outbox job ${id}: another process runs it`);
    return row.boss_id ?? undefined;
  }

  async #explainRefusal(id: string, action: string): Promise<never> {
    const job = await this.#find(this.#pool, id);
    if (!job) throw new OutboxJobNotFoundError(id);
    if (job.state === "done" || job.state === "failed")
      throw new OutboxStateError(`cannot ${action} outbox job ${id}: it is already ${job.state}`);
    throw new OutboxLeaseLostError(id, action);
  }

  async #inKeyTransaction<T>(key: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      // One writer per key at a time, across processes: enqueue and release see each other.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`wxerp.outbox.key:${key}`]);
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async #find(db: Pick<Pool, "query">, id: string): Promise<OutboxJob | undefined> {
    const { rows } = await db.query<JobRow>(`${SELECT_JOBS} WHERE o.id = $1`, [id]);
    return rows[0] && toOutboxJob(rows[0]);
  }

  async #mustGet(id: string): Promise<OutboxJob> {
    const job = await this.#find(this.#pool, id);
    if (!job) throw new OutboxJobNotFoundError(id);
    return job;
  }

  async #pruneDone(): Promise<void> {
    await this.#pool.query(
      `DELETE FROM outbox_jobs WHERE state = 'done' AND id NOT IN (
         SELECT id FROM outbox_jobs WHERE state = 'done' ORDER BY finished_at DESC LIMIT $1)`,
      [this.#options.keepDone ?? 500],
    );
  }

  #assertOpen(): void {
    if (this.#phase !== "open") throw new OutboxStateError(`the outbox is ${this.#phase === "new" ? "not open yet" : "closed"}`);
  }

  #assertWritable(): BossAttempts {
    this.#assertOpen();
    if (!this.#attempts) throw new OutboxStateError("this outbox was opened read-only");
    return this.#attempts;
  }
}
