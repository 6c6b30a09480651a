import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createCommandRouter } from "../../src/commands/router.ts";
import { configSchema } from "../../src/config/schema.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { definePlugin } from "../../src/plugins/define-plugin.ts";
import { PluginInstallError } from "../../src/plugins/errors.ts";
import { createPluginHost } from "../../src/plugins/host.ts";
import type { IntakeEvent, PluginHost, ScoredEvent } from "../../src/plugins/types.ts";
import type { Thread, ThreadStore } from "../../src/store/types.ts";
import { openTestStore } from "./test-store.ts";

const config = { ...configSchema.parse({}), secrets: {}, configFiles: [] };

async function setup(options: { shutdownTimeoutMs?: number; notifyFails?: boolean } = {}) {
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: "debug", stream: { write: (line: string) => void logs.push(JSON.parse(line)) } });
  const store: ThreadStore = await openTestStore();
  const router = createCommandRouter({
    prefix: "/erp",
    locale: "zh",
    staff: [],
    selfId: () => "wxid_self",
    logger,
    replies: { toControl: async () => {}, to: async () => {} },
  });
  const notified: string[] = [];
  const host = createPluginHost({
    config,
    logger,
    store,
    router,
    metrics: new Registry(),
    ownMobiles: async () => new Set<string>(),
    notifyControl: async (text) => {
      if (options.notifyFails) throw new Error("not logged in");
      notified.push(text);
    },
    scoreNow: async () => undefined,
    ...(options.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: options.shutdownTimeoutMs }),
  });
  return { host, logs, store, router, notified };
}

function thread(id: string): Thread {
  return { id, contactId: id, messages: [], messageCount: 0, unscored: 0, summary: "", reasons: [], scores: [], extracted: {} };
}

function intake(id = "wxid_zhang3"): IntakeEvent {
  return { thread: thread(id), message: { id: "m1", side: "customer", text: "你好", at: "2026-11-02T10:00:00+08:00" } };
}

describe("plugin host", () => {
  it("runs message and score hooks in the order the plugins were installed", async () => {
    const { host } = await setup();
    const seen: string[] = [];
    for (const name of ["first", "second", "third"]) {
      await host.install(
        definePlugin(name, (h) => {
          h.onMessage(() => void seen.push(`${name}:message`));
          h.onThreadScored(() => void seen.push(`${name}:scored`));
        }),
      );
    }
    await host.emitMessage(intake());
    const scored: ScoredEvent = {
      thread: thread("t"),
      result: { score: 70, summary: "", reasons: [], customer: {}, provider: "heuristic" },
      at: "2026-11-02T10:00:00Z",
    };
    await host.emitThreadScored(scored);
    expect(seen).toEqual(["first:message", "second:message", "third:message", "first:scored", "second:scored", "third:scored"]);
    expect(host.installed()).toEqual(["first", "second", "third"]);
  });

  it("logs a failing hook under the plugin's name and still runs the next plugin", async () => {
    const { host, logs } = await setup();
    const seen: string[] = [];
    await host.install(
      definePlugin("broken", (h) => h.onMessage(async () => Promise.reject(new Error("ERP down for 13800138000")))),
    );
    await host.install(definePlugin("after", (h) => h.onMessage(() => void seen.push("after ran"))));
    await host.emitMessage(intake());
    expect(seen).toEqual(["after ran"]);
    const line = logs.find((l) => l.msg === "plugin message handler failed");
    expect(line).toMatchObject({ level: 50, plugin: "broken", threadId: "wxid_zhang3", messageId: "m1" });
    expect(host.activityFeed.recent(1)[0]).toMatchObject({ kind: "plugin.error", source: "broken", contactId: "wxid_zhang3" });
    expect(JSON.stringify(host.activityFeed.recent())).not.toContain("13800138000");
  });

  it("gives each plugin a child logger carrying its name", async () => {
    const { host, logs } = await setup();
    await host.install(definePlugin("zhibang-erp", (h) => h.logger.info("hello from the plugin")));
    expect(logs.find((l) => l.msg === "hello from the plugin")).toMatchObject({ plugin: "zhibang-erp" });
  });

  it("hands each plugin the config, router, store, metrics, activity and scoreNow", async () => {
    const { host, store, router } = await setup();
    let view: PluginHost | undefined;
    await host.install(
      definePlugin("probe", (h) => {
        view = h;
      }),
    );
    expect(view?.config.commands.prefix).toBe("/erp");
    expect(view?.commands).toBe(router);
    expect(view?.store).toBe(store);
    view?.activity({ kind: "erp.sync", text: "created WX000001", contactId: "wxid_zhang3" });
    expect(host.activityFeed.recent(1)[0]).toMatchObject({ kind: "erp.sync", source: "probe", text: "created WX000001" });
    expect(typeof host.activityFeed.recent(1)[0]?.at).toBe("string");
    expect(await view?.scoreNow("wxid_zhang3")).toBeUndefined();
  });

  it("passes notifyControl through and swallows (logs) its failures", async () => {
    const ok = await setup();
    await ok.host.install(definePlugin("alerts", (h) => h.notifyControl("⚠️ 同步成功率 70%")));
    expect(ok.notified).toEqual(["⚠️ 同步成功率 70%"]);

    const failing = await setup({ notifyFails: true });
    await failing.host.install(definePlugin("alerts", (h) => h.notifyControl("⚠️")));
    expect(failing.logs.find((l) => l.msg === "could not send a line to the control chat")).toMatchObject({ plugin: "alerts" });
  });

  it("rejects a second plugin with the same name and a plugin whose install throws", async () => {
    const { host } = await setup();
    const seen: string[] = [];
    await host.install(definePlugin("erp", () => undefined));
    await expect(host.install(definePlugin("erp", () => undefined))).rejects.toThrow(/"erp" is already installed/);
    const failing = definePlugin("half", (h) => {
      h.onMessage(() => void seen.push("half-installed hook ran"));
      throw new Error("bad tier config");
    });
    await expect(host.install(failing)).rejects.toThrow(PluginInstallError);
    await host.emitMessage(intake());
    expect(seen).toEqual([]);
  });

  it("names the install function after the plugin for stack traces", () => {
    expect(definePlugin("zhibang-erp", () => undefined).install.name).toBe("ZhibangErpPlugin");
    expect(() => definePlugin("Bad Name", () => undefined)).toThrow(/kebab-case/);
  });
});

