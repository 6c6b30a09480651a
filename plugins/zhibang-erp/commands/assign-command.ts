import type { CommandDefinition } from "../../../src/plugin-api.ts";
import { CommandError } from "../../../src/plugin-api.ts";
import { type AssignJobPayload, JOB_KINDS } from "../jobs/handlers.ts";
import type { AssignTarget } from "../sync/erp-port.ts";
import { type CommandDeps, t } from "./command-deps.ts";
import { label, resolveWho } from "./who.ts";

/** `/erp assign <userId|public> [who]`: staff choose the owner in the ERP. */
export function assignCommand(deps: CommandDeps): CommandDefinition {
  return {
    name: "assign",
    description: {
      zh: "指派客户给销售（用户ID）或放入公海（public）",
      en: "assign a customer to a salesperson (user id) or the public pool",
    },
    usage: "<userId|public> [who]",
    minArgs: 1,
    async handler(ctx) {
      const l = ctx.locale;
      const raw = ctx.args[0]!.toLowerCase();
      const target: AssignTarget | undefined =
        raw === "public" || raw === "公海"
          ? { mode: "public" }
          : /^\d+(,\d+)*$/.test(raw)
            ? { mode: "users", users: raw.split(",") }
            : undefined;
      if (!target) {
        throw new CommandError(t(l, `「${ctx.args[0]}」不是 ERP 用户ID`, `"${ctx.args[0]}" is not an ERP user id`), {
          hint: t(
            l,
            "例如 /erp assign 123 张三，或 /erp assign public 张三",
            "e.g. /erp assign 123 Zhang, or /erp assign public Zhang",
          ),
        });
      }
      const { thread, contact } = await resolveWho(deps, ctx, ctx.args.slice(1));
      if (!thread.erp)
        throw new CommandError(
          t(l, `${label(contact, thread)} 还不在 ERP 中`, `${label(contact, thread)} is not in the ERP yet`),
          { hint: "/erp sync" },
        );
      const payload: AssignJobPayload = { target, at: ctx.origin.at ?? deps.clock().toISOString() };
      const job = await deps.outbox.enqueue({ kind: JOB_KINDS.assign, key: thread.id, payload, actor: ctx.sender.id });
      deps.kick();
      const settled = await deps.waiter.wait(job.id, deps.waitMs);
      const who = target.mode === "public" ? t(l, "公海", "the public pool") : target.users.join(",");
      if (!settled)
        return t(l, `⏳ 指派已排队：${label(contact, thread)} → ${who}`, `⏳ queued: ${label(contact, thread)} → ${who}`);
      if (!settled.ok) throw new CommandError(settled.error, { hint: "/erp queue" });
      return t(l, `✅ 已指派 ${label(contact, thread)} → ${who}`, `✅ assigned ${label(contact, thread)} → ${who}`);
    },
  };
}
