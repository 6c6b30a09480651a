/**
 * wxerp as a Wechaty plugin on your own bot. This example runs offline: the bundled 智邦 ERP emulator
 * stands in for the ERP and wechaty-puppet-mock for WeChat. A customer asks for a quote and leaves
 * a mobile number; wxerp scores the conversation, admits it, creates the customer in the ERP, and
 * the example prints the customer's khid as the ERP lists it.
 *
 * Run: npx tsx examples/wechaty-plugin.ts (in a project with wxerp, wechaty and wechaty-puppet-mock installed)
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WechatyBuilder } from "wechaty";
import { PuppetMock } from "wechaty-puppet-mock";
import { ERP_EMULATOR_CREDENTIALS, startErpEmulator, WxErp } from "wxerp";

const erp = await startErpEmulator();
const puppet = new PuppetMock();
const bot = WechatyBuilder.build({ puppet });

// The same keys as a wxerp YAML file; secrets (the ERP's login) only from the environment.
const wxerp = WxErp(
  {
    dataDir: mkdtempSync(join(tmpdir(), "wxerp-example-")),
    log: { level: "warn" },
    erp: { baseUrl: erp.url },
    scorer: { provider: "heuristic", idleSeconds: 1 },
  },
  {
    env: {
      ...process.env,
      WXERP_ERP_USERNAME: ERP_EMULATOR_CREDENTIALS.username,
      WXERP_ERP_PASSWORD: ERP_EMULATOR_CREDENTIALS.password,
    },
  },
);
bot.use(wxerp);

// wxerp reports each step; the one that matters here is the customer created in the ERP.
const created = new Promise<string>((resolve) =>
  wxerp.onActivity((event) => {
    if (event.kind === "created" && typeof event.data?.khid === "string") resolve(event.data.khid);
  }),
);

await bot.start();
await wxerp.ready();

// The salesperson logs in; a customer writes to them.
const { mocker } = puppet;
const sales = mocker.createContact({ id: "wxid_sales", name: "销售小王" });
mocker.login(sales);
const customer = mocker.createContact({ id: "wxid_zhang3", name: "张三", phone: [] });
for (const text of [
  "你好，想了解一下你们的MES系统",
  "我是张三，苏州远航科技有限公司的生产经理，我们有三条产线想上系统",
  "13800138000，麻烦先发一份报价单，预算大概在50万左右",
  "下周二可以来我们厂里面谈吗？想尽快签合同",
]) {
  customer.say(text).to(sales);
}

const khid = await withTimeout(created, 60_000, "no customer was created within 60 s");
// Checked in the ERP itself, not only in wxerp's report.
const inErp = erp.snapshot().customers.find((c) => c.khid === khid);
if (!inErp) throw new Error(`the ERP has no customer ${khid}`);
console.log(`created customer khid=${khid} (${inErp.name})`);

await wxerp.stop();
await bot.stop();
await erp.close();

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