describe("plugin host shutdown", () => {
  it("calls uninstallers and onShutdown handlers in reverse order", async () => {
    const { host } = await setup();
    const order: string[] = [];
    for (const name of ["a", "b"]) {
      await host.install(
        definePlugin(name, (h) => {
          h.onShutdown(() => void order.push(`${name}:onShutdown`));
          return () => void order.push(`${name}:uninstall`);
        }),
      );
    }
    await host.shutdown();
    expect(order).toEqual(["b:uninstall", "b:onShutdown", "a:uninstall", "a:onShutdown"]);
  });

  it("bounds each handler by the timeout, logs failures, and goes on", async () => {
    const { host, logs } = await setup({ shutdownTimeoutMs: 20 });
    const order: string[] = [];
    await host.install(definePlugin("first", (h) => h.onShutdown(() => void order.push("first"))));
    await host.install(definePlugin("hangs", (h) => h.onShutdown(() => new Promise<void>(() => {}))));
    await host.install(
      definePlugin("throws", (h) =>
        h.onShutdown(() => {
          throw new Error("close failed");
        }),
      ),
    );
    await host.shutdown();
    expect(order).toEqual(["first"]);
    const failures = logs.filter((l) => l.msg === "plugin shutdown handler failed");
    expect(failures.map((l) => l.plugin)).toEqual(["throws", "hangs"]);
    expect(JSON.stringify(failures[1])).toContain("did not finish within 20 ms");
  });

  it("shuts down once and ignores events afterwards", async () => {
    const { host } = await setup();
    const seen: string[] = [];
    let shutdowns = 0;
    await host.install(
      definePlugin("p", (h) => {
        h.onMessage(() => void seen.push("message"));
        h.onShutdown(() => void shutdowns++);
      }),
    );
    await Promise.all([host.shutdown(), host.shutdown()]);
    await host.shutdown();
    await host.emitMessage(intake());
    expect(shutdowns).toBe(1);
    expect(seen).toEqual([]);
    await expect(host.install(definePlugin("late", () => undefined))).rejects.toThrow(/shutting down/);
  });
});
