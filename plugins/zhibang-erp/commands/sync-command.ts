import type { CommandContext, CommandDefinition, Thread } from "../../../src/plugin-api.ts";
import type { JobSettlement } from "../jobs/job-waiter.ts";
import { type CommandDeps, t } from "./command-deps.ts";
import { label, resolveWho } from "./who.ts";

const CHECK_HINTS: Record<string, { zh: string; en: string }> = {
  has_mobile: { zh: "还没有手机号", en: "no mobile number yet" },
  has_name: { zh: "还不知道姓名", en: "the name is unknown" },
  has_company: { zh: "单位客户缺公司名", en: "a company customer without a company name" },
  phone_verified: { zh: "手机号未确认，可用 /erp verify <手机号>", en: "mobile not verified: /erp verify <mobile>" },
  score_pass: { zh: "评分不足", en: "score below the threshold" },
};

/** `/erp sync [who]`: the pipeline now; staff's sync overrides the score check only (audited). */
export function syncCommand(deps: CommandDeps): CommandDefinition {
  return {
    name: "sync",
    description: {
      zh: "立即同步客户到 ERP（员工可放行评分检查）",
      en: "sync a customer to the ERP now (staff may override the score check)",
    },
    usage: "[who]",
    async handler(ctx) {
      if (ctx.args.length === 0 && ctx.defaultCustomer() === undefined) {
        // No customer named, typed in, or picked: the same pass as `wxerp sync` (no score override).
        const { enqueued, scored } = await deps.syncPending(ctx.sender.id);
        const counts = await deps.outbox.counts();
        const first =
          scored > 0 ? t(ctx.locale, `先为 ${scored} 个未评分的会话评分；`, `${scored} unscored thread(s) scored first; `) : "";
        return t(
          ctx.locale,
          `🔁 ${first}已为 ${enqueued} 个已准入的会话排队同步；队列：待处理 ${counts.pending}，失败 ${counts.failed}（/erp queue 查看）`,
          `🔁 ${first}${enqueued} admitted thread(s) queued; outbox: ${counts.pending} pending, ${counts.failed} failed (/erp queue)`,
        );
      }
      const { thread, contact } = await resolveWho(deps, ctx, ctx.args);
      if (thread.unscored > 0) await deps.host.scoreNow(thread.id);
      const at = ctx.origin.at ?? deps.clock().toISOString();
      const result = await deps.requests.request(thread.id, { actor: ctx.sender.id, overrideScore: true, at });
      const name = label(contact, thread);
      const l = ctx.locale;
      if (!result.admission.passed) {
        const why = result.admission.failed.map((c) => CHECK_HINTS[c]?.[l] ?? c).join("；");
        return t(l, `❌ 未同步 ${name}：${why}`, `❌ ${name} not synced: ${why}`);
      }
      if (result.upToDate) return t(l, `✅ ${name} 已在 ERP 中，无需更新`, `✅ ${name} is already up to date in the ERP`);
      const settled = await deps.waiter.wait(result.job!.id, deps.waitMs);
      return describeSettlement(ctx, name, settled, (await deps.store.getThread(thread.id)) ?? thread);
    },
  };
}

export function describeSettlement(
  ctx: CommandContext,
  name: string,
  settled: JobSettlement | undefined,
  thread: Thread,
): string {
  const l = ctx.locale;
  if (!settled)
    return t(l, `⏳ ${name} 已加入同步队列，稍后完成（/erp queue 查看）`, `⏳ ${name} is queued; /erp queue shows progress`);
  if (!settled.ok)
    return t(
      l,
      `❌ ${name} 同步失败：${settled.error}。修复后发送 /erp retry`,
      `❌ ${name} failed: ${settled.error}. Fix it, then /erp retry`,
    );
  const status = String(settled.result?.status ?? "");
  const erp = thread.erp;
  const owner = erp?.public ? t(l, "公海", "the public pool") : (erp?.owners ?? []).join(",");
  if (status === "created") {
    return t(
      l,
      `✅ 已创建 ${name}：${erp?.khid}（ord ${erp?.ord}），指派给 ${owner}，跟进 ${erp?.followups ?? 0} 条`,
      `✅ created ${name}: ${erp?.khid} (ord ${erp?.ord}), assigned to ${owner}, ${erp?.followups ?? 0} follow-up(s)`,
    );
  }
  if (status === "updated") {
    const how = settled.result?.linked
      ? t(
          l,
          `（已关联 ERP 中已有客户，依据：${settled.result.linked}）`,
          ` (linked to the existing ERP customer by ${settled.result.linked})`,
        )
      : "";
    return t(l, `✅ 已更新 ${name}：ord ${erp?.ord}${how}`, `✅ updated ${name}: ord ${erp?.ord}${how}`);
  }
  if (status === "skipped")
    return t(
      l,
      `❌ 未同步 ${name}：${String(settled.result?.failed ?? "")}`,
      `❌ ${name} not synced: ${String(settled.result?.failed ?? "")}`,
    );
  // Say where the customer is: staff often sync right after an auto-sync already created it.
  const khid = erp?.khid || "–";
  const ord = erp?.ord ?? "–";
  return t(
    l,
    `✅ ${name} 已在 ERP 中：${khid}（ord ${ord}），无需更新`,
    `✅ ${name} is in the ERP: ${khid} (ord ${ord}), nothing to update`,
  );
}
