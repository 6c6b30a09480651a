import { controlNotes } from "./messages/control-notes.ts";
import type { CustomerVisibleCommand, DeniedCommand, RoomCommandPolicy } from "./types.ts";

/** Small persisted values (the thread store's), so "once a day" survives a restart. */
export interface NoteMemory {
  getValue<T>(key: string): Promise<T | undefined>;
  setValue<T>(key: string, value: T): Promise<void>;
}

export interface VisibilityNotesOptions {
  locale: "zh" | "en";
  prefix: string;
  memory: NoteMemory;
  /** Sends to the control chat. */
  notify(text: string): Promise<void>;
  /** The name staff know a contact by (remark, then nickname). */
  nameOf(contactId: string): Promise<string>;
  now?: () => Date;
}

const REMINDER_DAY_KEY = "commands.customerChatReminderDay";
const DENIED_NOTED_KEY = "commands.deniedSendersNoted";
/** Enough to remember every stranger who ever typed a command; the oldest are forgotten first. */
const MAX_DENIED_REMEMBERED = 500;

/**
 * What staff are told in the control chat when a command was typed where it should not
 * be: in a customer's chat (once a day: the customer can read it, do it here instead), in
 * a group that takes no commands (each time: it did not run, and why), or by someone who
 * is not staff (once per person, with the id to add to `commands.staff`).
 */
export function visibilityNotes(options: VisibilityNotesOptions) {
  const notes = controlNotes(options.locale);
  const now = options.now ?? (() => new Date());
  const { prefix, memory } = options;

  async function onCustomerVisible(info: CustomerVisibleCommand): Promise<void> {
    if (!info.ran) {
      const room = info.origin.room;
      const why = room ? groupReason(room) : notes.groupNotListed;
      await options.notify(
        notes.refusedInGroup(prefix, info.command, room?.topic || info.origin.roomId || "?", why, info.recalled),
      );
      return;
    }
    const today = localDay(now());
    if ((await memory.getValue<string>(REMINDER_DAY_KEY)) === today) return;
    await memory.setValue(REMINDER_DAY_KEY, today);
    const customer = info.origin.customerId ? await options.nameOf(info.origin.customerId) : "?";
    await options.notify(notes.typedInCustomerChat(prefix, info.command, customer, info.recalled));
  }

  async function onDenied(info: DeniedCommand): Promise<void> {
    const noted = (await memory.getValue<string[]>(DENIED_NOTED_KEY)) ?? [];
    if (noted.includes(info.sender.id)) return;
    await memory.setValue(DENIED_NOTED_KEY, [...noted, info.sender.id].slice(-MAX_DENIED_REMEMBERED));
    await options.notify(notes.deniedSender(prefix, info.command, info.sender.name || info.sender.id, info.sender.id));
  }

  function groupReason(room: RoomCommandPolicy): string {
    if (room.allowed) return "";
    if (room.reason === "outsiders") return notes.groupHasOutsiders(listPeople(room.outsiders));
    return room.reason === "unchecked" ? notes.groupUnchecked : notes.groupNotListed;
  }

  return { onCustomerVisible, onDenied };
}

/** The calendar day where the bot runs (the salesperson's day), as YYYY-MM-DD. */
function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** At most five people by name and id; a customer group may have hundreds. */
function listPeople(people: ReadonlyArray<{ id: string; name: string }>): string {
  const shown = people.slice(0, 5).map((p) => `${p.name}(${p.id})`);
  return people.length > shown.length ? `${shown.join(", ")} …+${people.length - shown.length}` : shown.join(", ");
}
