import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureMockContact } from "../../src/bot/mock-contacts.ts";
import { COLD, HOT } from "../erp-plugin/conversations.ts";
import { type AppFixture, startAppFixture } from "../support/app-fixture.ts";
import { GatewayLikePuppet } from "../support/gateway-like-puppet.ts";

/**
 * "This customer" from the control chat: the salesperson forwards the customer's 名片 or one
 * of their messages into File Transfer, and the next command without a customer is about
 * them. Through the whole app, with a puppet that reads cards like a real gateway.
 */
describe("picking a customer in the control chat", () => {
  let fx: AppFixture;
  let puppet: GatewayLikePuppet;

  beforeAll(async () => {
    puppet = new GatewayLikePuppet();
    fx = await startAppFixture({ puppet });
    await fx.replay([HOT, COLD]);
  }, 60_000);
  afterAll(() => fx?.stop());

  it("a forwarded 名片 picks the customer for the next command, once", async () => {
    const picked = await fx.forwardCard(HOT.contact.id, puppet.cards);
    expect(picked.map((r) => r.to)).toEqual(["filehelper"]);
    expect(picked[0]!.text).toMatch(
      /^👉 已选中 张三-远航科技\(WX\d+\)（名片）：10 分钟内下一条不写客户的命令针对该客户，例如 \/erp status$/,
    );
    const status = await fx.command("/erp status");
    expect(status.map((r) => r.text.split("\n")[0])).toEqual([expect.stringMatching(/^张三-远航科技\(WX\d+\)$/)]);
    // Used up: the command after it must name its customer again.
    const again = await fx.command("/erp status");
    expect(again[0]!.text).toContain("请指定客户");
  });

  it("a forwarded message picks the one customer who wrote it; /erp sync then syncs that customer only", async () => {
    const coldLine = COLD.messages.find((m) => m.from === "customer")!.text;
    const picked = await fx.command(coldLine);
    expect(picked.map((r) => r.text)).toEqual([expect.stringMatching(/^👉 已选中 赵六.*（按转发的消息）/)]);
    const synced = await fx.command("/erp sync");
    expect(synced.map((r) => r.text)).toEqual([expect.stringContaining("赵六")]);
    expect(synced[0]!.text).not.toContain("已为");
  });

  it("a note that matches no customer gets no answer; a message several customers wrote picks nobody", async () => {
    expect(await fx.command("备忘：明天回访三家客户")).toEqual([]);
    await fx.customerSays(HOT.contact, "好的，收到，谢谢");
    await fx.customerSays(COLD.contact, "好的，收到，谢谢");
    const ambiguous = await fx.command("好的，收到，谢谢");
    expect(ambiguous.map((r) => r.text)).toEqual([
      expect.stringMatching(/^这条消息出现在 2 位客户的聊天里（.*张三-远航科技.*），未选中任何客户/),
    ]);
    expect((await fx.command("/erp status"))[0]!.text).toContain("请指定客户");
  });

  it("the card of someone who never wrote is no customer: said so, nothing picked", async () => {
    ensureMockContact(fx.mocker, { id: "wxid_nobody", name: "路人甲" });
    const replies = await fx.forwardCard("wxid_nobody", puppet.cards);
    expect(replies.map((r) => r.text)).toEqual(["名片「路人甲」还没有聊天记录，不是客户会话；未选中任何客户。"]);
  });
});
