import { afterEach, describe, expect, it } from "vitest";
import { SeededRandom } from "../../bench/soak/random.ts";
import { type RunningEmulator, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { contactTag } from "../../plugins/zhibang-erp/sync/followup-reference.ts";
import { type AppFixture, startAppFixture } from "../support/app-fixture.ts";
import { startTamperingProxy, type TamperingProxy } from "./support/erp-proxy.ts";
import { coldLead, HOT_MOBILE, hotLead } from "./support/lines.ts";
import { settleOutbox } from "./support/settle.ts";

/**
 * ERP replies that are hard to read (docs/zhibang-protocol.md §2.1, §3): HTML error pages,
 * truncated JSON, raw control characters, `status` as a string, rows as objects, an
 * unknown body.model. The client reads what can be read and raises typed errors for the
 * rest; the sync lands after retries, exactly once, checked in the ERP's own records.
 */
describe("ERP replies the client must survive", () => {
  let fx: AppFixture | undefined;
  let emulator: RunningEmulator | undefined;
  let proxy: TamperingProxy | undefined;
  afterEach(async () => {
    await fx?.stop();
    await proxy?.close();
    await emulator?.close();
    fx = emulator = proxy = undefined;
  });

  const mobiles = (n: number) => Array.from({ length: n }, (_, i) => `1391234${String(i).padStart(4, "0")}`);

  it("status as a string, raw control characters and rows as objects in every reply: read as usual, nothing twice", async () => {
    emulator = await startEmulator({ statusAsString: true, controlChars: true, rowsAsObjects: true });
    fx = await startAppFixture({ erpUrl: emulator.url });
    const first = await fx.replay([hotLead(), coldLead()]);
    expect(first.totals).toMatchObject({ created: 1, skipped: 1, failed: 0 });
    const errors = (await fx.audit()).filter((r) => r.operation.startsWith("erp.") && r.outcome === "error");
    expect(errors).toEqual([]);
    await fx.stop();
    // A second bot with a fresh data directory must find her through the list (rows as objects).
    fx = await startAppFixture({ erpUrl: emulator.url });
    const second = await fx.replay([hotLead(), coldLead()]);
    expect(second.totals.created).toBe(0);
    expect(second.threads.find((t) => t.contact === "wxid_hot")?.erp).toMatchObject({ khid: "WX000001" });

    const snapshot = emulator.snapshot();
    const [customer, ...more] = snapshot.customers.filter((c) => c.mobile === HOT_MOBILE);
    expect(more).toEqual([]);
    expect(customer).toMatchObject({ name: "苏州远航科技有限公司", person_name: "林海燕", jz: "175", khid: "WX000001" });
    const followups = snapshot.followups.filter((f) => f.ord === customer!.ord);
    expect(followups.map((f) => f.intro.match(/\[wxerp .*\]$/)?.[0])).toEqual([`[wxerp WX000001#1/${contactTag("wxid_hot")}]`]);
  });

  it("HTML error pages and truncated JSON on a third of the calls, before or after the write: lands after retries, once", async () => {
    const random = new SeededRandom(61);
    fx = await startAppFixture({
      emulator: { failureRate: 0.35, failureKinds: ["html", "truncated"], failurePhase: "random", random: () => random.next() },
    });
    const companies = [
      "无锡宏达机械有限公司",
      "宁波瑞丰物流有限公司",
      "合肥启明电子有限公司",
      "青岛海川食品有限公司",
      "厦门锦程贸易有限公司",
      "成都精工建材有限公司",
    ];
    const leads = mobiles(6).map((mobile, i) => hotLead(`wxid_lead${i}`, mobile, i * 5, companies[i]));
    await fx.replay(leads);
    await settleOutbox(fx.app);

    const snapshot = fx.snapshot();
    expect(snapshot.failuresInjected).toBeGreaterThan(5);
    for (const mobile of mobiles(6)) {
      const found = snapshot.customers.filter((c) => c.mobile === mobile);
      expect(found, mobile).toHaveLength(1);
      expect(
        snapshot.followups.filter((f) => f.ord === found[0]!.ord),
        mobile,
      ).toHaveLength(1);
    }
    const errors = (await fx.audit()).filter((r) => r.operation.startsWith("erp.") && r.outcome === "error");
    const named = (name: string) => errors.filter((r) => String(r.error).startsWith(`${name}:`));
    expect(named("ErpServerError").some((r) => /HTML page/.test(String(r.error)))).toBe(true);
    expect(named("ErpProtocolError").length).toBeGreaterThan(0);
    expect(errors.length).toBe(
      named("ErpServerError").length + named("ErpProtocolError").length + named("ErpNetworkError").length,
    );
  });

  it("an unknown body.model after the save, truncated JSON after the follow-up, HTML after the assignment: one customer, one follow-up", async () => {
    emulator = await startEmulator({ seedDemo: false });
    proxy = await startTamperingProxy(emulator.url);
    const isCall = (path: string, cmdkey?: string) => (r: { path: string; body: string }) =>
      r.path.endsWith(path) && (cmdkey === undefined || r.body.includes(`"cmdkey":"${cmdkey}"`));
    const save = proxy.tamper({
      match: isCall("/custom/add.asp", "__sys_dosave"),
      change: (reply) => ({ ...reply, text: reply.text.replace(/"model":"[^"]*"/, '"model":"wxerp_unknown"') }),
    });
    const followup = proxy.tamper({
      match: isCall("/systemmanage/reply.asp"),
      change: (reply) => ({ ...reply, text: reply.text.slice(0, Math.floor(reply.text.length / 2)) }),
    });
    const assign = proxy.tamper({
      match: isCall("/systemmanage/order.asp"),
      change: () => ({
        status: 200,
        contentType: "text/html",
        text: "<html><body><h1>Microsoft VBScript 运行时错误</h1></body></html>",
      }),
    });
    fx = await startAppFixture({ erpUrl: proxy.url });
    await fx.replay([hotLead()]);
    await settleOutbox(fx.app);

    expect([save.firedOn, followup.firedOn, assign.firedOn].every(Boolean)).toBe(true);
    const snapshot = emulator.snapshot();
    const [customer, ...more] = snapshot.customers.filter((c) => c.mobile === HOT_MOBILE);
    expect(more).toEqual([]);
    expect(customer).toMatchObject({ khid: "WX000001", owners: ["123"], public: false, jz: "175" });
    expect(snapshot.followups.filter((f) => f.ord === customer!.ord)).toHaveLength(1);

    const errors = (await fx.audit()).filter((r) => r.operation.startsWith("erp.") && r.outcome === "error");
    expect(errors.map((r) => String(r.error))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ErpProtocolError: .*unknown body\.model "wxerp_unknown"/),
        expect.stringMatching(/^ErpProtocolError: /),
        expect.stringMatching(/^ErpServerError: .*HTML/),
      ]),
    );
    const thread = await fx.thread("wxid_hot");
    expect(thread?.erp).toMatchObject({ khid: "WX000001", followups: 1 });
  });
});
