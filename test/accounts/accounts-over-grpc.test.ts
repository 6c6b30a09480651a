/**
 * Two accounts, each on its own puppet-service gateway (gRPC on 127.0.0.1), as a team
 * configures them: `tokenEnv` names the variable holding each gateway's token, `endpoint` is
 * each gateway's host:port. One process; each account's customers, commands and replies stay
 * on its own WeChat.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureMockContact, FILE_HELPER_ID } from "../../src/bot/mock-contacts.ts";
import { MockChat } from "../support/app-fixture.ts";
import { type GatewayApp, type GrpcGateway, SALES, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";
import { CHILD_PROCESS_TIMEOUT_MS } from "../support/timeouts.ts";

let wang: GrpcGateway;
let li: GrpcGateway;
let wx: GatewayApp;

beforeAll(async () => {
  wang = await startGrpcGateway();
  li = await startGrpcGateway();
  wx = await wang.startApp({
    config: {
      wechat: {
        accounts: [
          { id: "wang", erpUser: "123", tokenEnv: "WXERP_TOKEN_WANG", endpoint: wang.endpoint },
          { id: "li", erpUser: "456", tokenEnv: "WXERP_TOKEN_LI", endpoint: li.endpoint },
        ],
      },
    },
    env: { WXERP_TOKEN_WANG: wang.token, WXERP_TOKEN_LI: li.token },
  });
  await waitFor(() => wx.app.accounts[1]?.runtime?.isLoggedIn(), "li's WeChat logged in over gRPC", 30_000);
}, CHILD_PROCESS_TIMEOUT_MS);

afterAll(async () => {
  await wang?.stop();
  await li?.stop();
}, CHILD_PROCESS_TIMEOUT_MS);

describe("two accounts on two gateways", () => {
  it("the same customer on both gateways is two conversations, each on its account; commands answer on the WeChat they were typed on", async () => {
    // One person, one WeChat id; each salesperson keeps their own remark for him.
    const zhangOnWang = wang.customer({ id: "wxid_zhang", name: "张三", alias: "张三-王的客户" });
    const zhangOnLi = li.customer({ id: "wxid_zhang", name: "张三", alias: "张三-李的客户" });
    await wx.handled(wx.says(zhangOnWang, "王经理你好，我想要一份MES报价"));

    const liSelf = ensureMockContact(li.mocker, SALES);
    const liChat = new MockChat(wx.app, liSelf);
    await wx.handled(liChat.type(zhangOnLi, liSelf, "李经理你好，售后怎么收费？"));

    expect((await wx.app.store.getThread("wxid_zhang"))?.messages.map((m) => m.text)).toEqual(["王经理你好，我想要一份MES报价"]);
    const onLi = await wx.app.store.getThread("li:wxid_zhang");
    expect(onLi).toMatchObject({ account: "li", messages: [expect.objectContaining({ text: "李经理你好，售后怎么收费？" })] });

    // /erp status typed in li's File Transfer: the reply goes back there, over li's gateway only.
    const fileHelper = ensureMockContact(li.mocker, { id: FILE_HELPER_ID, name: "文件传输助手" });
    const wangRepliesBefore = wx.controlReplies().length;
    await wx.handled(liChat.type(liSelf, fileHelper, "/erp status 张三-李的客户"));
    const reply = await waitFor(
      () => liChat.sent.find((m) => m.to === FILE_HELPER_ID && m.text.startsWith("张三-李的客户")),
      "li's status reply",
      30_000,
    );
    expect(reply.text).not.toContain("找不到");
    // 王's remark names 王's conversation, which li's commands do not see.
    await wx.handled(liChat.type(liSelf, fileHelper, "/erp status 张三-王的客户"));
    await waitFor(() => liChat.sent.find((m) => m.text.includes("找不到客户「张三-王的客户」")), "li's not-found reply", 30_000);
    expect(wx.controlReplies().length).toBe(wangRepliesBefore);
  });
});
