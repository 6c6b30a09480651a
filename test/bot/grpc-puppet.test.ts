/**
 * The real gRPC puppet path (docs/architecture.md §4): a PuppetServer wrapping a PuppetMock on
 * 127.0.0.1 with TLS off, and the bot connecting through PuppetService, exactly as it
 * connects to a hosted puppet gateway in production (explicit endpoint, prefixed token).
 */
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { mock, PuppetMock } from "wechaty-puppet-mock";
import { PuppetServer, PuppetService } from "wechaty-puppet-service";
import { type MockWechat, SELF, startMockWechat } from "../support/mock-wechat.ts";

const token = `insecure_${randomUUID()}`;
let server: PuppetServer;
let wechat: MockWechat;

beforeAll(async () => {
  const endpoint = `127.0.0.1:${await freePort()}`;
  const mocker = new mock.Mocker();
  server = new PuppetServer({ puppet: new PuppetMock({ mocker }), token, endpoint, tls: { disable: true } } as never);
  await server.start();
  const client = new PuppetService({ token, endpoint, tls: { disable: true }, timeoutSeconds: 60 } as never);
  wechat = await startMockWechat({ puppet: client, mocker });
}, 60_000);

afterAll(async () => {
  await wechat?.stop();
  await server?.stop();
  // puppet-service caches payloads under ~/.wechaty/<package>/<token>: ours is a throwaway token.
  await rm(join(homedir(), ".wechaty", "wechaty-puppet-service", token), { recursive: true, force: true });
});

it("carries a customer's message over gRPC through intake into the thread store", async () => {
  expect(wechat.runtime.puppetKind).toBe("service");
  expect(wechat.runtime.selfId()).toBe(SELF.id);
  const alice = wechat.createCustomer({ id: "wxid_alice", name: "Alice", phone: ["13800138000"] });
  await wechat.handled(wechat.customerSays(alice, "你好，想要一份报价"));
  const thread = await wechat.store.getThread("wxid_alice");
  expect(thread?.messages).toEqual([expect.objectContaining({ side: "customer", text: "你好，想要一份报价" })]);
  expect(thread?.extracted.mobile).toMatchObject({ value: "13800138000", source: "remark", verified: true });
  expect(await wechat.store.getContact("wxid_alice")).toMatchObject({ name: "Alice" });
});

it("sends a reply to a colleague over gRPC", async () => {
  const boss = wechat.createStaff({ id: "wxid_boss", name: "老板" });
  await wechat.runtime.say(boss.id, "今日新增客户 1 个");
  await wechat.waitFor(() => wechat.sent(boss.id).length > 0, "the reply to reach the colleague");
  expect(wechat.sent(boss.id)).toEqual(["今日新增客户 1 个"]);
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
