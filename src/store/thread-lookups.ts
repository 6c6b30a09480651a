import type { CollectionIndexer } from "./sharded-collection.ts";
import type { Contact, Thread } from "./types.ts";

/**
 * The embedded store's indexes for the look-ups every ERP sync job makes: which threads hold
 * a mobile (the thread's extracted one, or its contact's remark number) and which are linked
 * to an ERP record. Without them each job walked every thread, blocking the one event loop
 * for milliseconds per job at a team's size. Told of every record the store sets or loads,
 * it keeps what each record was indexed under, so a changed or removed value leaves no
 * stale entry behind.
 */
export class ThreadLookups {
  readonly #threadsByMobile = new KeyedIds();
  readonly #threadsByOrd = new KeyedIds();
  readonly #threadsByContact = new KeyedIds();
  readonly #contactsByPhone = new KeyedIds();

  /** Keeps the thread indexes as the threads collection loads and sets its records. */
  readonly threads: CollectionIndexer<Thread> = {
    reset: (threads) => {
      for (const keyed of [this.#threadsByMobile, this.#threadsByOrd, this.#threadsByContact]) keyed.clear();
      for (const thread of threads) this.threads.set(thread);
    },
    set: (thread) => {
      this.#threadsByMobile.put(thread.id, thread.extracted.mobile?.value);
      this.#threadsByOrd.put(thread.id, thread.erp?.ord);
      this.#threadsByContact.put(thread.id, thread.contactId);
    },
  };

  /** Keeps the contacts' remark numbers indexed as the contacts collection loads and sets its records. */
  readonly contacts: CollectionIndexer<Contact> = {
    reset: (contacts) => {
      this.#contactsByPhone.clear();
      for (const contact of contacts) this.contacts.set(contact);
    },
    set: (contact) => this.#contactsByPhone.put(contact.id, contact.wechatPhone),
  };

  /** Ids of threads whose extracted mobile, or whose contact's remark number, is `mobile` (as stored). */
  threadIdsWithMobile(mobile: string): Set<string> {
    const ids = new Set(this.#threadsByMobile.ids(mobile));
    for (const contactId of this.#contactsByPhone.ids(mobile)) {
      for (const threadId of this.#threadsByContact.ids(contactId)) ids.add(threadId);
    }
    return ids;
  }

  threadIdsLinkedTo(ord: string): Set<string> {
    return new Set(this.#threadsByOrd.ids(ord));
  }
}

/** A one-valued key per id, looked up the other way: the ids under a key. */
class KeyedIds {
  readonly #keyOf = new Map<string, string>();
  readonly #idsOf = new Map<string, Set<string>>();

  put(id: string, key: string | undefined): void {
    const old = this.#keyOf.get(id);
    if (old === key) return;
    if (old !== undefined) {
      const ids = this.#idsOf.get(old);
      ids?.delete(id);
      if (ids?.size === 0) this.#idsOf.delete(old);
      this.#keyOf.delete(id);
    }
    if (key === undefined || key === "") return;
    this.#keyOf.set(id, key);
    const ids = this.#idsOf.get(key);
    if (ids) ids.add(id);
    else this.#idsOf.set(key, new Set([id]));
  }

  ids(key: string): Iterable<string> {
    return this.#idsOf.get(key) ?? [];
  }

  clear(): void {
    this.#keyOf.clear();
    this.#idsOf.clear();
  }
}
