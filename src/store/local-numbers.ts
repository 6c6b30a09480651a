import type { Low } from "lowdb";
import { StoreError } from "./errors.ts";
import type { Meta } from "./schema.ts";
import type { ShardedCollection } from "./sharded-collection.ts";
import type { Contact } from "./types.ts";

/**
 * Local customer numbers (khid = prefix + number). A number is sent to the ERP as soon as
 * it is handed out, so it must be on disk first, and must never be handed out twice: the
 * counter only grows, a replaced number stays burnt, and at start the counter is raised
 * above every number a contact holds (in case meta.json lost the race with a crash).
 */
export class LocalNumbers {
  readonly #meta: Low<Meta>;
  readonly #contacts: ShardedCollection<Contact>;
  readonly #persist: (contactId: string) => Promise<void>;

  constructor(options: { meta: Low<Meta>; contacts: ShardedCollection<Contact>; persist: (contactId: string) => Promise<void> }) {
    this.#meta = options.meta;
    this.#contacts = options.contacts;
    this.#persist = options.persist;
  }

  recover(): void {
    let highest = 0;
    for (const contact of this.#contacts.values()) highest = Math.max(highest, contact.localNo ?? 0);
    if (this.#meta.data.nextLocalNo <= highest) this.#meta.data.nextLocalNo = highest + 1;
  }

  /** The contact's number, given once; later calls return it (after it is durable). */
  async assign(contactId: string, atLeast?: number): Promise<number> {
    const contact = this.#require(contactId);
    const number = contact.localNo ?? this.#give(contact, atLeast);
    await this.#persist(contactId);
    return number;
  }

  /** A new, higher number (the old one collided in the ERP and stays burnt). */
  async reassign(contactId: string, atLeast?: number): Promise<number> {
    const contact = this.#require(contactId);
    const number = this.#give(contact, Math.max(atLeast ?? 1, (contact.localNo ?? 0) + 1));
    await this.#persist(contactId);
    return number;
  }

  #give(contact: Contact, atLeast: number | undefined): number {
    const number = Math.max(this.#meta.data.nextLocalNo, Math.floor(atLeast ?? 1));
    this.#meta.data.nextLocalNo = number + 1;
    this.#contacts.set({ ...contact, localNo: number });
    return number;
  }

  #require(contactId: string): Contact {
    const contact = this.#contacts.get(contactId);
    if (!contact) throw new StoreError(`no contact ${contactId}: upsert the contact before giving it a local number`);
    return contact;
  }
}
