/**
 * A 名片 names a person and carries their WeChat ID (微信号), which some puppets leave out of
 * the contact itself. Whoever forwarded it, the card is true about its own person: when that
 * person is already a contact here, the card fills their WeChat ID. When a customer sends
 * their own card, it also fills the thread's name for them (unless one is known already).
 */
import type { Side, ThreadStore } from "../store/types.ts";
import type { CardPerson } from "./message-content.ts";

/** Looks like a person's name: CJK or Latin letters, not an emoji-only handle. */
const NAME_LIKE = /^[\p{Script=Han}A-Za-z][\p{Script=Han}A-Za-z ·.]{0,29}$/u;

export async function cardFromContact(store: ThreadStore, threadId: string, side: Side, person: CardPerson): Promise<void> {
  const contact = await store.getContact(person.id);
  if (contact && person.weixin && !contact.weixin) {
    await store.upsertContact({ id: contact.id, name: contact.name, weixin: person.weixin });
  }
  const ownCard = side === "customer" && person.id === threadId;
  const name = person.name.trim();
  if (!ownCard || !NAME_LIKE.test(name)) return;
  await store.updateThread(threadId, (thread) => {
    thread.extracted.name ??= name;
  });
}
