import type { Pool, PoolClient } from "pg";
import PgBoss from "pg-boss";
import type { Logger } from "../../logging/logger.ts";
import { OutboxStateError } from "../errors.ts";
import { BOSS_SCHEMA, OUTBOX_QUEUE } from "./job-rows.ts";

export interface BossAttemptsOptions {
  /** sync.leaseSeconds: pg-boss's expireInSeconds for each attempt. */
  leaseSeconds: number;
  /** sync.leaseCheckSeconds: pg-boss's maintenance (expired leases) interval. */
  leaseCheckSeconds: number;
  /** Lease expiries one attempt may have before pg-boss gives it up. */
  leaseExpiries: number;
}

/**
 * The attempts of outbox jobs as pg-boss jobs on the OUTBOX_QUEUE: pg-boss hands each one to one
 * process with a lease and puts it back when the holder dies. Only this file knows pg-boss;
 * postgres-outbox.ts decides which attempt exists when. Calls given a client run in that
 * client's transaction.
 */
export class BossAttempts {
  private constructor(
    private readonly boss: PgBoss,
    private readonly pool: Pool,
    private readonly options: BossAttemptsOptions,
  ) {}

  static async start(pool: Pool, options: BossAttemptsOptions, logger: Logger): Promise<BossAttempts> {
    const boss = new PgBoss({
      db: { executeSql: (text, values) => pool.query(text, values) },
      schema: BOSS_SCHEMA,
      migrate: true,
      supervise: true,
      schedule: false,
      maintenanceIntervalSeconds: options.leaseCheckSeconds,
    });
    boss.on("error", (error) => logger.error({ err: error }, "outbox: pg-boss maintenance failed; it tries again"));
    await oneStartAtATime(pool, async () => {
      await boss.start();
      await boss.createQueue(OUTBOX_QUEUE, { name: OUTBOX_QUEUE, policy: "standard" });
    });
    return new BossAttempts(boss, pool, options);
  }

  /** A new attempt for `key`, due at `startAfter`; returns its pg-boss id. */
  async send(client: PoolClient, key: string, startAfter: Date): Promise<string> {
    const bossId = await this.boss.send(
      OUTBOX_QUEUE,
      { key },
      {
        startAfter,
        expireInSeconds: this.options.leaseSeconds,
        // pg-boss retries only what a lease expiry interrupted; failures are retried by the outbox.
        retryLimit: this.options.leaseExpiries,
        retryDelay: 0,
        // A job waiting out a long ERP outage must not be archived as stale.
        retentionDays: 365,
        db: adapter(client),
      },
    );
    if (!bossId) throw new OutboxStateError(`pg-boss refused a job for key ${key}`);
    return bossId;
  }

  /** Takes up to `limit` due attempts, each with the lease expiries it had (retryCount). */
  async fetch(limit: number): Promise<Array<{ id: string; retryCount: number }>> {
    const fetched = await this.boss.fetch(OUTBOX_QUEUE, { batchSize: limit, includeMetadata: true });
    return fetched.map((job) => ({ id: job.id, retryCount: job.retryCount }));
  }

  /**
   * `wxerp sync`: every waiting attempt of an open job is due now, except the jobs given.
   * pg-boss has no call for "due now"; its start_after column is what its fetch reads.
   */
  async makeDueNow(exceptJobIds: readonly string[]): Promise<void> {
    await this.pool.query(
      `UPDATE ${BOSS_SCHEMA}.job b SET start_after = now() FROM outbox_jobs o
       WHERE b.name = $1 AND b.id = o.boss_id AND o.state = 'open' AND b.state IN ('created', 'retry')
         AND b.start_after > now() AND NOT (o.id = ANY($2::uuid[]))`,
      [OUTBOX_QUEUE, [...exceptJobIds]],
    );
  }

  /** Finished, in the caller's transaction. */
  async complete(client: PoolClient, bossId: string): Promise<void> {
    await this.boss.complete(OUTBOX_QUEUE, bossId, {}, { db: adapter(client) });
  }

  /** Fetched attempts with nothing left to run (their job finished meanwhile). */
  async discard(bossIds: string[]): Promise<void> {
    await this.boss.complete(OUTBOX_QUEUE, bossIds);
  }

  /** Ended without success (the outbox decides about a next attempt). */
  async cancel(client: PoolClient, bossId: string): Promise<void> {
    await this.boss.cancel(OUTBOX_QUEUE, bossId, { db: adapter(client) });
  }

  /** Attempts this process still holds are left to their leases. */
  async stop(): Promise<void> {
    await this.boss.stop({ graceful: false, close: false, wait: true });
  }
}

/**
 * Processes starting together on a new database would both create pg-boss's schema (its
 * CREATE SCHEMA runs before its own migration lock): the starts take turns on a session lock.
 */
async function oneStartAtATime(pool: Pool, start: () => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended('wxerp.outbox.start', 0))");
    try {
      await start();
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtextextended('wxerp.outbox.start', 0))");
    }
  } finally {
    client.release();
  }
}

/** pg-boss runs its statements on this connection: inside the caller's transaction. */
function adapter(client: PoolClient): PgBoss.Db {
  return { executeSql: (text, values) => client.query(text, values) };
}
