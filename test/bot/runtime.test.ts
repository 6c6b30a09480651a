import { afterEach, describe, expect, it, vi } from "vitest";
import { types } from "wechaty";
import { installProcessGuards } from "../../src/bot/process-guards.ts";
import { buildPuppet, PuppetConfigError } from "../../src/bot/puppet-factory.ts";
import { createWechatyRuntime, SendError, type SessionEvent } from "../../src/bot/runtime.ts";
import { loadConfig } from "../../src/config/load.ts";
import { createLogger, silentLogger } from "../../src/logging/logger.ts";
import { type LogLine, type MockWechat, SELF, startMockWechat } from "../support/mock-wechat.ts";

let wechat: MockWechat | undefined;
afterEach(async () => {
  await wechat?.stop();
  wechat = undefined;
});

const errorLogs = (w: MockWechat, pattern: RegExp) =>
  w.logs().filter((l: LogLine) => l.level >= 50 && pattern.test(JSON.stringify(l)));

describe("runtime: session", () => {
  it("keeps handling messages once each through puppet resets, without stacking listeners", async () => {
    wechat = await startMockWechat();
    const w = wechat;
    const sessions: SessionEvent[] = [];
    w.runtime.onSession((event) => void sessions.push(event));
    const puppet = w.mocker.puppet;
    const bot = w.runtime.bot as unknown as NodeJS.EventEmitter;
    const listeners = () => [bot.listenerCount("message"), bot.listenerCount("login"), puppet.listenerCount("message")];
    const before = listeners();
    const alice = w.createCustomer({ id: "wxid_alice", name: "Alice" });

    for (let round = 1; round <= 2; round++) {
      await puppet.reset(); // what the watchdog does: stop (logout) and start again
      await w.waitFor(() => !w.runtime.isLoggedIn(), "the logout");
      w.mocker.login(w.self);
      await w.waitFor(() => w.runtime.isLoggedIn(), "the login");
      await w.handled(w.customerSays(alice, `第${round}次重连后的消息`));
    }
    const thread = await w.store.getThread("wxid_alice");
    expect(thread?.messages.map((m) => [m.text, m.backlog])).toEqual([
      ["第1次重连后的消息", undefined],
      ["第2次重连后的消息", undefined],
    ]);
    expect(listeners()).toEqual(before);
    // A reset's logout is the puppet stopping, not WeChat logging the account out: no alert.
    expect(sessions.map((s) => [s.kind, s.expected ?? false])).toEqual([
      ["logout", true],
      ["login", false],
      ["logout", true],
      ["login", false],
    ]);
    expect(w.runtime.status()).toMatchObject({ loggedIn: true, selfId: SELF.id, logins: 3, logouts: 2 });
  });

  it("stop() may be called twice, and its logout is not reported as a session expiry", async () => {
    wechat = await startMockWechat();
    const w = wechat;
    const sessions: SessionEvent[] = [];
    w.runtime.onSession((event) => void sessions.push(event));
    await w.runtime.stop();
    await w.runtime.stop();
    expect(w.runtime.bot.isLoggedIn).toBe(false);
    await w.waitFor(() => sessions.length > 0, "the logout event");
    expect(sessions).toEqual([expect.objectContaining({ kind: "logout", expected: true })]);
  });
});

