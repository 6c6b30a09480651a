/**
 * A team spreads its WeChat accounts over processes: every process gets the same
 * wechat.accounts (the same order) and runs its own part of it (wechat.runAccounts or
 * WXERP_RUN_ACCOUNTS). Two apps on one PostgreSQL database and one ERP (the emulator over
 * HTTP), 王's account on one and 李's on the other: each customer goes to the ERP user of the
 * account it chats with, and each account keys its conversations as every process does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { accountOfThread, accountsOf } from "../../src/accounts/accounts.ts";
import { ConfigError } from "../../src/config/errors.ts";
import { loadConfig } from "../../src/config/load.ts";
import { HOT, HOT_MOBILE, WARM } from "../erp-plugin/conversations.ts";
import { type AppFixture, startAppFixture } from "../support/app-fixture.ts";
import { usePostgresDatabase } from "../support/postgres.ts";

const ACCOUNTS = [
  { id: "wang", erpUser: "123", tokenEnv: "WXERP_TOKEN_WANG", endpoint: "10.0.0.5:8788" },
  { id: "li", erpUser: "456", tokenEnv: "WXERP_TOKEN_LI", endpoint: "10.0.0.6:8788" },
];
const db = usePostgresDatabase();

describe("the accounts a process runs", () => {
  it("only the accounts run here log in and need a token; the team's list still names every owner", () => {
    const config = loadConfig({
      overrides: { wechat: { puppet: "service", accounts: ACCOUNTS }, assignment: { mode: "owner" } },
      env: { WXERP_RUN_ACCOUNTS: "li", WXERP_TOKEN_LI: "puppet_token_li" },
    });
    expect(accountsOf(config).map((a) => a.id)).toEqual(["li"]);
    // A job another process queued for 王's customer (no account on the thread) still finds 王's ERP user.
    expect(accountOfThread(config, {}).erpUser).toBe("123");
    expect(accountOfThread(config, { account: "li" }).erpUser).toBe("456");
  });

  it("an account that is not in wechat.accounts is refused, naming the key", () => {
    const load = () => loadConfig({ overrides: { wechat: { accounts: ACCOUNTS, runAccounts: ["li", "zhao"] } }, env: {} });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow("wechat.runAccounts.1: zhao is not in wechat.accounts (listed: wang, li)");
    expect(() => loadConfig({ overrides: { wechat: { runAccounts: ["li"] } }, env: {} })).toThrow(
      "wechat.runAccounts names accounts of wechat.accounts, which is not set",
    );
  });
});

describe("two processes, each running its part of the team's accounts", { timeout: 240_000 }, () => {
  let erp: RunningEmulator;
  let onWang: AppFixture;
  let onLi: AppFixture;
  const team = (run: string) => ({
    wechat: { accounts: ACCOUNTS.map(({ id, erpUser }) => ({ id, erpUser })), runAccounts: [run] },
    assignment: { mode: "owner" },
  });

  beforeAll(async () => {
    erp = await startEmulator({ port: 0 });
    const env = { WXERP_DATABASE_URL: db.url };
    onWang = await startAppFixture({ config: team("wang"), env, erpUrl: erp.url });
    onLi = await startAppFixture({ config: team("li"), env, erpUrl: erp.url });
  }, 240_000);
  afterAll(async () => {
    await onWang?.stop();
    await onLi?.stop();
    await erp?.close();
  }, 240_000);

  it("each customer goes to the salesperson whose account it chats with, under that account's key", async () => {
    expect(onLi.app.accounts.map((a) => a.account.id)).toEqual(["li"]);
    await onWang.replay([{ ...HOT, account: "wang" }]);
    await onLi.replay([{ ...WARM, account: "li" }]);

    const customers = erp.snapshot().customers;
    const zhang = customers.find((c) => c.mobile === HOT_MOBILE);
    expect(zhang?.owners).toEqual(["123"]);
    // 李's process keys 李's conversation as every process of the team does, not as its first account's.
    const liThread = await onWang.app.store.getThread(`li:${WARM.contact.id}`);
    expect(liThread).toMatchObject({ account: "li" });
    expect(customers.find((c) => c.ord === liThread?.erp?.ord)?.owners).toEqual(["456"]);
    expect(await onWang.app.store.getThread(WARM.contact.id)).toBeUndefined();
    expect(customers.filter((c) => c.mobile === HOT_MOBILE)).toHaveLength(1);
  });
});
