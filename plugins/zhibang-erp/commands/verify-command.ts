import type { CommandDefinition } from "../../../src/plugin-api.ts";
import { CommandError, maskMobile, normalizeMobile } from "../../../src/plugin-api.ts";
import { type CommandDeps, t } from "./command-deps.ts";
import { describeSettlement } from "./sync-command.ts";
import { label, resolveWho } from "./who.ts";

/** `/erp verify <mobile> [who]`: staff confirm a customer's mobile (the admission check phone_verified). */
export function verifyCommand(deps: CommandDeps): CommandDefinition {
  return {
    name: "verify",
    description: { zh: "确认客户手机号（满足 phone_verified）", en: "confirm a customer's mobile (phone_verified)" },
    usage: "<mobile> [who]",
    minArgs: 1,
    async handler(ctx) {
      const l = ctx.locale;
      const parsed = mobileFromArgs(ctx.args);
      if (!parsed) {
        throw new CommandError(
          t(l, `「${ctx.args[0]}」不是有效的 11 位手机号`, `"${ctx.args[0]}" is not a valid 11-digit mainland mobile`),
          {
            hint: t(l, "格式：/erp verify <11位手机号> [客户]", "usage: /erp verify <11-digit mobile> [who]"),
          },
        );
      }
      const { mobile, rest } = parsed;
      const { thread, contact } = await resolveWho(deps, ctx, rest);
      const at = ctx.origin.at ?? deps.clock().toISOString();
      const previous = thread.extracted.mobile?.value;
      await deps.store.updateThread(thread.id, (th) => {
        th.extracted.mobile = { value: mobile, source: "staff", verified: true, at };
      });
      deps.audit.write({
        operation: "decision.verify",
        actor: ctx.sender.id,
        contact: thread.id,
        outcome: "ok",
        mobile,
        ...(previous ? { previous } : {}),
      });
      deps.host.activity({ kind: "verify", contactId: thread.id, text: `mobile ${maskMobile(mobile)} verified by staff` });
      const changed =
        previous && previous !== mobile
          ? t(l, `（原号码 ${maskMobile(previous)} 已替换）`, ` (replaces ${maskMobile(previous)})`)
          : "";
      const done = t(
        l,
        `✅ 已确认 ${label(contact, thread)} 的手机号 ${maskMobile(mobile)}${changed}`,
        `✅ ${label(contact, thread)}: mobile ${maskMobile(mobile)} verified${changed}`,
      );
      // With auto-sync on, a verified number may be all the thread was waiting for.
      if (!deps.config.sync.auto || thread.score === undefined || thread.erp) return done;
      const result = await deps.requests.request(thread.id, { actor: ctx.sender.id, at });
      if (result.job) {
        // Wait like /erp sync does, so staff read "created WX000001" rather than "queued".
        const settled = await deps.waiter.wait(result.job.id, deps.waitMs);
        const now = (await deps.store.getThread(thread.id)) ?? thread;
        return `${done}\n${describeSettlement(ctx, label(contact, thread), settled, now)}`;
      }
      const failed = result.admission.failed.join(", ");
      const hint = failed === "score_pass" ? t(l, "（/erp sync 可放行评分）", " (/erp sync overrides the score)") : "";
      return `${done}\n${t(l, `仍未满足：${failed}${hint}`, `still missing: ${failed}${hint}`)}`;
    },
  };
}

/**
 * The number as staff type it, spaces included ("138 1234 5678 张三"): the shortest run of
 * leading words that reads as one valid mobile; the words after it name the customer.
 */
export function mobileFromArgs(args: string[]): { mobile: string; rest: string[] } | undefined {
  for (let words = 1; words <= Math.min(4, args.length); words++) {
    const mobile = normalizeMobile(args.slice(0, words).join(" "));
    if (mobile) return { mobile, rest: args.slice(words) };
  }
  return undefined;
}
