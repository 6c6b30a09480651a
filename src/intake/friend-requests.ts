import type { FriendRequestInfo, ThreadStore } from "../store/types.ts";

/** A friend request wxerp saw whose greeting has not joined a thread yet. */
export interface PendingFriendRequest extends FriendRequestInfo {
  /** The puppet's friendship id: the greeting's message id derives from it. */
  id: string;
  hello: string;
}

const KEY = "intake.friendRequests";
/** Requests nobody accepts pile up; the oldest are forgotten first. */
const MAX_PENDING = 500;

/**
 * Friend requests waiting for their contact's first chat: the greeting joins the thread as
 * the customer's first message once the request is accepted (by a person on the phone;
 * the bot never accepts) or the chat begins, and only for a contact inside the scope.
 */
export class FriendRequests {
  #pending: Record<string, PendingFriendRequest> | undefined;

  constructor(private readonly store: ThreadStore) {}

  async remember(contactId: string, request: PendingFriendRequest): Promise<void> {
    const pending = { ...(await this.#load()) };
    delete pending[contactId]; // re-inserted last: the newest request is kept longest
    pending[contactId] = request;
    const kept = Object.entries(pending).slice(-MAX_PENDING);
    await this.#save(Object.fromEntries(kept));
  }

  async peek(contactId: string): Promise<PendingFriendRequest | undefined> {
    return (await this.#load())[contactId];
  }

  async forget(contactId: string): Promise<void> {
    const { [contactId]: gone, ...rest } = await this.#load();
    if (gone) await this.#save(rest);
  }

  async #load(): Promise<Record<string, PendingFriendRequest>> {
    this.#pending ??= (await this.store.getValue<Record<string, PendingFriendRequest>>(KEY)) ?? {};
    return this.#pending;
  }

  async #save(pending: Record<string, PendingFriendRequest>): Promise<void> {
    this.#pending = pending;
    await this.store.setValue(KEY, pending);
  }
}

/** The greeting's id in the thread: stable, so a repeated event never adds it twice. */
export function greetingId(request: Pick<PendingFriendRequest, "id">): string {
  return `friend-request-${request.id}`;
}
