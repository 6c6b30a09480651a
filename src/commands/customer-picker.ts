import type { PickOffer } from "../intake/control-pick.ts";
import type { Logger } from "../logging/logger.ts";
import type { Thread, ThreadStore } from "../store/types.ts";
import type { CustomerPicks } from "./customer-picks.ts";
import { controlNotes } from "./messages/control-notes.ts";

export interface CustomerPickerOptions {
  store: Pick<ThreadStore, "getThread" | "getContact" | "listThreads">;
  picks: CustomerPicks;
  locale: "zh" | "en";
  prefix: string;
  /** Sends to the control chat. */
  notify(text: string): Promise<void>;
  logger: Logger;
}

/**
 * Picks "this customer" from what the salesperson forwarded into the control chat: a 名片
 * names the contact; a forwarded message is matched to the one customer who wrote exactly
 * that text. A note that matches nobody is just a note: no answer, so jotting things down
 * in File Transfer stays quiet.
 */
export function customerPicker(options: CustomerPickerOptions): (offer: PickOffer) => Promise<void> {
  const notes = controlNotes(options.locale);
  const { store, picks, prefix } = options;
  const minutes = Math.round(picks.ttlMs / 60_000);

  async function pick(offer: PickOffer, thread: Thread, how: "card" | "message"): Promise<void> {
    picks.pick(offer.sender.id, thread.id);
    options.logger.info({ sender: offer.sender.id, customer: thread.id, how }, "customer picked in the control chat");
    await options.notify(notes.picked(prefix, await labelOf(thread), minutes, how));
  }

  async function labelOf(thread: Thread): Promise<string> {
    const contact = await store.getContact(thread.contactId);
    const name = contact?.alias || contact?.name || thread.id;
    return thread.erp?.khid ? `${name}(${thread.erp.khid})` : name;
  }

  return async (offer) => {
    if (offer.kind === "unreadable-card") return options.notify(notes.cardUnreadable(prefix));
    if (offer.kind === "card") {
      const thread = await store.getThread(offer.contactId);
      return thread ? pick(offer, thread, "card") : options.notify(notes.cardNotACustomer(offer.name));
    }
    const matches = (await store.listThreads()).filter((thread) =>
      thread.messages.some((m) => m.side === "customer" && m.text === offer.text),
    );
    const only = matches[0];
    if (matches.length === 1 && only) return pick(offer, only, "message");
    if (matches.length > 1) {
      const names = await Promise.all(matches.slice(0, 5).map(labelOf));
      await options.notify(notes.messageAmbiguous(matches.length, names.join(options.locale === "en" ? ", " : "、")));
    }
  };
}
