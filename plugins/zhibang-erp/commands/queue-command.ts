import type { CommandDefinition } from "../../../src/plugin-api.ts";
import { maskText } from "../../../src/plugin-api.ts";
import { type CommandDeps, t } from "./command-deps.ts";

const MAX_SHOWN = 10;

/** `/erp queue`: pending and failed ERP jobs, with their errors. */
export function queueCommand(deps: CommandDeps): CommandDefinition {
  return {
    name: "queue",
    description: { zh: "查看待处理和失败的 ERP 任务", en: "pending and failed ERP jobs" },
    maxArgs: 0,
    async handler(ctx) {
      const l = ctx.locale;
      const counts = await deps.outbox.counts();
      const jobs = await deps.outbox.list({ states: ["failed", "running", "pending"], limit: MAX_SHOWN });
      const head = t(
        l,
        `队列：待处理 ${counts.pending}，运行中 ${counts.running}，失败 ${counts.failed}`,
        `Queue: ${counts.pending} pending, ${counts.running} running, ${counts.failed} failed`,
      );
      if (jobs.length === 0) return `${head}\n${t(l, "✅ 没有待处理的任务", "✅ nothing waiting")}`;
      const lines = await Promise.all(
        jobs.map(async (job) => {
          const contact = await deps.store.getContact(job.key);
          const name = contact?.alias || contact?.name || job.key;
          const error = job.lastError ? ` · ${maskText(job.lastError).slice(0, 80)}` : "";
          return `• ${job.state} ${job.kind} ${name} (${job.attempts}/${job.maxAttempts})${error}`;
        }),
      );
      const tip = counts.failed > 0 ? t(l, "\n修复问题后发送 /erp retry 重试失败任务", "\nFix the cause, then /erp retry") : "";
      return `${head}\n${lines.join("\n")}${tip}`;
    },
  };
}
