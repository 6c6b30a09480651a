import { afterEach, describe, expect, it } from "vitest";
import { type AppFixture, BOSS, startAppFixture } from "../support/app-fixture.ts";
import { COLD, COLD_MOBILE, HOT, UNVERIFIED, UNVERIFIED_MOBILE } from "./conversations.ts";

/**
 * Staff driving the ERP from chat (docs/architecture.md §3.6, §3.8): verify then sync, the score
 * override, and a customer who types a command. Checked in the emulator, the replies and
 * the audit log.
 */
describe("staff commands end to end", () => {
  let fx: AppFixture;
  afterEach(() => fx?.stop());

  const customersWith = (mobile: string) => fx.snapshot().customers.filter((c) => c.mobile === mobile);
  const writes = () => {
    const { calls } = fx.snapshot();
    return calls.allocate + calls.save + calls.assign + calls.followup + calls.contact_add + calls.v3_edit;
  };

  it("/erp verify then /erp sync typed in the customer's chat still run; replies and one reminder go to the control chat only", async () => {
    fx = await startAppFixture();
    await fx.replay([UNVERIFIED]);
    expect(customersWith(UNVERIFIED_MOBILE)).toEqual([]);

    const verified = await fx.command(`/erp verify ${UNVERIFIED_MOBILE}`, { in: UNVERIFIED.contact.id });
    expect(verified.map((r) => r.to)).toEqual(["filehelper", "filehelper"]);
    // The customer has read the command: staff are reminded (once a day) to type it in File Transfer.
    expect(verified[1]!.text).toContain("你在客户「孙七-鼎盛建材」的聊天里输入了 /erp verify，客户能看到这条消息");
    expect(verified[1]!.text).toContain("/erp status 孙七-鼎盛建材");
    expect(verified[0]!.text).toContain("已确认");
    expect(verified[0]!.text).toContain("135****2222");
    expect(verified[0]!.text).not.toContain(UNVERIFIED_MOBILE);
    // With sync.auto on, the verified number was all the thread lacked: created at once.
    const [sun, ...more] = customersWith(UNVERIFIED_MOBILE);
    expect(more).toEqual([]);
    expect(sun).toMatchObject({ name: "南京鼎盛建材有限公司", person_name: "孙七", ly: "171" });
    expect(verified[0]!.text).toContain(`已创建 孙七-鼎盛建材：${sun!.khid}`);

    const synced = await fx.command("/erp sync", { in: UNVERIFIED.contact.id });
    // The same day: no second reminder.
    expect(synced.map((r) => r.to)).toEqual(["filehelper"]);
    expect(synced[0]!.text).toContain(`已在 ERP 中：${sun!.khid}`);
    expect(customersWith(UNVERIFIED_MOBILE)).toHaveLength(1);
    expect(fx.snapshot().followups.filter((f) => f.ord === sun!.ord)).toHaveLength(1);
    expect(fx.snapshot().assignments.filter((a) => a.ord === sun!.ord)).toHaveLength(1);
    expect(fx.sent().filter((m) => m.to === UNVERIFIED.contact.id)).toEqual([]);

    const status = (await fx.command("/erp status 孙七"))[0]!.text;
    expect(status).toContain(`ord ${sun!.ord}`);
    expect(status).toMatch(/✓phone_verified/);
    const audit = await fx.audit();
    expect(audit.some((r) => r.operation === "decision.verify" && r.actor === "wxid_sales")).toBe(true);
    expect(audit.filter((r) => r.operation === "command.customer_visible").map((r) => [r.command, r.recalled])).toEqual([
      ["verify", false],
      ["sync", false],
    ]);
  });

  it("with sync.auto off, /erp verify only confirms the number and /erp sync creates the customer", async () => {
    fx = await startAppFixture({ config: { sync: { auto: false } } });
    await fx.replay([UNVERIFIED, HOT]);
    // Auto-sync off (the seed's auto_sync): even the hot lead waits for staff.
    expect(customersWith(UNVERIFIED_MOBILE)).toEqual([]);
    expect(fx.snapshot().customers.filter((c) => c.mobile === "13800138000")).toEqual([]);

    const verified = await fx.command(`/erp verify ${UNVERIFIED_MOBILE} 孙七`);
    expect(verified.map((r) => r.text)).toEqual(["✅ 已确认 孙七-鼎盛建材 的手机号 135****2222"]);
    expect(customersWith(UNVERIFIED_MOBILE)).toEqual([]);

    const synced = await fx.command("/erp sync 孙七");
    const [sun] = customersWith(UNVERIFIED_MOBILE);
    expect(synced.map((r) => r.text)).toEqual([
      // Asked for a quotation and a meeting, no sum named: an evaluation, the normal tier.
      `✅ 已创建 孙七-鼎盛建材：${sun!.khid}（ord ${sun!.ord}），指派给 456，跟进 1 条`,
    ]);
    expect(fx.snapshot().customers.filter((c) => c.mobile === "13800138000")).toEqual([]);
  });

  it("a staff /erp sync overrides a cold score: created in the public pool, the override audited", async () => {
    fx = await startAppFixture();
    await fx.replay([COLD]);
    expect(customersWith(COLD_MOBILE)).toEqual([]);

    const replies = await fx.command("/erp sync 赵六", { by: BOSS });
    // A staff member's own 1:1 with the bot: the reply comes back there.
    expect(replies.map((r) => r.to)).toEqual([BOSS.id]);
    const [zhao, ...more] = customersWith(COLD_MOBILE);
    expect(more).toEqual([]);
    expect(zhao).toMatchObject({ intsort: 2, name: "赵六", jz: "290", public: true });
    const assigned = fx.snapshot().assignments.filter((a) => a.ord === zhao!.ord);
    expect(assigned).toHaveLength(1);
    expect(assigned[0]!.member1).toBe("1");
    expect(replies[0]!.text).toContain("公海");

    const audit = await fx.audit();
    const override = audit.filter((r) => r.operation === "decision.admission" && r.scoreOverriddenBy === BOSS.id);
    expect(override).toHaveLength(1);
    expect(override[0]).toMatchObject({ actor: BOSS.id, contact: COLD.contact.id, outcome: "ok" });
    const thread = await fx.thread(COLD.contact.id);
    expect(thread?.admission?.overriddenBy).toBe(BOSS.id);
  });

  it("the override covers the score only: /erp sync without a verified mobile creates nothing and says why", async () => {
    fx = await startAppFixture();
    await fx.replay([UNVERIFIED]);
    const replies = await fx.command("/erp sync 孙七");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain("/erp verify");
    expect(customersWith(UNVERIFIED_MOBILE)).toEqual([]);
  });

  it("a customer typing /erp sync in their chat: nothing in the ERP, no reply to them, one note per person, audited as denied", async () => {
    fx = await startAppFixture();
    await fx.replay([UNVERIFIED, HOT]);
    const writesBefore = writes();
    const sentBefore = fx.sent().length;

    await fx.customerSays(UNVERIFIED.contact, "/erp sync");
    await fx.customerSays(HOT.contact, "/erp assign public");
    await fx.customerSays(HOT.contact, "/erp sync");
    await fx.app.sync.drain();

    // Only the control chat hears of it, once per person, with the id a colleague would need.
    const notes = fx.sent().slice(sentBefore);
    expect(notes.map((m) => m.to)).toEqual(["filehelper", "filehelper"]);
    expect(notes[0]!.text).toContain(`（${UNVERIFIED.contact.id}）发了 /erp sync，不是员工，未执行`);
    expect(notes[1]!.text).toContain(`把 ${HOT.contact.id} 加入 commands.staff`);
    expect(writes()).toBe(writesBefore);
    expect(customersWith(UNVERIFIED_MOBILE)).toEqual([]);
    const denied = (await fx.audit()).filter((r) => r.operation === "command.denied");
    expect(denied.map((r) => [r.actor, r.command])).toEqual([
      [UNVERIFIED.contact.id, "sync"],
      [HOT.contact.id, "assign"],
      [HOT.contact.id, "sync"],
    ]);
    expect(denied[0]).toMatchObject({ outcome: "denied", contact: UNVERIFIED.contact.id });
  });
});
