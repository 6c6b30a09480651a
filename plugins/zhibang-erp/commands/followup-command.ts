import type { CommandDefinition } from "../../../src/plugin-api.ts";
import { CommandError } from "../../../src/plugin-api.ts";
import { type FollowupJobPayload, JOB_KINDS } from "../jobs/handlers.ts";
import { type CommandDeps, t } from "./command-deps.ts";
import { label, resolveWho } from "./who.ts";

/**
 * `/erp followup <text> [who]`. The text is free, so `who` is taken only when typed in a
 * customer's chat (the default) or after a `|`: `/erp followup 已寄样品 | 张三`.
 */
export function followupCommand(deps: CommandDeps): CommandDefinition {
  return {
    name: "followup",
    description: { zh: "为客户添加一条跟进记录（洽谈进展）", en: "add a follow-up record (洽谈进展) to a customer" },
    usage: "<text> [| who]",
    minArgs: 1,
    async handler(ctx) {
      const l = ctx.locale;
      const [textPart, whoPart] = ctx.rest.split(/[|｜]/, 2);
      const text = (textPart ?? "").trim();
      if (!text)
        throw new CommandError(t(l, "跟进内容为空", "the follow-up text is empty"), { hint: "/erp followup 已寄样品 | 张三" });
      if (text.length > 900) throw new CommandError(t(l, "跟进内容超过 900 字", "the text is longer than 900 characters"));
      const { thread, contact } = await resolveWho(deps, ctx, whoPart ? [whoPart] : []);
      if (!thread.erp)
        throw new CommandError(
          t(l, `${label(contact, thread)} 还不在 ERP 中`, `${label(contact, thread)} is not in the ERP yet`),
          { hint: "/erp sync" },
        );
      const payload: FollowupJobPayload = { text, at: ctx.origin.at ?? deps.clock().toISOString() };
      const job = await deps.outbox.enqueue({ kind: JOB_KINDS.followup, key: thread.id, payload, actor: ctx.sender.id });
      deps.kick();
      const settled = await deps.waiter.wait(job.id, deps.waitMs);
      if (!settled)
        return t(l, `⏳ 跟进记录已排队：${label(contact, thread)}`, `⏳ follow-up queued for ${label(contact, thread)}`);
      if (!settled.ok) throw new CommandError(settled.error, { hint: "/erp queue" });
      return t(l, `✅ 已为 ${label(contact, thread)} 添加跟进记录`, `✅ follow-up added to ${label(contact, thread)}`);
    },
  };
}
