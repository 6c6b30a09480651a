import type { AuditLog } from "../audit/index.ts";
import { CommandError } from "../commands/errors.ts";
import type { CommandContext, CommandDefinition } from "../commands/types.ts";
import type { ThreadStore } from "../store/types.ts";
import type { CustomerScope } from "./customer-scope.ts";

/** A WeChat contact as a lookup by remark, nickname or id finds it. */
export interface FoundContact {
  id: string;
  name: string;
  alias?: string;
}

export interface IgnoreCommandDeps {
  scope: CustomerScope;
  store: ThreadStore;
  audit: AuditLog;
  clock: () => Date;
  /** Contacts in WeChat by remark, nickname or id (for someone who has no thread yet); absent offline. */
  findContacts?: (who: string) => Promise<FoundContact[]>;
}

const UNDO = new Set(["off", "undo", "取消"]);

/**
 * `/erp ignore <who>`: this contact is not a customer (a colleague, family, a supplier).
 * From now on their chat is neither stored nor sent to a scorer; the setting is kept across
 * restarts. `/erp ignore off <who>` undoes it; `/erp ignore` alone lists who is set aside.
 */
export function ignoreCommand(deps: IgnoreCommandDeps): CommandDefinition {
  return {
    name: "ignore",
    description: {
      zh: "把联系人设为非客户：不再记录其聊天，也不发给模型（off 撤销）",
      en: "mark a contact as not a customer: their chat is no longer kept or scored (off undoes it)",
    },
    usage: "[off] [who]",
    async handler(ctx) {
      const undo = UNDO.has(ctx.args[0]?.toLowerCase() ?? "");
      const words = undo ? ctx.args.slice(1) : ctx.args;
      if (words.length === 0 && !undo && ctx.origin.customerId === undefined) return list(deps, ctx);
      const target = await resolveContact(deps, ctx, words.join(" ").trim());
      return undo ? unignore(deps, ctx, target) : ignore(deps, ctx, target);
    },
  };
}

async function ignore(deps: IgnoreCommandDeps, ctx: CommandContext, target: FoundContact): Promise<string> {
  const name = labelOf(target);
  await deps.scope.ignore(target.id, { by: ctx.sender.id, at: deps.clock().toISOString(), label: name });
  deps.audit.write({ operation: "decision.ignore", actor: ctx.sender.id, contact: target.id, outcome: "ok" });
  const kept = (await deps.store.getThread(target.id))?.messageCount ?? 0;
  const keptNote = kept > 0 ? t(ctx, `已记录的 ${kept} 条消息保留。`, ` The ${kept} messages already kept stay.`) : "";
  return t(
    ctx,
    `✅ 已忽略 ${name}：其聊天不再记录，也不会发给模型。${keptNote}撤销：/erp ignore off ${name}`,
    `✅ ${name} is ignored: their chat is no longer kept or sent to a scorer.${keptNote} Undo: /erp ignore off ${name}`,
  );
}

async function unignore(deps: IgnoreCommandDeps, ctx: CommandContext, target: FoundContact): Promise<string> {
  const name = labelOf(target);
  const removed = await deps.scope.unignore(target.id);
  if (deps.scope.listedInConfig(target.id, target)) {
    throw new CommandError(t(ctx, `${name} 在配置 wechat.customers.ignore 中`, `${name} is listed in wechat.customers.ignore`), {
      hint: t(ctx, "从配置文件中删除后重启", "remove it from the config file and restart"),
    });
  }
  if (!removed) return t(ctx, `${name} 没有被忽略`, `${name} was not ignored`);
  deps.audit.write({ operation: "decision.unignore", actor: ctx.sender.id, contact: target.id, outcome: "ok" });
  return t(ctx, `✅ ${name} 的聊天恢复记录`, `✅ ${name}'s chat is kept again`);
}

async function list(deps: IgnoreCommandDeps, ctx: CommandContext): Promise<string> {
  const entries = await deps.scope.ignoredByCommand();
  if (entries.length === 0) return t(ctx, "没有用命令忽略的联系人", "no contact was ignored by command");
  const lines = entries.map(([id, entry]) => `· ${entry.label}（${id}）${entry.at.slice(0, 10)}`);
  return [t(ctx, `已忽略 ${entries.length} 个联系人：`, `${entries.length} ignored:`), ...lines].join("\n");
}

/** The customer of this chat, a thread (name, remark, khid, mobile), or a WeChat contact. */
async function resolveContact(deps: IgnoreCommandDeps, ctx: CommandContext, who: string): Promise<FoundContact> {
  if (who === "") return described(deps, ctx.origin.customerId!);
  const threads = await deps.store.findThreads(who);
  const found =
    threads.length > 0
      ? await Promise.all(threads.map((thread) => described(deps, thread.contactId)))
      : ((await deps.findContacts?.(who)) ?? []);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new CommandError(t(ctx, `找不到联系人「${who}」`, `no contact matches "${who}"`), {
      hint: t(ctx, "用备注、昵称、客户编号、手机号或微信 id", "use a remark, nickname, khid, mobile or WeChat id"),
    });
  }
  const names = found.slice(0, 5).map((c) => `${labelOf(c)}（${c.id}）`);
  throw new CommandError(
    t(
      ctx,
      `「${who}」匹配到 ${found.length} 个联系人：${names.join("、")}`,
      `"${who}" matches ${found.length}: ${names.join(", ")}`,
    ),
    {
      hint: t(ctx, "请用微信 id 指定", "name one by WeChat id"),
    },
  );
}

async function described(deps: IgnoreCommandDeps, id: string): Promise<FoundContact> {
  const contact = await deps.store.getContact(id);
  return { id, name: contact?.name ?? id, ...(contact?.alias ? { alias: contact.alias } : {}) };
}

function labelOf(contact: FoundContact): string {
  return contact.alias || contact.name || contact.id;
}

function t(ctx: CommandContext, zh: string, en: string): string {
  return ctx.locale === "en" ? en : zh;
}
