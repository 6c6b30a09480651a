import type { AuditLog, PluginHost, Thread } from "../../src/plugin-api.ts";
import { maskMobile } from "../../src/plugin-api.ts";
import { t } from "./commands/command-deps.ts";
import type { ErpCustomer } from "./sync/erp-port.ts";
import type { SyncEvents } from "./sync/sync-context.ts";

/**
 * Staff are told, in the control chat, when the sync links a conversation to a record it
 * did not create or refuses a mobile another conversation holds, with what to do next.
 */
export function linkNotes(
  host: PluginHost,
  audit: AuditLog,
): Pick<SyncEvents, "mobileTaken" | "linkedToForeignRecord" | "ownedByColleague"> {
  const name = async (thread: Thread) => {
    const contact = await host.store.getContact(thread.contactId);
    return contact?.alias || contact?.name || thread.id;
  };
  // To the control chat of the conversation's own account.
  const notify = (text: Promise<string>, thread: Thread) =>
    void text
      .then((line) => host.notifyControl(line, { threadId: thread.id }))
      .catch((error: unknown) => host.logger.warn({ err: error }, "link note not sent"));
  const l = host.config.locale;
  const prefix = host.config.commands.prefix;

  return {
    mobileTaken(thread, mobile, holder) {
      audit.write({
        operation: "decision.mobile_taken",
        actor: "auto",
        contact: thread.id,
        outcome: "skipped",
        mobile,
        heldBy: holder.id,
        ...(holder.erp ? { ord: holder.erp.ord } : {}),
      });
      host.activity({ kind: "conflict", contactId: thread.id, text: `mobile already held by ${holder.id}: not linked` });
      notify(
        (async () => {
          const who = await name(thread);
          const other = `${await name(holder)}${holder.erp?.khid ? `(${holder.erp.khid})` : ""}`;
          const masked = maskMobile(mobile);
          return t(
            l,
            `⏸ ${who} 未同步：手机号 ${masked} 已是 ${other} 的号码，两个微信不会自动并成一个 ERP 客户。` +
              `若这不是 ${who} 的号码：${prefix} verify <正确手机号> ${who}，再 ${prefix} retry；若确是同一人，无需处理。`,
            `⏸ ${who} not synced: mobile ${masked} already belongs to ${other}; two WeChat contacts are never merged into one ERP customer automatically. ` +
              `If it is not ${who}'s number: ${prefix} verify <right mobile> ${who}, then ${prefix} retry; if it is the same person, nothing to do.`,
          );
        })(),
        thread,
      );
    },
    linkedToForeignRecord(how, thread, customer) {
      audit.write({
        operation: "decision.link_existing",
        actor: "auto",
        contact: thread.id,
        outcome: "ok",
        how,
        ord: customer.ord,
        khid: customer.khid,
      });
      notify(
        (async () => {
          const who = await name(thread);
          const record = recordLabel(customer);
          return t(
            l,
            `🔗 ${who} 已关联到 ERP 中已有的客户 ${record}（按${how === "mobile" ? "手机号" : "公司名"}匹配，该记录不是 wxerp 创建的），之后的跟进写在这条记录上。` +
              `若不是同一客户：${prefix} unlink ${who}`,
            `🔗 ${who} was linked to the existing ERP customer ${record} (same ${how === "mobile" ? "mobile" : "company name"}; wxerp did not create that record); follow-ups go there. ` +
              `Not the same customer? ${prefix} unlink ${who}`,
          );
        })(),
        thread,
      );
    },
    ownedByColleague(thread, customer) {
      audit.write({
        operation: "decision.owned_by_colleague",
        actor: "auto",
        contact: thread.id,
        outcome: "ok",
        ord: customer.ord,
        khid: customer.khid,
        owners: customer.owners,
      });
      host.activity({
        kind: "linked",
        contactId: thread.id,
        text: `owned by ERP user ${customer.owners.join(",")}: not reassigned, follow-ups only`,
      });
      notify(
        (async () => {
          const who = await name(thread);
          const owners = customer.owners.join("、");
          const record = customer.khid || `ord ${customer.ord}`;
          return t(
            l,
            `👥 ${who} 已是 ERP 用户 ${owners} 的客户（${record}），不会转给你；你和 ${who} 的聊天会作为跟进记录写在这位客户上。`,
            `👥 ${who} is already a customer of ERP user ${owners} (${record}) and stays theirs; your conversation with ${who} is added to that customer as follow-ups.`,
          );
        })(),
        thread,
      );
    },
  };
}

function recordLabel(customer: ErpCustomer): string {
  const name = customer.name ?? customer.personName ?? "";
  const ids = [customer.khid, `ord ${customer.ord}`].filter(Boolean).join(", ");
  return name ? `${name}（${ids}）` : ids;
}
