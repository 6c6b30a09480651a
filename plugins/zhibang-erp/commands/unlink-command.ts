import type { CommandDefinition } from "../../../src/plugin-api.ts";
import { CommandError } from "../../../src/plugin-api.ts";
import { type CommandDeps, t } from "./command-deps.ts";
import { label, resolveWho } from "./who.ts";

/**
 * `/erp unlink <who>`: undoes the sync's link to a customer it found in the ERP (same mobile
 * or company) when that record is someone else. Only the local link goes: the ERP record is
 * not touched, and the thread is never linked to that record again automatically, so the
 * next sync creates its own customer or finds the right one.
 */
export function unlinkCommand(deps: CommandDeps): CommandDefinition {
  return {
    name: "unlink",
    description: {
      zh: "解除与 ERP 中已有客户的关联（下次同步新建或重新匹配）",
      en: "undo the link to a customer found in the ERP (the next sync creates or finds another)",
    },
    usage: "<who>",
    minArgs: 1,
    async handler(ctx) {
      const l = ctx.locale;
      const { thread, contact } = await resolveWho(deps, ctx, ctx.args);
      const name = label(contact, thread);
      const erp = thread.erp;
      if (!erp) throw new CommandError(t(l, `${name} 没有关联 ERP 客户`, `${name} is not linked to an ERP customer`));
      if (!erp.linked) {
        throw new CommandError(
          t(
            l,
            `${name} 的 ERP 客户 ${erp.khid} 是 wxerp 为其新建的`,
            `${name}'s ERP customer ${erp.khid} was created by wxerp for them`,
          ),
          { hint: t(l, "解除后下次同步仍会关联回这条记录", "the next sync would link it again") },
        );
      }
      const busy = await deps.outbox.list({ key: thread.id, states: ["pending", "running"] });
      if (busy.length > 0) {
        throw new CommandError(
          t(l, `${name} 还有 ${busy.length} 个 ERP 任务未完成`, `${name} has ${busy.length} ERP job(s) in progress`),
          {
            hint: t(l, "等任务完成后再试（/erp queue）", "try again once they are done (/erp queue)"),
          },
        );
      }
      await deps.store.updateThread(thread.id, (draft) => {
        delete draft.erp;
        draft.unlinkedOrds = [...new Set([...(draft.unlinkedOrds ?? []), erp.ord])];
        draft.syncState = "none";
        delete draft.lastError;
      });
      await deps.store.flush();
      deps.audit.write({
        operation: "decision.unlink",
        actor: ctx.sender.id,
        contact: thread.id,
        outcome: "ok",
        ord: erp.ord,
        khid: erp.khid,
        how: erp.linked,
      });
      deps.host.activity({ kind: "unlinked", contactId: thread.id, text: `unlinked from ord ${erp.ord} by staff` });
      const record = t(l, `${erp.khid || "–"}（ord ${erp.ord}）`, `${erp.khid || "–"} (ord ${erp.ord})`);
      const who = contact?.alias || contact?.name || thread.id;
      return t(
        l,
        `✂️ 已解除 ${who} 与 ERP 客户 ${record}的关联。ERP 中的记录和已写入的跟进未改动` +
          `${erp.linked === "company" ? "（加入该公司的联系人请在 ERP 中手动删除）" : ""}。` +
          `下次同步会为 ${who} 新建客户或重新匹配：${deps.config.commands.prefix} sync ${who}`,
        `✂️ ${who} is no longer linked to the ERP customer ${record}. The ERP record and the follow-ups already there are unchanged` +
          `${erp.linked === "company" ? " (remove the contact person added to that company in the ERP by hand)" : ""}. ` +
          `The next sync creates a customer for ${who} or finds the right one: ${deps.config.commands.prefix} sync ${who}`,
      );
    },
  };
}
