import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AccountWiring } from "./account-wiring.ts";

/** One account's WeChat login as the running bot last saw it. */
export interface AccountSession {
  id: string;
  erpUser?: string;
  controlChat: string;
  loggedIn: boolean;
  /** The salesperson's WeChat id once logged in. */
  selfId?: string;
  loginAt?: string;
  /** When the bot wrote this (a stopped bot writes loggedIn false). */
  updatedAt: string;
}

/**
 * Which accounts are logged in, for `wxerp status` (which reads the data directory of a
 * running or stopped bot and never asks the bot): written at every login and logout and
 * at stop, atomically, like the figures.
 */
export function accountSessionsFile(dataDir: string): string {
  return join(dataDir, "wechat-accounts.json");
}

export async function readAccountSessions(dataDir: string): Promise<AccountSession[] | undefined> {
  try {
    return JSON.parse(await readFile(accountSessionsFile(dataDir), "utf8")) as AccountSession[];
  } catch {
    // Missing (a bot that never ran with this version) or unreadable: status says unknown.
    return undefined;
  }
}

export function accountSessions(wirings: readonly AccountWiring[], now: Date, stopped = false): AccountSession[] {
  return wirings.map(({ account, runtime }) => {
    const status = runtime?.status();
    const loggedIn = !stopped && runtime !== undefined && runtime.isLoggedIn();
    return {
      id: account.id,
      ...(account.erpUser ? { erpUser: account.erpUser } : {}),
      controlChat: account.controlChat,
      loggedIn,
      ...(loggedIn && status?.selfId ? { selfId: status.selfId } : {}),
      ...(loggedIn && status?.loginAt ? { loginAt: status.loginAt.toISOString() } : {}),
      updatedAt: now.toISOString(),
    };
  });
}

export async function writeAccountSessions(dataDir: string, sessions: AccountSession[]): Promise<void> {
  const file = accountSessionsFile(dataDir);
  // Each writer its own temporary file: two quick session events must not rename each other's.
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, JSON.stringify(sessions));
  await rename(temporary, file);
}
