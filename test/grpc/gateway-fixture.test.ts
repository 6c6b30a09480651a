/**
 * wxerp as `wxerp start` runs it with `wechat.puppet: service`, against a puppet-service
 * gateway on loopback: a customer's message reaches the store and a command typed in the
 * control chat is answered there.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { FILE_HELPER_ID } from "../../src/bot/mock-contacts.ts";
import { type GatewayApp, type GrpcGateway, startGrpcGateway, waitFor } from "../support/grpc-gateway.ts";

let gateway: GrpcGateway;
let wx: GatewayApp;

beforeAll(async () => {
  gateway = await startGrpcGateway();
  wx = await gateway.startApp();
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
}, 120_000);

it("takes a customer's message over gRPC into the thread store", async () => {
  expect(wx.app.runtime?.puppetKind).toBe("service");
  const alice = gateway.customer({ id: "wxid_alice", name: "Alice" });
  await wx.handled(wx.says(alice, "你好，想要一份报价"));
  const thread = await wx.app.store.getThread("wxid_alice");
  expect(thread?.messages).toEqual([expect.objectContaining({ side: "customer", text: "你好，想要一份报价" })]);
});

it("answers a command typed in the control chat, in the control chat", async () => {
  const filehelper = gateway.customer({ id: FILE_HELPER_ID, name: "文件传输助手" });
  await wx.handled(wx.selfSays(filehelper, "/erp help"));
  await waitFor(() => wx.controlReplies().length > 0, "the reply in the control chat", 30_000);
  expect(wx.controlReplies().join("\n")).toContain("/erp status");
  expect(wx.sentTo("wxid_alice")).toEqual([]);
});
