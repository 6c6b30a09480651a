/**
 * A message is marked seen only once it is stored (or set aside, or its command handed
 * over): when taking it in fails, the next delivery of the same message is taken in.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { types } from "wechaty";
import { type MockWechat, SELF, startMockWechat } from "../support/mock-wechat.ts";

let wechat: MockWechat;
beforeAll(async () => {
  wechat = await startMockWechat();
});
afterAll(() => wechat?.stop());

it("a message whose talker could not be loaded fails without being marked seen: its redelivery is stored", async () => {
  const id = "late-contact-1";
  wechat.mocker.cacheMessagePayload.set(id, {
    id,
    type: types.Message.Text,
    text: "我要报价，20台",
    timestamp: Date.now(),
    talkerId: "wxid_not_loaded_yet",
    listenerId: SELF.id,
  } as never);
  wechat.mocker.puppet.emit("message", { messageId: id });
  await wechat.handled(id);
  expect(wechat.intake?.stats().failed).toBe(1);
  expect(await wechat.store.hasSeenMessage(id)).toBe(false);

  wechat.createCustomer({ id: "wxid_not_loaded_yet", name: "新客户" });
  wechat.redeliver(id);
  await wechat.waitFor(() => wechat.intake?.stats().stored === 1, "the redelivery to be stored");
  expect((await wechat.store.getThread("wxid_not_loaded_yet"))?.messages.map((m) => m.text)).toEqual(["我要报价，20台"]);
  expect(wechat.intake?.stats().duplicates).toBe(0);
  expect(await wechat.store.hasSeenMessage(id)).toBe(true);
});
