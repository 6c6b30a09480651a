import type { AccountSession } from "../app/account-sessions.ts";
import type { Pool } from "../db/pool.ts";

/** How often a running process confirms its accounts' rows. */
export const SESSION_HEARTBEAT_MS = 15_000;
/**
 * A row not confirmed for this long belongs to a process that died (SIGKILL, lost machine):
 * its accounts are shown as not running. Four missed heartbeats, so a busy database or a
 * long garbage collection does not flap the state.
 */
export const SESSION_STALE_SECONDS = 60;

/** An account's login as the team's database holds it. */
export interface TeamAccountSession extends AccountSession {
  /** The process running it (host:data directory) and its pid. */
  node: string;
  pid: number;
  heartbeatAt: string;
  /** False when the process stopped or its heartbeat is stale: the account is not served. */
  running: boolean;
}

/**
 * This process's accounts' login state in table wechat_account_sessions (one row per account
 * id: an account is run by one process at a time, the gateway refuses a second). Each write
 * is also the heartbeat; a stopped process writes its accounts logged out.
 */
export async function writeTeamSessions(
  pool: Pool,
  node: string,
  sessions: readonly AccountSession[],
  stopped: boolean,
): Promise<void> {
  for (const s of sessions) {
    await pool.query(
      `INSERT INTO wechat_account_sessions
         (account, erp_user, control_chat, logged_in, self_id, login_at, node, pid, running, heartbeat_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, now(), $9)
       ON CONFLICT (account) DO UPDATE SET erp_user = EXCLUDED.erp_user, control_chat = EXCLUDED.control_chat,
         logged_in = EXCLUDED.logged_in, self_id = EXCLUDED.self_id, login_at = EXCLUDED.login_at, node = EXCLUDED.node,
         pid = EXCLUDED.pid, running = EXCLUDED.running, heartbeat_at = now(), updated_at = EXCLUDED.updated_at`,
      [
        s.id,
        s.erpUser ?? null,
        s.controlChat,
        s.loggedIn,
        s.selfId ?? null,
        s.loginAt ?? null,
        node,
        process.pid,
        s.updatedAt,
        !stopped,
      ],
    );
  }
}

interface Row {
  account: string;
  erp_user: string | null;
  control_chat: string;
  logged_in: boolean;
  self_id: string | null;
  login_at: Date | null;
  node: string;
  pid: number;
  running: boolean;
  heartbeat_at: Date;
  updated_at: Date;
  fresh: boolean;
}

/** Every account of the team, by id; staleness is judged on the database's clock (hosts' clocks may differ). */
export async function readTeamSessions(pool: Pool): Promise<TeamAccountSession[]> {
  const { rows } = await pool.query<Row>(
    `SELECT *, heartbeat_at > now() - make_interval(secs => $1) AS fresh FROM wechat_account_sessions ORDER BY account`,
    [SESSION_STALE_SECONDS],
  );
  return rows.map((row) => {
    const running = row.fresh && row.running;
    const loggedIn = running && row.logged_in;
    return {
      id: row.account,
      ...(row.erp_user ? { erpUser: row.erp_user } : {}),
      controlChat: row.control_chat,
      // A dead process's accounts are not logged in any more, whatever it last wrote.
      loggedIn,
      ...(loggedIn && row.self_id ? { selfId: row.self_id } : {}),
      ...(loggedIn && row.login_at ? { loginAt: row.login_at.toISOString() } : {}),
      updatedAt: row.updated_at.toISOString(),
      node: row.node,
      pid: row.pid,
      heartbeatAt: row.heartbeat_at.toISOString(),
      running,
    };
  });
}
