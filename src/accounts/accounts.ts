import type { AppConfig } from "../config/schema.ts";

/**
 * One salesperson's WeChat account as the process runs it. A configuration without
 * `wechat.accounts` is one implicit account (id `default`) built from the single-account keys.
 */
export interface WechatAccount {
  id: string;
  /** The salesperson's ERP user id (assignment.mode owner); absent for the implicit account. */
  erpUser?: string;
  controlChat: string;
  /** The puppet-service gateway token (from the environment) and host:port. */
  token?: string;
  endpoint?: string;
  /**
   * The first account. Its threads, contacts and seen message ids keep the bare WeChat ids
   * as keys, so a data directory written by a single-account wxerp goes on meaning this account.
   */
  isDefault: boolean;
}

export const IMPLICIT_ACCOUNT_ID = "default";

/** The accounts this process logs in: the team's, narrowed by wechat.runAccounts. */
export function accountsOf(config: Pick<AppConfig, "wechat" | "commands" | "secrets">): WechatAccount[] {
  const run = config.wechat.runAccounts;
  const team = teamAccountsOf(config);
  return run ? team.filter((account) => run.includes(account.id)) : team;
}

/**
 * Every account of the team, in the order wechat.accounts lists them: also those another
 * process logs in (a job it queued may run here, and the first account keys its data alike
 * in every process).
 */
export function teamAccountsOf(config: Pick<AppConfig, "wechat" | "commands" | "secrets">): WechatAccount[] {
  const listed = config.wechat.accounts;
  if (!listed) {
    const { puppetToken, puppetEndpoint } = config.secrets;
    return [
      {
        id: IMPLICIT_ACCOUNT_ID,
        controlChat: config.commands.controlChat,
        ...(puppetToken ? { token: puppetToken } : {}),
        ...(puppetEndpoint ? { endpoint: puppetEndpoint } : {}),
        isDefault: true,
      },
    ];
  }
  return listed.map((entry, index) => {
    const token = config.secrets.accountTokens?.[entry.id];
    return {
      id: entry.id,
      erpUser: entry.erpUser,
      controlChat: entry.controlChat ?? config.commands.controlChat,
      ...(token ? { token } : {}),
      ...(entry.endpoint ? { endpoint: entry.endpoint } : {}),
      isDefault: index === 0,
    };
  });
}

/** The account a thread's conversation is on: threads without an `account` are the default account's. */
export function accountOfThread(
  config: Pick<AppConfig, "wechat" | "commands" | "secrets">,
  thread: { account?: string | undefined },
): WechatAccount {
  const accounts = teamAccountsOf(config);
  return accounts.find((a) => a.id === thread.account) ?? accounts[0]!;
}

/**
 * The id of the account a thread is on, as the team sees it: on a shared database a thread of
 * an account this configuration does not list (another process runs it) keeps its own id.
 */
export function accountIdOfThread(
  config: Pick<AppConfig, "wechat" | "commands" | "secrets">,
  thread: { account?: string | undefined },
): string {
  const accounts = teamAccountsOf(config);
  if (thread.account !== undefined && !accounts.some((a) => a.id === thread.account)) return thread.account;
  return accountOfThread(config, thread).id;
}

/**
 * Store keys of an account's contacts, threads, seen ids and values. The default account
 * keeps the WeChat ids themselves; another account's are `<account>:<id>`, so one customer
 * chatting with two salespeople is two threads. Idempotent: a key already scoped stays as is.
 */
export function accountKey(account: Pick<WechatAccount, "id" | "isDefault">, id: string): string {
  if (account.isDefault) return id;
  const prefix = `${account.id}:`;
  return id.startsWith(prefix) ? id : `${prefix}${id}`;
}

/** The WeChat id behind an account's store key. */
export function wechatIdOf(account: Pick<WechatAccount, "id" | "isDefault">, key: string): string {
  const prefix = `${account.id}:`;
  return !account.isDefault && key.startsWith(prefix) ? key.slice(prefix.length) : key;
}