describe("runtime: failures stay contained", () => {
  it("logs a throwing or rejecting handler and goes on with the others", async () => {
    wechat = await startMockWechat();
    const w = wechat;
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    try {
      w.runtime.onMessage(() => {
        throw new Error("throwing handler boom");
      });
      w.runtime.onMessage(async () => {
        throw new Error("rejecting handler boom");
      });
      const bob = w.createCustomer({ id: "wxid_bob", name: "Bob" });
      await w.handled(w.customerSays(bob, "还在吗"));
      await w.waitFor(() => errorLogs(w, /rejecting handler boom/).length > 0, "the async failure in the log");
      expect(errorLogs(w, /throwing handler boom/)).toHaveLength(1);
      expect(errorLogs(w, /rejecting handler boom/)[0]).toMatchObject({ handler: "message handler" });
      expect((await w.store.getThread("wxid_bob"))?.messages).toHaveLength(1);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off("unhandledRejection", unhandled);
    }
  });

  it("survives a payload without a talker and keeps taking messages in", async () => {
    wechat = await startMockWechat();
    const w = wechat;
    w.mocker.cacheMessagePayload.set("odd-1", {
      id: "odd-1",
      type: types.Message.Text,
      text: "?",
      timestamp: Date.now(),
    } as never);
    w.mocker.puppet.emit("message", { messageId: "odd-1" });
    await w.waitFor(() => w.runtime.status().errors > 0, "wechaty's error event");
    const carol = w.createCustomer({ id: "wxid_carol", name: "Carol" });
    await w.handled(w.customerSays(carol, "正常消息"));
    expect((await w.store.getThread("wxid_carol"))?.messages).toHaveLength(1);
  });

  it("installProcessGuards logs rejections and ends the process after an uncaught exception", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", stream: { write: (line: string) => void lines.push(line) } });
    const exit = vi.fn();
    const remove = installProcessGuards(logger, { exit });
    try {
      process.emit("unhandledRejection", new Error("lost promise"), Promise.resolve());
      expect(exit).not.toHaveBeenCalled();
      (process as NodeJS.EventEmitter).emit("uncaughtException", new Error("broken state"), "uncaughtException");
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      remove();
    }
    expect(lines.join("")).toContain("lost promise");
    expect(lines.join("")).toContain("broken state");
  });
});

describe("runtime: sending", () => {
  it("sends to the File Transfer contact, a colleague and a group by id", async () => {
    wechat = await startMockWechat();
    const w = wechat;
    const boss = w.createStaff({ id: "wxid_boss", name: "老板" });
    const room = w.createRoom({ topic: "销售群", members: [boss] });
    await w.runtime.say("filehelper", "同步完成");
    await w.runtime.say(boss.id, "今日 3 个新客户");
    await w.runtime.say(room.id, "群通知");
    await w.waitFor(() => w.sent(room.id).length > 0, "the group message");
    expect([w.sent("filehelper"), w.sent(boss.id), w.sent(room.id)]).toEqual([["同步完成"], ["今日 3 个新客户"], ["群通知"]]);
  });

  it("refuses an unknown conversation and sending while logged out", async () => {
    wechat = await startMockWechat();
    const w = wechat;
    await expect(w.runtime.say("wxid_nobody", "hi")).rejects.toBeInstanceOf(SendError);
    await w.mocker.puppet.logout("test");
    await w.waitFor(() => !w.runtime.isLoggedIn(), "the logout");
    await expect(w.runtime.say("filehelper", "hi")).rejects.toThrow(/not logged in/);
  });
});

describe("runtime: configured puppets", () => {
  const serviceConfig = (env: Record<string, string>) =>
    loadConfig({ withoutDefaultFile: true, env, overrides: { wechat: { puppet: "service", timeoutSeconds: 90 } } });

  it("builds the service puppet from the environment, with the watchdog timeout", () => {
    const config = serviceConfig({
      WECHATY_PUPPET_SERVICE_TOKEN: "insecure_abc",
      WECHATY_PUPPET_SERVICE_ENDPOINT: "127.0.0.1:1",
    });
    const built = buildPuppet(config, silentLogger());
    expect(built.kind).toBe("service");
    expect(built.mocker).toBeUndefined();
    expect((built.puppet as { options: Record<string, unknown> }).options).toMatchObject({
      token: "insecure_abc",
      endpoint: "127.0.0.1:1",
      timeoutSeconds: 90,
    });
    expect(createWechatyRuntime(config, silentLogger()).puppetKind).toBe("service");
  });

  it("names the variable to fix for a token without a prefix", () => {
    const config = serviceConfig({ WECHATY_PUPPET_SERVICE_TOKEN: "nounderscore" });
    expect(() => buildPuppet(config, silentLogger())).toThrow(PuppetConfigError);
    expect(() => buildPuppet(config, silentLogger())).toThrow(/WECHATY_PUPPET_SERVICE_TOKEN/);
  });
});
