import type { Contact, Thread, ThreadFilter, ThreadStore } from "../store/types.ts";
import { accountKey, type WechatAccount } from "./accounts.ts";

/**
 * One account's view of the shared thread store. Intake, the customer scope, the salesperson's
 * own numbers and the core commands of an account talk to this view with WeChat ids as
 * their puppet gives them; the view keys everything by account (accounts.ts accountKey)
 * and lists only this account's threads. What it returns keeps the shared keys, which the
 * scoring scheduler and the ERP plugin use; passing such a key back in is harmless.
 */
export class AccountStore implements ThreadStore {
  constructor(
    private readonly inner: ThreadStore,
    readonly account: Pick<WechatAccount, "id" | "isDefault">,
  ) {}

  /** Whether a thread of the shared store is this account's conversation. */
  owns(thread: Pick<Thread, "account">): boolean {
    return this.account.isDefault
      ? thread.account === undefined || thread.account === this.account.id
      : thread.account === this.account.id;
  }

  key(id: string): string {
    return accountKey(this.account, id);
  }

  open(): Promise<void> {
    return Promise.resolve();
  }

  getContact(id: string): Promise<Contact | undefined> {
    return this.inner.getContact(this.key(id));
  }

  upsertContact(contact: Pick<Contact, "id" | "name"> & Partial<Contact>): Promise<Contact> {
    return this.inner.upsertContact({ ...contact, id: this.key(contact.id) });
  }

  assignLocalNo(contactId: string, atLeast?: number): Promise<number> {
    return this.inner.assignLocalNo(this.key(contactId), atLeast);
  }

  reassignLocalNo(contactId: string, atLeast?: number): Promise<number> {
    return this.inner.reassignLocalNo(this.key(contactId), atLeast);
  }

  getThread(id: string): Promise<Thread | undefined> {
    return this.inner.getThread(this.key(id));
  }

  updateThread(id: string, change: (thread: Thread) => void): Promise<Thread> {
    return this.inner.updateThread(this.key(id), (thread) => {
      // The default account writes no `account`: its threads look as they did before accounts existed.
      if (!this.account.isDefault) thread.account = this.account.id;
      change(thread);
    });
  }

  async listThreads(filter: ThreadFilter = {}): Promise<Thread[]> {
    const { limit, ...rest } = filter;
    const mine = (await this.inner.listThreads(rest)).filter((t) => this.owns(t));
    return limit === undefined ? mine : mine.slice(0, Math.max(0, limit));
  }

  async findThreads(who: string): Promise<Thread[]> {
    const found = (await this.inner.findThreads(who)).filter((t) => this.owns(t));
    const keyed = this.key(who.trim());
    if (found.length > 0 || keyed === who.trim()) return found;
    // A WeChat id typed as the puppet shows it: this account's thread is stored under its key.
    return (await this.inner.findThreads(keyed)).filter((t) => this.owns(t));
  }

  async threadsWithMobile(mobile: string): Promise<Thread[]> {
    return (await this.inner.threadsWithMobile(mobile)).filter((t) => this.owns(t));
  }

  async threadsLinkedTo(ord: string): Promise<Thread[]> {
    return (await this.inner.threadsLinkedTo(ord)).filter((t) => this.owns(t));
  }

  markMessageSeen(messageId: string): Promise<boolean> {
    return this.inner.markMessageSeen(this.key(messageId));
  }

  hasSeenMessage(messageId: string): Promise<boolean> {
    return this.inner.hasSeenMessage(this.key(messageId));
  }

  getValue<T>(key: string): Promise<T | undefined> {
    return this.inner.getValue<T>(this.key(key));
  }

  setValue<T>(key: string, value: T): Promise<void> {
    return this.inner.setValue(this.key(key), value);
  }

  flushThread(id: string): Promise<void> {
    return this.inner.flushThread(this.key(id));
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  /** The shared store is closed by its owner, once. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
