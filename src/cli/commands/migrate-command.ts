import { join, resolve } from "node:path";
import { ImportConflictError, type ImportCounts, importLowdbData } from "../../db/import-lowdb.ts";
import { openDatabase } from "../../db/open-database.ts";
import { lockDirectory } from "../../locking/directory-lock.ts";
import { DirectoryInUseError } from "../../locking/errors.ts";
import { createLogger } from "../../logging/logger.ts";
import { createOutbox } from "../../outbox/index.ts";
import { LowdbOutbox } from "../../outbox/lowdb-outbox.ts";
import { PostgresOutbox } from "../../outbox/postgres/postgres-outbox.ts";
import { StoreNotFoundError } from "../../store/errors.ts";
import { LowdbThreadStore } from "../../store/lowdb-thread-store.ts";
import { CliFailure, UsageError } from "../exit.ts";
import { configFromOptions, type GlobalOptions } from "../options.ts";
import { renderTable } from "../table.ts";

/**
 * `wxerp migrate --from <data dir>`: copies a lowdb data directory (threads, contacts, seen
 * message ids, values, outbox jobs with their checkpoints) into the PostgreSQL database of
 * WXERP_DATABASE_URL, then prints what it copied. Safe to run again: what the database has
 * already is left as it is there. The bot must be stopped on that directory (its lock is taken).
 */
export async function runMigrate(options: GlobalOptions & { from: string; json: boolean }): Promise<void> {
  const config = configFromOptions(options, []);
  const url = config.secrets.databaseUrl;
  if (!url) throw new UsageError("wxerp migrate copies a data directory into PostgreSQL: set WXERP_DATABASE_URL first");
  const from = resolve(options.from);
  const logger = createLogger({ level: config.log.level, stderrLevel: config.log.level === "silent" ? "silent" : "warn" });

  await refuseWithoutStore(from, config.wechat);
  let lock: Awaited<ReturnType<typeof lockDirectory>>;
  try {
    lock = await lockDirectory(from, { what: "the data directory", logger });
  } catch (error) {
    if (error instanceof DirectoryInUseError)
      throw new CliFailure(`${from} is in use by another wxerp process: stop the bot on it first, then run wxerp migrate again`);
    throw error;
  }
  const database = await openDatabase(url, logger).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  const source = {
    store: new LowdbThreadStore({ ...storeOptions(from, config.wechat), readOnly: true, logger }),
    outbox: new LowdbOutbox({ dir: join(from, "outbox"), backoff: { baseMs: 1, maxMs: 1 }, readOnly: true, logger }),
  };
  const target = createOutbox(config, { logger, pool: database.pool });
  try {
    await source.store.open();
    await source.outbox.open();
    await target.open();
    if (!(target instanceof PostgresOutbox)) throw new Error("the outbox on PostgreSQL was expected");
    const counts = await importLowdbData(
      database.pool,
      { store: source.store.exportRecords(), outbox: source.outbox },
      { outbox: target },
    );
    print(counts, { from, into: database.where, json: options.json });
  } catch (error) {
    if (error instanceof ImportConflictError) throw new CliFailure(error.message);
    throw error;
  } finally {
    await target.close().catch(() => undefined);
    await source.outbox.close().catch(() => undefined);
    await source.store.close().catch(() => undefined);
    await database.close();
    await lock.release();
  }
}

function storeOptions(from: string, wechat: { historyPerThread: number; dedupeCapacity: number }) {
  return { dir: join(from, "store"), historyPerThread: wechat.historyPerThread, dedupeCapacity: wechat.dedupeCapacity };
}

/** A typo'd path is refused before anything is locked or created there. */
async function refuseWithoutStore(from: string, wechat: { historyPerThread: number; dedupeCapacity: number }): Promise<void> {
  const probe = new LowdbThreadStore({ ...storeOptions(from, wechat), readOnly: true });
  try {
    await probe.open();
  } catch (error) {
    if (error instanceof StoreNotFoundError)
      throw new UsageError(`no wxerp data in ${from}: --from names the bot's data directory`);
    throw error;
  } finally {
    await probe.close();
  }
}

function print(counts: ImportCounts, where: { from: string; into: string; json: boolean }): void {
  if (where.json) {
    process.stdout.write(`${JSON.stringify({ from: where.from, into: where.into, ...counts })}\n`);
    return;
  }
  const row = (what: string, c: { imported: number; present: number }) => [what, String(c.imported), String(c.present)];
  const jobs = counts.outboxJobs.byState;
  process.stdout.write(
    [
      `migrated ${where.from} into ${where.into}`,
      renderTable(
        ["", "imported", "already there"],
        [
          row("contacts", counts.contacts),
          row("threads", counts.threads),
          row("seen message ids", counts.seenIds),
          row("values", counts.values),
          row("outbox jobs", counts.outboxJobs),
        ],
      ),
      `outbox jobs imported: ${jobs.pending + jobs.running} to run (${jobs.running} were running and resume from their checkpoint), ${jobs.failed} failed, ${jobs.done} done`,
      `next local customer number: ${counts.nextLocalNo}`,
      "",
    ].join("\n"),
  );
}
