import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Wechaty, WechatyBuilder } from "wechaty";
import { PuppetMock } from "wechaty-puppet-mock";
import { ConfigError, ERP_EMULATOR_CREDENTIALS, type RunningErpEmulator, startErpEmulator, WxErp } from "../../plugins/index.ts";

/**
 * Library mode in-process: `bot.use(WxErp(config))` on a Wechaty the test owns, with the bundled
 * emulator over HTTP as the ERP. The packed package runs the same in test/library/pack-install.
 */

const ERP_ENV = { WXERP_ERP_USERNAME: ERP_EMULATOR_CREDENTIALS.username, WXERP_ERP_PASSWORD: ERP_EMULATOR_CREDENTIALS.password };
const CUSTOMER_SAYS = [
  "你好，想了解一下你们的MES系统",
  "我是张三，苏州远航科技有限公司的生产经理，我们有三条产线想上系统",
  "13800138000，麻烦先发一份报价单，预算大概在50万左右",
  "下周二可以来我们厂里面谈吗？想尽快签合同",
];

describe("WxErp as a Wechaty plugin", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  async function setUp(): Promise<{ erp: RunningErpEmulator; bot: Wechaty; puppet: PuppetMock; dataDir: string }> {
    const erp = await startErpEmulator({ seedDemo: false });
    cleanups.push(() => erp.close());
    const dataDir = await mkdtemp(join(tmpdir(), "wxerp-lib-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const puppet = new PuppetMock();
    const bot = WechatyBuilder.build({ puppet });
    cleanups.push(() => bot.stop());
    return { erp, bot, puppet, dataDir };
  }

  it("creates the customer in the ERP over HTTP and answers /erp commands through the given bot, which it does not stop", async () => {
    const { erp, bot, puppet, dataDir } = await setUp();
    const wxerp = WxErp(
      { dataDir, log: { level: "silent" }, erp: { baseUrl: erp.url }, scorer: { idleSeconds: 1 } },
      { env: ERP_ENV },
    );
    const uninstall = bot.use(wxerp);
    cleanups.push(() => wxerp.stop());
    const created = new Promise<string>((resolve) =>
      wxerp.onActivity((e) => e.kind === "created" && resolve(String(e.data?.khid))),
    );
    await bot.start();
    await wxerp.ready();

    const { mocker } = puppet;
    const sales = mocker.createContact({ id: "wxid_sales", name: "销售小王", phone: [] } as never);
    mocker.login(sales);
    const customer = mocker.createContact({ id: "wxid_zhang3", name: "张三", phone: [] } as never);
    for (const text of CUSTOMER_SAYS) customer.say(text).to(sales);

    const khid = await created;
    const inErp = erp.snapshot().customers.filter((c) => c.khid === khid);
    expect(inErp).toHaveLength(1);
    expect(inErp[0]).toMatchObject({ mobile: "13800138000" });
    expect(khid).toMatch(/^WX\d{6}$/);

    // A staff command in the control chat (File Transfer), answered through the same bot.
    const replies: string[] = [];
    bot.on("message", (message) => {
      if (message.self() && message.listener()?.id === "filehelper" && !message.text().startsWith("/erp"))
        replies.push(message.text());
    });
    const fileHelper = mocker.ContactMock.load("filehelper");
    sales.say("/erp status 张三").to(fileHelper);
    await expect.poll(() => replies.join("\n"), { timeout: 20_000 }).toContain("准入：✓has_mobile ✓has_name ✓has_company");
    expect(replies.join("\n")).toContain("138****8000");

    // Uninstalling stops wxerp and leaves the bot running.
    uninstall();
    await wxerp.stop();
    expect(bot.isLoggedIn).toBe(true);
    // Only the test's own message listener is left: wxerp removed its own.
    expect((bot as unknown as { listenerCount(event: string): number }).listenerCount("message")).toBe(1);
  });

  it("the README's library section shows examples/wechaty-plugin.ts as it is", async () => {
    const root = join(import.meta.dirname, "../..");
    const [readme, example] = await Promise.all([
      readFile(join(root, "README.md"), "utf8"),
      readFile(join(root, "examples/wechaty-plugin.ts"), "utf8"),
    ]);
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it("validates the configuration with the YAML schema at once, naming the key", async () => {
    expect(() => WxErp({ admission: { scoreTreshold: 70 } }, { env: ERP_ENV })).toThrow(
      /admission\.scoreTreshold: did you mean admission\.scoreThreshold\?/,
    );
    expect(() => WxErp({ erp: { baseUrl: "ftp://erp" } }, { env: ERP_ENV })).toThrow(ConfigError);
    expect(() => WxErp({ erp: { baseUrl: "http://erp.example.com" } }, { env: {} })).toThrow(/WXERP_ERP_PASSWORD/);
    expect(() => WxErp({ plugins: ["nope"] }, { env: ERP_ENV })).toThrow(
      'plugins[0]: unknown plugin "nope" (known: zhibang-erp)',
    );
  });
});
