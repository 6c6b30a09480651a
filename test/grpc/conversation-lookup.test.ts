/**
 * Sends find the conversation by asking WeChat whether the id is a group or a contact:
 * ids have no reliable shape (WeCom groups are "R:…", without the "@" of PadLocal's).
 */
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { SendError } from "../../src/bot/runtime.ts";
import { type GatewayApp, type GrpcGateway, startGrpcGateway } from "../support/grpc-gateway.ts";

let gateway: GrpcGateway;
let wx: GatewayApp;

beforeAll(async () => {
  gateway = await startGrpcGateway();
  wx = await gateway.startApp();
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
}, 120_000);

it("sends into a group whose id has no '@' and to a contact, each found by lookup over gRPC", async () => {
  const boss = gateway.staff({ id: "wxid_boss", name: "张经理" });
  gateway.room({ id: "R:10696051234", topic: "销售部", members: [boss] });
  // The mock's own send routes by the "@" too, so the gateway records what it was asked to send.
  const received: Array<[string, string]> = [];
  const puppet = gateway.mocker.puppet;
  vi.spyOn(puppet, "messageSendText").mockImplementation(async (id: string, text: string) => {
    received.push([id, text]);
    return undefined;
  });
  await wx.app.runtime!.say("R:10696051234", "群里的一条通知");
  await wx.app.runtime!.say("wxid_boss", "给经理的一条消息");
  expect(received).toEqual([
    ["R:10696051234", "群里的一条通知"],
    ["wxid_boss", "给经理的一条消息"],
  ]);
}, 60_000);

it("refuses an id that is neither a group nor a contact", async () => {
  await expect(wx.app.runtime!.say("no_such_id", "x")).rejects.toBeInstanceOf(SendError);
}, 60_000);
