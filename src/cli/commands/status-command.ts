import { Registry } from "prom-client";
import { accountOfThread, accountsOf } from "../../accounts/accounts.ts";
import { readAccountSessions } from "../../app/account-sessions.ts";
import { readMonitoringSnapshot } from "../../app/monitoring-file.ts";
import type { AppConfig } from "../../config/schema.ts";
import { type Database, openDatabase } from "../../db/open-database.ts";
import { createLogger } from "../../logging/logger.ts";
import { mergeSnapshots } from "../../monitoring/merge-snapshots.ts";
import { DAY, HOUR, Monitoring } from "../../monitoring/monitoring.ts";
import { readAllSnapshots } from "../../monitoring/postgres-snapshots.ts";
import { createOutbox, type Outbox } from "../../outbox/index.ts";
import { maskText } from "../../privacy/mask.ts";
import { createPostgresThreadStore, createThreadStore } from "../../store/create-store.ts";
import { StoreNotFoundError } from "../../store/errors.ts";
import { DatabaseStoreNotFoundError } from "../../store/postgres-thread-store.ts";
import type { Thread, ThreadStore } from "../../store/types.ts";
import { UsageError } from "../exit.ts";
import { configFromOptions, type GlobalOptions } from "../options.ts";
import { renderTable } from "../table.ts";

/**
 * `wxerp status`: threads, scores, sync states, the outbox and the figures,
 * read from the data directory. Read-only, safe beside a running bot: it takes no lock and
 * creates, writes or removes nothing (not even a log file; warnings go to stderr).
 */
