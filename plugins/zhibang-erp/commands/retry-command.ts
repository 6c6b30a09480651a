import type { CommandDefinition } from "../../../src/plugin-api.ts";
import { type CommandDeps, t } from "./command-deps.ts";

/** `/erp retry`: failed (parked) jobs run again now; also lifts a refused-login stop. */
export function retryCommand(deps: CommandDeps): CommandDefinition {
  return {
    name: "retry",
    description: { zh: "重试失败的 ERP 任务", en: "retry failed ERP jobs" },
    maxArgs: 0,
    async handler(ctx) {
      deps.latch.clear();
      const count = await deps.outbox.retryFailed();
      deps.audit.write({ operation: "command.retry", actor: ctx.sender.id, outcome: "ok", jobs: count });
      deps.kick();
      return count === 0
        ? t(ctx.locale, "没有失败的任务", "no failed jobs")
        : t(
            ctx.locale,
            `🔁 已重新排队 ${count} 个任务（/erp queue 查看进度）`,
            `🔁 ${count} job(s) queued again (/erp queue shows progress)`,
          );
    },
  };
}
