import { type Friendship, types } from "wechaty";
import type { Logger } from "../logging/logger.ts";
import type { FriendRequestInfo, ThreadStore } from "../store/types.ts";
import { readContactFields } from "./contact-fields.ts";
import type { CustomerScope } from "./customer-scope.ts";
import type { StoredMessage, ThreadWriter } from "./thread-writer.ts";

export interface FriendshipIntakeDeps {
  store: ThreadStore;
  scope: CustomerScope;
  writer: ThreadWriter;
  logger: Logger;
  report(stored: StoredMessage[]): Promise<void>;
}

/** Where some puppets say who passed the card or the group on (puppet-service does not carry it). */
interface FriendshipSource {
  sourceContactId?: string;
  sourceName?: string;
  shareCardContactId?: string;
  shareCardName?: string;
}

/**
 * A friend request (`Receive`: its greeting, how they found the salesperson, who referred
 * them) or its acceptance (`Confirm`). The greeting is kept until the request is accepted
 * by a person (the bot never accepts one) or the chat begins; then it joins the thread as
 * the customer's first message. The time is recorded as when the contact was added (the
 * `addedAfter` scope). WeChat's own and ignored accounts are skipped.
 */
export async function takeFriendship(friendship: Friendship, deps: FriendshipIntakeDeps): Promise<void> {
  const type = friendship.type();
  if (type !== types.Friendship.Receive && type !== types.Friendship.Confirm) return;
  const seenId = `friendship-${friendship.id}`;
  if (await deps.store.hasSeenMessage(seenId)) return;
  const contact = friendship.contact();
  const fields = await readContactFields(contact);
  if (await deps.scope.isIgnored(contact.id, fields)) {
    await deps.store.markMessageSeen(seenId);
    return;
  }
  const payload = (friendship as unknown as { payload?: Record<string, unknown> }).payload ?? {};
  const at = eventTime(payload.timestamp);
  const known = await deps.store.getContact(contact.id);
  const updated = await deps.store.upsertContact({ ...fields, addedAt: known?.addedAt ?? at, firstSeenAt: at });
  const hello = friendship.hello().trim();
  if (type === types.Friendship.Receive && hello !== "") {
    await deps.writer.friendRequests.remember(contact.id, { id: friendship.id, hello, ...requestInfo(payload, at) });
    deps.logger.info({ contactId: contact.id, scene: payload.scene }, "friend request: its greeting waits for the first chat");
  }
  if (type === types.Friendship.Confirm && !(await deps.scope.outOfScope(contact, updated))) {
    await deps.report(await deps.writer.writeGreeting(contact.id, fields.wechatPhone));
  }
  await deps.store.markMessageSeen(seenId);
}

function requestInfo(payload: Record<string, unknown>, at: string): FriendRequestInfo {
  const info: FriendRequestInfo = { at };
  if (typeof payload.scene === "number" && payload.scene > 0) info.scene = payload.scene;
  const source = (payload.source ?? {}) as FriendshipSource;
  const id = source.sourceContactId || source.shareCardContactId;
  const name = source.sourceName || source.shareCardName;
  if (id || name) info.referrer = { ...(id ? { id } : {}), ...(name ? { name } : {}) };
  return info;
}

/** Puppets give seconds or milliseconds, or nothing (puppet-service): then now. */
function eventTime(timestamp: unknown): string {
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp) || timestamp <= 0) return new Date().toISOString();
  return new Date(timestamp < 1e12 ? timestamp * 1000 : timestamp).toISOString();
}