export async function runStatus(options: GlobalOptions & { json: boolean; account?: string }): Promise<void> {
  // Reads the data directory only: no secret is needed.
  const config = configFromOptions(options, []);
  const accounts = accountsOf(config);
  if (options.account !== undefined && !accounts.some((a) => a.id === options.account)) {
    throw new UsageError(
      `--account ${options.account}: no such WeChat account (wechat.accounts has ${accounts.map((a) => a.id).join(", ")})`,
    );
  }
  const { store, outbox, database } = await openReadOnly(config);
  try {
    const shown = (thread: Thread) => options.account === undefined || accountOfThread(config, thread).id === options.account;
    const threads = (await store.listThreads()).filter(shown);
    const threadIds = new Set(threads.map((t) => t.id));
    threads.sort((a, b) => (b.lastMessageAt ?? "").localeCompare(a.lastMessageAt ?? ""));
    const rows = await Promise.all(
      threads.map(async (t) => {
        const contact = await store.getContact(t.contactId);
        return {
          contact: contact?.alias || contact?.name || t.id,
          account: accountOfThread(config, t).id,
          score: t.score ?? null,
          sync: t.syncState ?? "none",
          khid: t.erp?.khid ?? "",
          ord: t.erp?.ord ?? "",
          owner: t.erp ? (t.erp.public ? "public" : (t.erp.owners ?? []).join(",")) : "",
          failedChecks: t.admission?.failed ?? [],
          followups: t.erp?.followups ?? 0,
          error: t.lastError ? maskText(t.lastError) : "",
        };
      }),
    );
    const counts = await outbox.counts();
    const jobs = (await outbox.list({ states: ["pending", "running", "failed"] }))
      .filter((job) => options.account === undefined || threadIds.has(job.key))
      .slice(0, 50);
    const sessions = await readAccountSessions(config.dataDir);
    const accountRows = accounts
      .filter((a) => options.account === undefined || a.id === options.account)
      .map((a) => {
        const seen = sessions?.find((s) => s.id === a.id);
        return {
          id: a.id,
          erpUser: a.erpUser ?? null,
          controlChat: a.controlChat,
          // Unknown: the bot never wrote its login state here (not run since, or an older version).
          loggedIn: seen ? seen.loggedIn : null,
          selfId: seen?.selfId ?? null,
          asOf: seen?.updatedAt ?? null,
        };
      });
    // On PostgreSQL: the team's figures, every process's added up.
    const saved = database ? mergeSnapshots(await readAllSnapshots(database.pool)) : await readMonitoringSnapshot(config.dataDir);
    const monitoring = new Monitoring(new Registry(), Date.now, saved);
    const figures = {
      syncSuccessRateLastHour: monitoring.successRate(HOUR) ?? null,
      avgErpLatencyMsLastHour: monitoring.avgErpLatencyMs(HOUR) ?? null,
      erpFailuresLastHour: monitoring.count("erpFailures", HOUR),
      duplicatesToday: monitoring.count("duplicates", DAY),
      reloginsLastHour: monitoring.count("relogins", HOUR),
      llmCallsToday: monitoring.sum("llmCalls", DAY),
    };
    if (options.json) {
      const source = database ? { database: database.where } : {};
      process.stdout.write(
        `${JSON.stringify({ dataDir: config.dataDir, ...source, accounts: accountRows, threads: rows, outbox: { counts, jobs }, figures })}\n`,
      );
      return;
    }
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(database ? `data: ${database.where} (PostgreSQL)` : `data: ${config.dataDir}`);
    out(`\nWeChat accounts (${accountRows.length})`);
    out(
      renderTable(
        ["account", "ERP user", "control chat", "logged in", "as", "as of"],
        accountRows.map((a) => [
          a.id,
          a.erpUser ?? "",
          a.controlChat,
          a.loggedIn === null ? "unknown" : a.loggedIn ? "yes" : "no",
          a.selfId ?? "",
          a.asOf ?? "",
        ]),
      ),
    );
    const several = accounts.length > 1;
    out(`\nthreads (${rows.length})${options.account ? ` of account ${options.account}` : ""}`);
    out(
      renderTable(
        [
          ...(several ? ["account"] : []),
          "contact",
          "score",
          "sync",
          "khid",
          "ord",
          "owner",
          "follow-ups",
          "not admitted because",
          "last error",
        ],
        rows.map((r) => [
          ...(several ? [r.account] : []),
          r.contact,
          r.score === null ? "–" : String(r.score),
          r.sync,
          r.khid,
          r.ord,
          r.owner,
          String(r.followups),
          r.failedChecks.join(","),
          r.error.slice(0, 50),
        ]),
      ),
    );
    // The outbox is shared by the accounts: its counts are the process's; the jobs listed are the account's.
    out(
      `\noutbox${options.account ? " (all accounts)" : ""}: ${counts.pending} pending, ${counts.running} running, ${counts.failed} failed, ${counts.done} recently done`,
    );
    if (jobs.length > 0) {
      out(
        renderTable(
          ["job", "kind", "contact", "state", "attempts", "next run", "error"],
          jobs.map((j) => [
            j.id,
            j.kind,
            j.key,
            j.state,
            String(j.attempts),
            j.state === "pending" ? j.nextRunAt : "",
            maskText(j.lastError ?? "").slice(0, 60),
          ]),
        ),
      );
    }
    const pct = (v: number | null) => (v === null ? "–" : `${Math.round(v * 100)}%`);
    out(
      `\nfigures: sync success ${pct(figures.syncSuccessRateLastHour)} (last hour) · ERP latency ${figures.avgErpLatencyMsLastHour === null ? "–" : `${Math.round(figures.avgErpLatencyMsLastHour)} ms`} · ERP failures ${figures.erpFailuresLastHour}/h · duplicates ${figures.duplicatesToday} today · re-logins ${figures.reloginsLastHour}/h · LLM calls ${figures.llmCallsToday} today`,
    );
  } finally {
    await outbox.close();
    await store.close();
    await database?.close();
  }
}

/** The store and the outbox, read-only; a directory or database without wxerp data is a usage error (exit 2). */
async function openReadOnly(config: AppConfig): Promise<{ store: ThreadStore; outbox: Outbox; database?: Database }> {
  const quiet = config.log.level === "silent";
  const logger = createLogger({ level: config.log.level, stderrLevel: quiet ? "silent" : "warn" });
  const url = config.secrets.databaseUrl;
  // Reading only: the schema is not migrated (an older bot may still be running on it).
  const database = url ? await openDatabase(url, logger, { migrate: false }) : undefined;
  const store = database
    ? createPostgresThreadStore(config, database.pool, logger, { readOnly: true })
    : createThreadStore(config, logger, { readOnly: true });
  try {
    await store.open();
  } catch (error) {
    await database?.close();
    if (error instanceof StoreNotFoundError) {
      throw new UsageError(`no wxerp data in ${config.dataDir}: check --data or WXERP_DATA_DIR`);
    }
    if (error instanceof DatabaseStoreNotFoundError) {
      throw new UsageError(`no wxerp data in the database ${database?.where}: check WXERP_DATABASE_URL`);
    }
    throw error;
  }
  const outbox = createOutbox(config, { logger, readOnly: true, ...(database ? { pool: database.pool } : {}) });
  try {
    await outbox.open();
  } catch (error) {
    await store.close();
    await database?.close();
    throw error;
  }
  return { store, outbox, ...(database ? { database } : {}) };
}
