import type { Contact, Room } from "wechaty";
import type { RoomCommandPolicy } from "../commands/types.ts";

export interface RoomCommandRules {
  /** `commands.rooms`: staff groups by id or exact topic. */
  commandRooms: ReadonlySet<string>;
  staff: ReadonlySet<string>;
}

/**
 * Whether a command typed in this group may run: the group is listed in `commands.rooms` and
 * every member is staff or the salesperson. Looked up only when a command is typed in a
 * group (rare), never for ordinary group messages. Members are read fresh each time: someone
 * added to a staff group yesterday may be a customer.
 */
export async function roomCommandPolicy(
  room: Room,
  rules: RoomCommandRules,
  selfId: string | undefined,
): Promise<RoomCommandPolicy> {
  const topic = await topicOf(room);
  if (!listed(room.id, topic, rules)) return { allowed: false, topic, reason: "not-listed" };
  const members = await room.memberAll().catch(() => undefined);
  if (!members) return { allowed: false, topic, reason: "unchecked" };
  const outsiders = members.filter((member) => member.id !== selfId && !rules.staff.has(member.id));
  if (outsiders.length > 0) return { allowed: false, topic, reason: "outsiders", outsiders: outsiders.map(asSender) };
  return { allowed: true, topic };
}

function asSender(contact: Contact): { id: string; name: string } {
  return { id: contact.id, name: contact.name() };
}

/** A group listed in `commands.rooms` (its members not yet checked). */
export async function isListedCommandRoom(room: Room, rules: RoomCommandRules): Promise<boolean> {
  if (rules.commandRooms.size === 0) return false;
  return listed(room.id, await topicOf(room), rules);
}

function listed(roomId: string, topic: string, rules: RoomCommandRules): boolean {
  return rules.commandRooms.has(roomId) || (topic !== "" && rules.commandRooms.has(topic));
}

function topicOf(room: Room): Promise<string> {
  return room.topic().catch(() => "");
}
