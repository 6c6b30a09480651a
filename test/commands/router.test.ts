import { describe, expect, it } from "vitest";
import { CustomerPicks } from "../../src/commands/customer-picks.ts";
import { CommandError } from "../../src/commands/errors.ts";
import { createCommandRouter } from "../../src/commands/router.ts";
import type {
  CommandCandidate,
  CommandContext,
  CommandOrigin,
  CustomerVisibleCommand,
  DeniedCommand,
} from "../../src/commands/types.ts";
import { createLogger } from "../../src/logging/logger.ts";

const SELF = "wxid_sales_self";
const STAFF = "wxid_manager";
const CUSTOMER = "wxid_customer_zhang3";

interface Sent {
  to: string;
  text: string;
}

function setup(options: { locale?: "zh" | "en"; failingReplies?: boolean; picks?: CustomerPicks } = {}) {
  const sent: Sent[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const denied: DeniedCommand[] = [];
  const visible: CustomerVisibleCommand[] = [];
  const calls: CommandContext[] = [];
  const defaults: Array<string | undefined> = [];
  const send = async (to: string, text: string) => {
    if (options.failingReplies) throw new Error("puppet offline");
    sent.push({ to, text });
  };
  const router = createCommandRouter({
    prefix: "/erp",
    locale: options.locale ?? "zh",
    staff: [STAFF],
    selfId: () => SELF,
    logger: createLogger({ level: "debug", stream: { write: (line: string) => void logs.push(JSON.parse(line)) } }),
    replies: { toControl: (text) => send("control", text), to: send },
    onDenied: (info) => void denied.push(info),
    onCustomerVisible: (info) => void visible.push(info),
    ...(options.picks ? { picks: options.picks } : {}),
  });
  router.register({
    name: "sync",
    description: { zh: "同步客户到 ERP", en: "sync the customer to the ERP" },
    usage: "[who]",
    maxArgs: 1,
    handler: async (ctx) => {
      calls.push(ctx);
      const who = ctx.args[0] ?? ctx.defaultCustomer();
      defaults.push(who);
      if (who === "wxid_broken") throw new Error("ERP down");
      return `已同步 ${who ?? "?"}`;
    },
  });
  router.register({
    name: "verify",
    description: { zh: "确认手机号", en: "verify a mobile" },
    usage: "<mobile> [who]",
    minArgs: 1,
    maxArgs: 2,
    handler: async (ctx) => {
      calls.push(ctx);
      return `ok ${ctx.args.join("|")}`;
    },
  });
  return { router, sent, logs, denied, visible, calls, defaults };
}

function candidate(text: string, senderId: string, origin: CommandOrigin, backlog = false): CommandCandidate {
  return { text, sender: { id: senderId, name: "王经理" }, origin, messageId: `m-${Math.random()}`, backlog };
}

const inCustomerChat: CommandOrigin = { kind: "customer", customerId: CUSTOMER };
const inControl: CommandOrigin = { kind: "control" };
const ROOM = "room_sales@chatroom";
const inCustomerGroup: CommandOrigin = {
  kind: "room",
  roomId: ROOM,
  room: { allowed: false, topic: "远航科技项目群", reason: "outsiders", outsiders: [{ id: CUSTOMER, name: "张三" }] },
};
const inUnlistedGroup: CommandOrigin = {
  kind: "room",
  roomId: ROOM,
  room: { allowed: false, topic: "闲聊", reason: "not-listed" },
};
const inStaffGroup: CommandOrigin = { kind: "room", roomId: ROOM, room: { allowed: true, topic: "销售内部群" } };

describe("authorisation", () => {
  it("runs commands from the bot's own account and from staff", async () => {
    const { router, sent, calls } = setup();
    expect((await router.dispatch(candidate("/erp sync 张三", SELF, inControl))).status).toBe("done");
    expect((await router.dispatch(candidate("/erp sync 李四", STAFF, inControl))).status).toBe("done");
    expect(calls.map((c) => c.sender.id)).toEqual([SELF, STAFF]);
    expect(sent.map((s) => s.text)).toEqual(["已同步 张三", "已同步 李四"]);
  });

  it("gives a customer typing /erp sync silence, a warning and an onDenied call", async () => {
    const { router, sent, logs, denied, calls } = setup();
    const outcome = await router.dispatch(candidate("/erp sync", CUSTOMER, inCustomerChat));
    expect(outcome).toEqual({ status: "denied", command: "sync", replies: [] });
    expect(sent).toEqual([]);
    expect(calls).toEqual([]);
    expect(denied).toMatchObject([{ sender: { id: CUSTOMER }, command: "sync", origin: inCustomerChat, text: "/erp sync" }]);
    expect(logs.find((l) => l.level === 40)).toMatchObject({ sender: CUSTOMER, command: "sync" });
  });

  it("gives a stranger in a room silence, even with a staff member's nickname", async () => {
    const { router, sent, denied } = setup();
    const outcome = await router.dispatch({
      ...candidate("/erp help", "wxid_stranger", inStaffGroup),
      sender: { id: "wxid_stranger", name: STAFF },
    });
    expect(outcome.status).toBe("denied");
    expect(sent).toEqual([]);
    expect(denied).toHaveLength(1);
  });

  it("never runs a backlog command, not even the bot's own", async () => {
    const { router, sent, calls, denied } = setup();
    const outcome = await router.dispatch(candidate("/erp sync 张三", SELF, inControl, true));
    expect(outcome.status).toBe("backlog");
    expect(calls).toEqual([]);
    expect(sent).toEqual([]);
    expect(denied).toEqual([]);
  });

  it("ignores text that is not a command, such as /erpx", async () => {
    const { router, sent } = setup();
    expect((await router.dispatch(candidate("/erpx sync", SELF, inControl))).status).toBe("not-command");
    expect((await router.dispatch(candidate("你好 /erp sync", SELF, inControl))).status).toBe("not-command");
    expect(sent).toEqual([]);
  });
});

describe("reply routing", () => {
  it("sends replies to a command typed in a customer's chat to the control chat", async () => {
    const { router, sent, calls } = setup();
    await router.dispatch(candidate("/erp sync", SELF, inCustomerChat));
    expect(sent).toEqual([{ to: "control", text: `已同步 ${CUSTOMER}` }]);
    expect(calls[0]?.origin.customerId).toBe(CUSTOMER);
  });

  it("answers the control chat in the control chat and a staff 1:1 in that chat", async () => {
    const { router, sent } = setup();
    await router.dispatch(candidate("/erp sync a", SELF, inControl));
    await router.dispatch(candidate("/erp sync b", STAFF, inControl));
    expect(sent).toEqual([
      { to: "control", text: "已同步 a" },
      { to: STAFF, text: "已同步 b" },
    ]);
  });

  it("answers a command typed in a staff group in the control chat, never in the group", async () => {
    const { router, sent, visible } = setup();
    const outcome = await router.dispatch(candidate("/erp sync 张三", STAFF, inStaffGroup));
    expect(outcome.status).toBe("done");
    expect(sent).toEqual([{ to: "control", text: "已同步 张三" }]);
    expect(visible).toEqual([]);
  });

  it("does not run a command typed in a group with customers or an unlisted group, and sends nothing there", async () => {
    const { router, sent, calls, visible } = setup();
    for (const origin of [inCustomerGroup, inUnlistedGroup]) {
      expect((await router.dispatch(candidate("/erp sync 张三", STAFF, origin))).status).toBe("refused");
      expect((await router.dispatch(candidate("/erp sync 张三", SELF, origin))).status).toBe("refused");
    }
    expect(calls).toEqual([]);
    expect(sent).toEqual([]);
    expect(visible.map((v) => [v.sender.id, v.origin.room, v.ran])).toEqual([
      [STAFF, inCustomerGroup.room, false],
      [SELF, inCustomerGroup.room, false],
      [STAFF, inUnlistedGroup.room, false],
      [SELF, inUnlistedGroup.room, false],
    ]);
  });
  it("routes ctx.reply the same way as a returned text", async () => {
    const { router, sent } = setup();
    router.register({
      name: "queue",
      description: { zh: "队列", en: "queue" },
      handler: async (ctx) => {
        await ctx.reply("第一行");
        await ctx.reply("第二行");
        return undefined;
      },
    });
    const outcome = await router.dispatch(candidate("/erp queue", SELF, inCustomerChat));
    expect(outcome.replies).toEqual(["第一行", "第二行"]);
    expect(sent.map((s) => s.to)).toEqual(["control", "control"]);
  });
});

describe("a command typed where a customer reads it", () => {
  it("runs a command typed in a customer's chat, recalls it first, then reports it", async () => {
    const { router, sent, visible } = setup();
    const order: string[] = [];
    const outcome = await router.dispatch({
      ...candidate("/erp sync", SELF, inCustomerChat),
      recall: async () => {
        order.push(`recall before ${sent.length} replies`);
        return true;
      },
    });
    expect(outcome.status).toBe("done");
    expect(order).toEqual(["recall before 0 replies"]);
    expect(sent).toEqual([{ to: "control", text: `已同步 ${CUSTOMER}` }]);
    expect(visible).toMatchObject([{ command: "sync", ran: true, recalled: true, origin: inCustomerChat }]);
  });

  it("reports recalled: false when the puppet cannot recall, and a recall that throws is logged, not fatal", async () => {
    const { router, visible, logs } = setup();
    await router.dispatch({ ...candidate("/erp sync", SELF, inCustomerChat), recall: async () => false });
    const thrown = await router.dispatch({
      ...candidate("/erp sync", SELF, inCustomerChat),
      recall: async () => {
        throw new Error("gateway: recall not supported");
      },
    });
    expect(thrown.status).toBe("done");
    expect(visible.map((v) => v.recalled)).toEqual([false, false]);
    expect(logs.find((l) => l.msg === "could not recall a command message")).toMatchObject({ level: 40 });
  });

  it("recalls only the salesperson's own message in a refused group, never a colleague's", async () => {
    const { router, visible } = setup();
    const recalled: string[] = [];
    const recall = (who: string) => async () => {
      recalled.push(who);
      return true;
    };
    await router.dispatch({ ...candidate("/erp sync", SELF, inCustomerGroup), recall: recall("self") });
    await router.dispatch({ ...candidate("/erp sync", STAFF, inCustomerGroup), recall: recall("staff") });
    expect(recalled).toEqual(["self"]);
    expect(visible.map((v) => v.recalled)).toEqual([true, undefined]);
  });
});

describe("a customer picked in the control chat", () => {
  function withPicks() {
    let now = 0;
    const picks = new CustomerPicks(10 * 60_000, () => now);
    const advance = (ms: number) => {
      now += ms;
    };
    return { picks, ...setup({ picks }), advance };
  }

  it("is the customer of the next command that names none, once", async () => {
    const { router, picks, sent } = withPicks();
    picks.pick(SELF, "wxid_li");
    await router.dispatch(candidate("/erp sync", SELF, inControl));
    await router.dispatch(candidate("/erp sync", SELF, inControl));
    expect(sent.map((s) => s.text)).toEqual(["已同步 wxid_li", "已同步 ?"]);
  });

  it("is kept by a command that names its customer, and by one that failed", async () => {
    const { router, picks, sent } = withPicks();
    picks.pick(SELF, "wxid_broken");
    await router.dispatch(candidate("/erp sync 王五", SELF, inControl));
    expect((await router.dispatch(candidate("/erp sync", SELF, inControl))).status).toBe("failed");
    picks.pick(SELF, "wxid_li");
    await router.dispatch(candidate("/erp sync", SELF, inControl));
    expect(sent.map((s) => s.text)).toEqual(["已同步 王五", expect.stringContaining("ERP down"), "已同步 wxid_li"]);
  });

  it("expires, belongs to whoever picked, and is not used outside the control chat", async () => {
    const { router, picks, defaults, advance } = withPicks();
    picks.pick(SELF, "wxid_li");
    await router.dispatch(candidate("/erp sync", STAFF, inControl));
    await router.dispatch(candidate("/erp sync", SELF, inStaffGroup));
    await router.dispatch(candidate("/erp sync", SELF, inCustomerChat));
    advance(10 * 60_000);
    await router.dispatch(candidate("/erp sync", SELF, inControl));
    expect(defaults).toEqual([undefined, undefined, CUSTOMER, undefined]);
  });
});

describe("help, unknown commands and usage", () => {
  it("lists every registered command in Chinese for /erp and /erp help", async () => {
    const { router, sent } = setup();
    await router.dispatch(candidate("/erp", SELF, inControl));
    await router.dispatch(candidate("/erp help", SELF, inControl));
    expect(sent[0]?.text).toBe(sent[1]?.text);
    const lines = sent[0]?.text.split("\n") ?? [];
    expect(lines[0]).toBe("可用命令（/erp 命令 参数）：");
    expect(lines.slice(1)).toEqual([
      "/erp help — 显示本帮助",
      "/erp sync [who] — 同步客户到 ERP",
      "/erp verify <mobile> [who] — 确认手机号",
    ]);
  });

  it("lists every registered command in English with locale en", async () => {
    const { router, sent } = setup({ locale: "en" });
    const outcome = await router.dispatch(candidate("/erp help", SELF, inControl));
    expect(outcome.status).toBe("help");
    expect(sent[0]?.text.split("\n")).toEqual([
      "Commands (/erp command args):",
      "/erp help — show this help",
      "/erp sync [who] — sync the customer to the ERP",
      "/erp verify <mobile> [who] — verify a mobile",
    ]);
  });

  it("answers an unknown command with one line naming it, then the help", async () => {
    const { router, sent } = setup();
    const outcome = await router.dispatch(candidate("/erp snyc 张三", SELF, inControl));
    expect(outcome.status).toBe("unknown");
    const lines = sent[0]?.text.split("\n") ?? [];
    expect(lines[0]).toBe("未知命令：snyc");
    expect(lines).toContain("/erp sync [who] — 同步客户到 ERP");
  });

  it("keeps quoted arguments together", async () => {
    const { router, calls } = setup();
    await router.dispatch(candidate('/erp verify 13800138000 "张 三"', SELF, inControl));
    expect(calls[0]?.args).toEqual(["13800138000", "张 三"]);
    expect(calls[0]?.rest).toBe('13800138000 "张 三"');
  });

  it("answers too few or too many arguments with the usage line and does not run the handler", async () => {
    const { router, sent, calls } = setup();
    expect((await router.dispatch(candidate("/erp verify", SELF, inControl))).status).toBe("usage");
    expect((await router.dispatch(candidate("/erp verify 1 2 3", SELF, inControl))).status).toBe("usage");
    expect(calls).toEqual([]);
    expect(sent.map((s) => s.text)).toEqual([
      "用法：/erp verify <mobile> [who]（确认手机号）",
      "用法：/erp verify <mobile> [who]（确认手机号）",
    ]);
  });
});

describe("error boundary", () => {
  it("tells the user one short masked line and logs the whole error", async () => {
    const { router, sent, logs } = setup();
    router.register({
      name: "push",
      description: { zh: "推送", en: "push" },
      handler: async () => {
        throw new Error("ERP 无法连接 for 13800138000\n    at stack line", {
          cause: new Error("connect ECONNREFUSED 127.0.0.1:9"),
        });
      },
    });
    const outcome = await router.dispatch(candidate("/erp push", SELF, inCustomerChat));
    expect(outcome.status).toBe("failed");
    expect(sent).toEqual([{ to: "control", text: "❌ push 失败：ERP 无法连接 for 138****8000（已记录，请稍后重试或查看日志）" }]);
    const logged = logs.find((l) => l.msg === "command failed");
    expect(logged).toMatchObject({ level: 50, command: "push", sender: SELF, origin: "customer" });
    expect(JSON.stringify(logged)).toContain("ECONNREFUSED");
    expect(JSON.stringify(logs)).not.toContain("13800138000");
  });

  it("uses the error's hint and cuts a long reason to 120 characters", async () => {
    const { router, sent } = setup();
    router.register({
      name: "push",
      description: { zh: "推送", en: "push" },
      handler: async () => {
        throw new CommandError("很".repeat(300), { hint: "已记录，稍后重试或查看 /erp queue" });
      },
    });
    await router.dispatch(candidate("/erp push", SELF, inControl));
    const text = sent[0]?.text ?? "";
    expect(text).toBe(`❌ push 失败：${"很".repeat(119)}…（已记录，稍后重试或查看 /erp queue）`);
  });

  it("says it in English with locale en", async () => {
    const { router, sent } = setup({ locale: "en" });
    router.register({
      name: "push",
      description: { zh: "推送", en: "push" },
      handler: async () => {
        throw new Error("ERP unreachable.");
      },
    });
    await router.dispatch(candidate("/erp push", SELF, inControl));
    expect(sent[0]?.text).toBe("❌ push failed: ERP unreachable (logged; try again later or check the log)");
  });

  it("logs a reply that cannot be sent and does not throw", async () => {
    const { router, logs } = setup({ failingReplies: true });
    const outcome = await router.dispatch(candidate("/erp sync 张三", SELF, inControl));
    expect(outcome.status).toBe("done");
    expect(logs.find((l) => l.msg === "command reply could not be sent")).toMatchObject({ level: 50, command: "sync" });
  });
});
