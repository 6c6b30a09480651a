import { Registry } from "prom-client";
import { accountIdOfThread, teamAccountsOf, type WechatAccount } from "../../accounts/accounts.ts";
import { readTeamSessions, type TeamAccountSession } from "../../accounts/postgres-sessions.ts";
import { type AccountSession, readAccountSessions } from "../../app/account-sessions.ts";
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
  // The team's accounts, also those another process logs in.
  const accounts = teamAccountsOf(config);
  const known = (id: string) => accounts.some((a) => a.id === id);
  const refuse = () =>
    new UsageError(
      `--account ${options.account}: no such WeChat account (wechat.accounts has ${accounts.map((a) => a.id).join(", ")})`,
    );
  // Without a database only this configuration's accounts exist; on PostgreSQL the team's do too (checked below).
  if (options.account !== undefined && !known(options.account) && !config.secrets.databaseUrl) throw refuse();
  const { store, outbox, database } = await openReadOnly(config);
  try {
    const accountRows = await accountStates(config, accounts, database, options.account);
    if (options.account !== undefined && accountRows.length === 0) throw refuse();
    const accountIdOf = (thread: Thread) => accountIdOfThread(config, thread);
    const shown = (thread: Thread) => options.account === undefined || accountIdOf(thread) === options.account;
    const threads = (await store.listThreads()).filter(shown);
    const threadIds = new Set(threads.map((t) => t.id));
    threads.sort((a, b) => (b.lastMessageAt ?? "").localeCompare(a.lastMessageAt ?? ""));
    const rows = await Promise.all(
      threads.map(async (t) => {
        const contact = await store.getContact(t.contactId);
        return {
          contact: contact?.alias || contact?.name || t.id,
          account: accountIdOf(t),
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
        ["account", "ERP user", "control chat", "logged in", "as", "as of", ...(database ? ["process"] : [])],
        accountRows.map((a) => [
          a.id,
          a.erpUser ?? "",
          a.controlChat,
          a.loggedIn === null ? "unknown" : a.loggedIn ? "yes" : "no",
          a.selfId ?? "",
          a.asOf ?? "",
          ...(database
            ? [a.process ? `${a.process.node} (pid ${a.process.pid})${a.process.running ? "" : " not running"}` : ""]
            : []),
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

interface AccountRow {
  id: string;
  erpUser: string | null;
  controlChat: string;
  /** Null: unknown (the bot never wrote its login state: not run since, or an older version). */
  loggedIn: boolean | null;
  selfId: string | null;
  asOf: string | null;
  /** On PostgreSQL: the process that runs (or ran) the account. */
  process?: { node: string; pid: number; running: boolean; heartbeatAt: string };
}

/**
 * Each account's login. On PostgreSQL: every account of the team, from the database, whichever
 * process runs it (this configuration's accounts first, then the others); a process whose
 * heartbeat is stale shows its accounts as not running. Otherwise the data directory's file.
 */
async function accountStates(
  config: AppConfig,
  accounts: WechatAccount[],
  database: Database | undefined,
  only: string | undefined,
): Promise<AccountRow[]> {
  const fromFile = database ? undefined : await readAccountSessions(config.dataDir);
  const team = database ? await readTeamSessions(database.pool).catch(noTableYet) : [];
  const seen = (id: string): AccountSession | TeamAccountSession | undefined =>
    database ? team.find((s) => s.id === id) : fromFile?.find((s) => s.id === id);
  const row = (id: string, erpUser: string | undefined, controlChat: string): AccountRow => {
    const s = seen(id);
    const process = s && "node" in s ? { node: s.node, pid: s.pid, running: s.running, heartbeatAt: s.heartbeatAt } : undefined;
    return {
      id,
      erpUser: erpUser ?? s?.erpUser ?? null,
      controlChat,
      loggedIn: s ? s.loggedIn : null,
      selfId: s?.selfId ?? null,
      asOf: s?.updatedAt ?? null,
      ...(process ? { process } : {}),
    };
  };
  const configured = accounts.map((a) => row(a.id, a.erpUser, a.controlChat));
  const others = team.filter((s) => !accounts.some((a) => a.id === s.id)).map((s) => row(s.id, s.erpUser, s.controlChat));
  return [...configured, ...others].filter((a) => only === undefined || a.id === only);
}

/** A database whose schema predates the accounts' table (status does not migrate): no login state known. */
function noTableYet(error: unknown): TeamAccountSession[] {
  if ((error as { code?: string }).code === "42P01") return [];
  throw error;
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
