import type { Wechaty } from "wechaty";
import type { FoundContact } from "./ignore-command.ts";

/**
 * WeChat contacts whose remark, nickname or id is exactly `who` (for commands naming
 * someone who has no thread yet). Each lookup may cost the puppet a contact search.
 */
export async function findWechatContacts(bot: Wechaty, who: string): Promise<FoundContact[]> {
  const found = new Map<string, FoundContact>();
  for (const query of [{ id: who }, { alias: who }, { name: who }]) {
    const contacts = await bot.Contact.findAll(query).catch(() => []);
    for (const contact of contacts) {
      if (!contact.payload || found.has(contact.id)) continue;
      const alias = contact.payload.alias;
      found.set(contact.id, { id: contact.id, name: contact.name(), ...(alias ? { alias } : {}) });
    }
    if (found.size > 0) break;
  }
  return [...found.values()];
}
