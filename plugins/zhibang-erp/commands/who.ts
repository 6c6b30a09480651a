import type { CommandContext, Contact, Thread } from "../../../src/plugin-api.ts";
import { CommandError } from "../../../src/plugin-api.ts";
import { type CommandDeps, t } from "./command-deps.ts";

/**
 * `who`: a contact name, alias, khid or mobile. Left out, it is the customer whose chat the
 * command was typed in, or the one just picked in the control chat (a forwarded 名片 or message).
 */
export async function resolveWho(
  deps: CommandDeps,
  ctx: CommandContext,
  words: string[],
): Promise<{ thread: Thread; contact: Contact | undefined }> {
  const who = words.join(" ").trim();
  const l = ctx.locale;
  if (!who) {
    const id = ctx.defaultCustomer();
    const thread = id ? await deps.store.getThread(id) : undefined;
    if (!thread) {
      throw new CommandError(t(l, "请指定客户", "say which customer"), {
        hint: t(
          l,
          "加上姓名、备注、客户编号或手机号，例如 /erp status 张三；或先把客户的名片转发到这里",
          "add a name, alias, khid or mobile, e.g. /erp status Zhang San; or forward the customer's contact card here first",
        ),
      });
    }
    return { thread, contact: await deps.store.getContact(thread.contactId) };
  }
  // Typed on one of several accounts: only that account's customers.
  const found = await (ctx.findThreads ? ctx.findThreads(who) : deps.store.findThreads(who));
  if (found.length === 0) {
    throw new CommandError(t(l, `找不到客户「${who}」`, `no customer matches "${who}"`), {
      hint: t(l, "用姓名、备注、客户编号（如 WX000001）或手机号查找", "use a name, alias, khid (e.g. WX000001) or mobile"),
    });
  }
  if (found.length > 1) {
    const names = await Promise.all(found.slice(0, 5).map(async (th) => label(await deps.store.getContact(th.contactId), th)));
    throw new CommandError(
      t(
        l,
        `「${who}」匹配到 ${found.length} 位客户：${names.join("、")}`,
        `"${who}" matches ${found.length} customers: ${names.join(", ")}`,
      ),
      {
        hint: t(l, "请用客户编号或手机号指定", "name one by khid or mobile"),
      },
    );
  }
  const thread = found[0]!;
  return { thread, contact: await deps.store.getContact(thread.contactId) };
}

export function label(contact: Contact | undefined, thread: Thread): string {
  const name = contact?.alias || contact?.name || thread.id;
  return thread.erp?.khid ? `${name}(${thread.erp.khid})` : name;
}
