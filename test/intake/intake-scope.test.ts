/**
 * The tag scope on the mock puppet directly (the reference puppet-service gateway never
 * passes a contact's tags; see test/grpc/intake-scope.test.ts), and `/erp ignore` kept
 * across a restart.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mock } from "wechaty-puppet-mock";
import { type AppFixture, startAppFixture } from "../support/app-fixture.ts";
import { type MockWechat, startMockWechat } from "../support/mock-wechat.ts";
import { RichPuppetMock } from "../support/rich-puppet-mock.ts";

describe("scope tag", () => {
  let wechat: MockWechat;
  let puppet: RichPuppetMock;
  beforeAll(async () => {
    puppet = new RichPuppetMock({ mocker: new mock.Mocker() });
    wechat = await startMockWechat({ puppet, config: { wechat: { customers: { scope: "tag", tags: ["客户", "label-7"] } } } });
  });
  afterAll(() => wechat?.stop());

  it("stores contacts carrying a listed tag (by name or label id), and nothing of the others", async () => {
    const byName = wechat.createCustomer({ id: "wxid_tag_name", name: "张三" });
    const byId = wechat.createCustomer({ id: "wxid_tag_id", name: "李四" });
    const friend = wechat.createCustomer({ id: "wxid_no_tag", name: "老同学" });
    puppet.tags.set(byName.id, ["客户"]);
    puppet.tags.set(byId.id, ["label-7"]);
    puppet.tags.set(friend.id, ["同学"]);
    await wechat.handled(
      wechat.customerSays(byName, "想要报价"),
      wechat.customerSays(byId, "你好"),
      wechat.customerSays(friend, "周末打球？13900139000"),
    );
    expect((await wechat.store.getThread(byName.id))?.messages).toHaveLength(1);
    expect((await wechat.store.getThread(byId.id))?.messages).toHaveLength(1);
    expect(await wechat.store.getThread(friend.id)).toBeUndefined();
    expect(await wechat.store.getContact(friend.id)).toBeUndefined();
    expect(wechat.intake?.stats().ignored.untagged).toBe(1);
  });

  it("never takes WeChat's own accounts, tagged or not", async () => {
    const team = wechat.createCustomer({ id: "weixin", name: "微信团队" });
    puppet.tags.set(team.id, ["客户"]);
    await wechat.handled(wechat.customerSays(team, "登录提醒"));
    expect(await wechat.store.getThread("weixin")).toBeUndefined();
  });
});

describe("/erp ignore", () => {
  let fx: AppFixture | undefined;
  let restarted: AppFixture | undefined;
  afterEach(async () => {
    await restarted?.stop();
    await fx?.stop();
  });

  it("is kept across a restart", async () => {
    fx = await startAppFixture({ mode: "live" });
    const colleague = { id: "wxid_colleague", name: "华东区李四" };
    await fx.customerSays(colleague, "客户那边要20台，电话 13900139000");
    expect((await fx.command("/erp ignore 华东区李四"))[0]?.text).toContain("✅ 已忽略 华东区李四");
    await fx.app.stop();
    restarted = await startAppFixture({ mode: "live", dataDir: fx.dataDir });
    await restarted.customerSays(colleague, "还有一个客户也要，电话 13900139001");
    expect((await restarted.thread(colleague.id))?.messages).toHaveLength(1);
    expect(restarted.app.intake?.stats().ignored.ignored).toBe(1);
    expect((await restarted.command("/erp ignore"))[0]?.text).toContain("华东区李四（wxid_colleague）");
  });
});
