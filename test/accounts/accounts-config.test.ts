import { describe, expect, it } from "vitest";
import { accountIdOfThread, accountsOf } from "../../src/accounts/accounts.ts";
import { loadConfig } from "../../src/config/load.ts";
import { thrown } from "../support/thrown.ts";

/** wechat.accounts and assignment.mode as a team writes them, and the errors that name what to fix. */
const load = (overrides: Record<string, unknown>, env: Record<string, string> = {}) =>
  loadConfig({ withoutDefaultFile: true, env, overrides });

const TEAM = [
  { id: "wang", erpUser: "123", tokenEnv: "WXERP_TOKEN_WANG", endpoint: "10.0.0.5:8788" },
  { id: "li", erpUser: 456, tokenEnv: "WXERP_TOKEN_LI", endpoint: "10.0.0.6:8788", controlChat: "wxid_li_notes" },
];

describe("wechat.accounts", () => {
  it("reads each token from the variable its tokenEnv names; the first account is the default", () => {
    const config = load(
      { wechat: { puppet: "service", accounts: TEAM }, assignment: { mode: "owner" } },
      { WXERP_TOKEN_WANG: "puppet_padlocal_wang", WXERP_TOKEN_LI: "puppet_padlocal_li" },
    );
    expect(accountsOf(config)).toEqual([
      {
        id: "wang",
        erpUser: "123",
        controlChat: "filehelper",
        token: "puppet_padlocal_wang",
        endpoint: "10.0.0.5:8788",
        isDefault: true,
      },
      {
        id: "li",
        erpUser: "456",
        controlChat: "wxid_li_notes",
        token: "puppet_padlocal_li",
        endpoint: "10.0.0.6:8788",
        isDefault: false,
      },
    ]);
  });

  it("a missing token variable is an error naming the variable, the account and the key", () => {
    const error = thrown(() =>
      load({ wechat: { puppet: "service", accounts: TEAM } }, { WXERP_TOKEN_WANG: "puppet_padlocal_wang" }),
    );
    expect((error as Error).message).toContain("WXERP_TOKEN_LI is not set (wechat.accounts.1.tokenEnv of account li");
    expect((error as Error).message).not.toContain("WXERP_TOKEN_WANG is not set");
  });

  it("on the service puppet an account without tokenEnv is named; the single-account token is not asked for", () => {
    const error = thrown(() =>
      load({ wechat: { puppet: "service", accounts: [{ id: "wang", erpUser: "123", endpoint: "10.0.0.5:8788" }] } }),
    );
    expect((error as Error).message).toContain("wechat.accounts.0.tokenEnv: account wang needs tokenEnv");
    expect((error as Error).message).not.toContain("WECHATY_PUPPET_SERVICE_TOKEN");
  });

  it("bad entries are named by key: a token pasted where its variable's name goes, a missing erpUser", () => {
    const error = thrown(() =>
      load({
        wechat: {
          accounts: [{ id: "wang", erpUser: "123", tokenEnv: "puppet_padlocal_1a2b-3c" }, { id: "zhao" }],
        },
      }),
    );
    expect((error as Error).message).toContain("wechat.accounts.0.tokenEnv: the NAME of an environment variable");
    expect((error as Error).message).toContain("wechat.accounts.1.erpUser");
    // The token itself is never echoed back.
    expect((error as Error).message).not.toContain("1a2b-3c");
  });

  it("an id listed twice is named", () => {
    const error = thrown(() => load({ wechat: { accounts: [TEAM[0], { ...TEAM[1], id: "wang" }] } }));
    expect((error as Error).message).toContain("wechat.accounts.1.id: account id wang is listed twice");
  });

  it("without wechat.accounts the configuration is one implicit account, as before", () => {
    const config = load({ wechat: { puppet: "service" } }, { WECHATY_PUPPET_SERVICE_TOKEN: "puppet_padlocal_x" });
    expect(accountsOf(config)).toEqual([
      { id: "default", controlChat: "filehelper", token: "puppet_padlocal_x", isDefault: true },
    ]);
  });
});

describe("assignment.mode", () => {
  it("owner needs wechat.accounts (whose erpUser the customers go to)", () => {
    const error = thrown(() => load({ assignment: { mode: "owner" } }));
    expect((error as Error).message).toContain("assignment.mode: owner needs wechat.accounts");
  });

  it("owner lets a tier leave out users; tiers mode names the tier that has neither users nor public", () => {
    const tiers = [
      { minScore: 80, name: "gold" },
      { minScore: 0, public: true },
    ];
    expect(load({ wechat: { accounts: TEAM.slice(0, 1) }, assignment: { mode: "owner", tiers } }).assignment.mode).toBe("owner");
    const error = thrown(() => load({ assignment: { tiers } }));
    expect((error as Error).message).toContain(
      "assignment.tiers.0.users: with assignment.mode tiers a tier has users: [ids] or public: true",
    );
  });
});

describe("the accounts block of config/team.example.yaml", () => {
  it("loads as written once uncommented, with owner mode", async () => {
    const { readFile, writeFile, mkdtemp } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const text = await readFile(join(import.meta.dirname, "../../config/team.example.yaml"), "utf8");
    const uncommented = text.replace(/^ {2}# (accounts:| {2}- \{ id:)/gm, "  $1").replace(/^ {2}mode: tiers/m, "  mode: owner");
    expect(uncommented).not.toBe(text);
    const file = join(await mkdtemp(join(tmpdir(), "wxerp-accounts-example-")), "team.yaml");
    await writeFile(file, uncommented);
    const config = loadConfig({
      files: [file],
      env: {
        WXERP_TOKEN_WANG: "puppet_padlocal_w",
        WXERP_TOKEN_LI: "puppet_padlocal_l",
        WXERP_ERP_USERNAME: "u",
        WXERP_ERP_PASSWORD: "p",
        OPENAI_API_KEY: "k",
      },
    });
    expect(accountsOf(config).map((a) => [a.id, a.erpUser, a.endpoint])).toEqual([
      ["wang", "123", "10.0.0.5:8788"],
      ["li", "456", "10.0.0.6:8788"],
    ]);
    expect(config.assignment.mode).toBe("owner");
  });
});

describe("the account a thread is on, on a database shared with other processes", () => {
  it("a configured account, the first account for a thread without one, and an account only another process runs", () => {
    const config = load({ wechat: { accounts: [{ id: "wang", erpUser: "123" }] } });
    expect(accountIdOfThread(config, {})).toBe("wang");
    expect(accountIdOfThread(config, { account: "wang" })).toBe("wang");
    // li is run by another process on the same database: its threads stay li's, not the first account's.
    expect(accountIdOfThread(config, { account: "li" })).toBe("li");
  });
});
