import type { ThreadStore } from "../store/types.ts";

const KEY = "intake.roomSpeakers";
/** The salesperson's words in a group go to the threads of its latest customer speakers. */
const MAX_SPEAKERS = 20;

/**
 * Who last spoke in each listed group. A group feeds each customer's own thread; what the
 * salesperson writes there answers them, so it joins the threads of the customers who have
 * written in that group (the most recent first), and the scorer sees both sides.
 */
export class RoomSpeakers {
  #rooms: Record<string, string[]> | undefined;

  constructor(private readonly store: ThreadStore) {}

  async spoke(roomId: string, contactId: string): Promise<void> {
    const rooms = await this.#load();
    const speakers = rooms[roomId] ?? [];
    if (speakers[0] === contactId) return;
    rooms[roomId] = [contactId, ...speakers.filter((id) => id !== contactId)].slice(0, MAX_SPEAKERS);
    await this.store.setValue(KEY, rooms);
  }

  async of(roomId: string): Promise<string[]> {
    return [...((await this.#load())[roomId] ?? [])];
  }

  async #load(): Promise<Record<string, string[]>> {
    this.#rooms ??= (await this.store.getValue<Record<string, string[]>>(KEY)) ?? {};
    return this.#rooms;
  }
}
