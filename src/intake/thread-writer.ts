import type { Logger } from "../logging/logger.ts";
import type { Thread, ThreadMessage, ThreadStore } from "../store/types.ts";
import { cleanText } from "./clean-text.ts";
import { FriendRequests, greetingId, type PendingFriendRequest } from "./friend-requests.ts";
import type { OwnMobiles } from "./own-mobiles.ts";
import { RoomSpeakers } from "./room-speakers.ts";
import { appendMessage, type MobileContext, recallMessage } from "./thread-append.ts";

export interface StoredMessage {
  thread: Thread;
  message: ThreadMessage;
}

export interface ThreadWriterOptions {
  store: ThreadStore;
  own: OwnMobiles;
  logger: Logger;
  maxMessageChars: number;
  locale: "zh" | "en";
}

/**
 * Writes what intake accepted into threads: a customer's chat (with their friend request's
 * greeting first, once), the salesperson's words in a listed group, recalls. It learns the
 * salesperson's own numbers from their side before any number is judged.
 */
export class ThreadWriter {
  readonly friendRequests: FriendRequests;
  readonly #speakers: RoomSpeakers;

  constructor(private readonly options: ThreadWriterOptions) {
    this.friendRequests = new FriendRequests(options.store);
    this.#speakers = new RoomSpeakers(options.store);
  }

  /** Appends a message to the customer's thread; empty for a repeat. */
  async write(customerId: string, message: ThreadMessage, remarkPhone: string | undefined): Promise<StoredMessage[]> {
    const { store } = this.options;
    if (message.side === "sales" && message.kind === undefined) {
      await this.options.own.learnFrom(message.text, (await store.getThread(customerId))?.messages ?? []);
    }
    const mobiles: MobileContext = { remarkPhone, own: await this.options.own.all() };
    const pending = await this.friendRequests.peek(customerId);
    const appended: ThreadMessage[] = [];
    const thread = await store.updateThread(customerId, (draft) => {
      if (pending) {
        const greeting = this.#greeting(pending);
        if (appendMessage(draft, greeting, mobiles)) appended.push(greeting);
        draft.friendRequest = friendRequestInfo(pending);
      }
      if (appendMessage(draft, message, mobiles)) appended.push(message);
    });
    if (pending) await this.friendRequests.forget(customerId);
    if (message.roomId && message.side === "customer") await this.#speakers.spoke(message.roomId, customerId);
    return appended.map((stored) => ({ thread, message: stored }));
  }

  /** A pending friend request's greeting alone (the request was accepted); empty when none. */
  async writeGreeting(customerId: string, remarkPhone: string | undefined): Promise<StoredMessage[]> {
    const pending = await this.friendRequests.peek(customerId);
    if (!pending) return [];
    const greeting = this.#greeting(pending);
    const mobiles: MobileContext = { remarkPhone, own: await this.options.own.all() };
    let appended = false;
    const thread = await this.options.store.updateThread(customerId, (draft) => {
      appended = appendMessage(draft, greeting, mobiles);
      draft.friendRequest = friendRequestInfo(pending);
    });
    await this.friendRequests.forget(customerId);
    return appended ? [{ thread, message: greeting }] : [];
  }

  /**
   * The salesperson's words in a listed group join the threads of the group's customer
   * speakers (those with a thread), so each customer's thread shows both sides.
   */
  async writeSalesInRoom(roomId: string, message: ThreadMessage): Promise<StoredMessage[]> {
    const { store } = this.options;
    const threads = (await Promise.all((await this.#speakers.of(roomId)).map((id) => store.getThread(id)))).filter(
      (thread): thread is Thread => thread !== undefined,
    );
    if (message.kind === undefined)
      await this.options.own.learnFrom(
        message.text,
        threads.flatMap((t) => t.messages),
      );
    const mobiles: MobileContext = { own: await this.options.own.all() };
    const stored: StoredMessage[] = [];
    for (const { id } of threads) {
      let appended = false;
      const thread = await store.updateThread(id, (draft) => {
        appended = appendMessage(draft, message, mobiles);
      });
      if (appended) stored.push({ thread, message });
    }
    return stored;
  }

  /** Marks a message recalled in whichever of these threads holds it; the thread ids changed. */
  async recall(threadIds: readonly string[], messageId: string, remarkPhone: string | undefined): Promise<string[]> {
    const { store } = this.options;
    const mobiles: MobileContext = { remarkPhone, own: await this.options.own.all() };
    const changed: string[] = [];
    for (const id of threadIds) {
      if (!(await store.getThread(id))?.messages.some((m) => m.id === messageId)) continue;
      let recalled = false;
      await store.updateThread(id, (draft) => {
        recalled = recallMessage(draft, messageId, mobiles);
      });
      if (recalled) changed.push(id);
    }
    return changed;
  }

  async speakersOf(roomId: string): Promise<string[]> {
    return this.#speakers.of(roomId);
  }

  #greeting(request: PendingFriendRequest): ThreadMessage {
    const { maxMessageChars, locale } = this.options;
    return {
      id: greetingId(request),
      side: "customer",
      text: cleanText(request.hello, maxMessageChars, locale),
      at: request.at,
      kind: "greeting",
    };
  }
}

function friendRequestInfo({ at, scene, referrer }: PendingFriendRequest): NonNullable<Thread["friendRequest"]> {
  return { at, ...(scene !== undefined ? { scene } : {}), ...(referrer ? { referrer } : {}) };
}
