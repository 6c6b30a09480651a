import type { CommandDefinition } from "../../../src/plugin-api.ts";
import { CommandError } from "../../../src/plugin-api.ts";
import { type CommandDeps, t } from "./command-deps.ts";
import { label, resolveWho } from "./who.ts";

/** `/erp score [who]`: score the conversation now instead of waiting for a pause. */
export function scoreCommand(deps: CommandDeps): CommandDefinition {
  return {
    name: "score",
    description: { zh: "立即为会话评分", en: "score a conversation now" },
    usage: "[who]",
    async handler(ctx) {
      const l = ctx.locale;
      const { thread, contact } = await resolveWho(deps, ctx, ctx.args);
      const scored = await deps.host.scoreNow(thread.id);
      if (!scored)
        throw new CommandError(t(l, "评分失败或会话为空", "scoring failed or the conversation is empty"), {
          hint: t(l, "查看日志后重试", "check the log and try again"),
        });
      const fallback = scored.result.fallback
        ? t(
            l,
            `（LLM 不可用，已用离线评分：${scored.result.fallback}）`,
            ` (LLM unavailable, offline scorer used: ${scored.result.fallback})`,
          )
        : "";
      return `${label(contact, thread)} ${t(l, "评分", "score")} ${scored.result.score}${fallback}\n${scored.result.reasons.slice(0, 6).join("；")}`;
    },
  };
}
