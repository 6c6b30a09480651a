import { padToWidth } from "../cli/table.ts";
import type { ActivityEvent } from "../plugins/types.ts";
import type { ThreadStore } from "../store/types.ts";

/**
 * The steps of the pipeline as a person watching `npm start` wants to see them:
 *   10:09:12  张三-远航科技   scored 85
 *   10:09:12  张三-远航科技   ✅ created WX000001 (ord 1001)
 * Names come from the store (cached); nothing here is personal beyond what the salesperson
 * already sees in WeChat, and mobiles are masked upstream.
 */
const ICONS: Record<string, string> = {
  scored: "📊",
  admission: "🔎",
  created: "✅",
  linked: "🔗",
  assigned: "👤",
  followup: "📝",
  failed: "❌",
  conflict: "⚠️",
  verify: "☑️",
  command: "💬",
  alert: "🚨",
};

export function consoleReporter(store: ThreadStore, write: (line: string) => void = (l) => process.stdout.write(l)) {
  const names = new Map<string, string>();
  const nameOf = async (id: string | undefined): Promise<string> => {
    if (!id) return "";
    const cached = names.get(id);
    if (cached) return cached;
    const contact = await store.getContact(id).catch(() => undefined);
    const name = contact?.alias || contact?.name || id;
    names.set(id, name);
    return name;
  };
  let chain = Promise.resolve();
  return (event: ActivityEvent): void => {
    // Keep the printed order equal to the event order although the name lookup is async.
    chain = chain.then(async () => {
      const name = await nameOf(event.contactId);
      const time = new Date().toTimeString().slice(0, 8);
      write(`${time}  ${ICONS[event.kind] ?? "·"} ${name ? `${padToWidth(name, 16)} ` : ""}${event.text}\n`);
    });
  };
}
