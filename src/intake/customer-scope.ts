import type { Contact as WechatyContact } from "wechaty";
import type { AppConfig } from "../config/schema.ts";
import type { Contact, ThreadStore } from "../store/types.ts";
import { isWechatAccount } from "./wechat-accounts.ts";

type CustomersConfig = AppConfig["wechat"]["customers"];

/** Why a contact's chat is not a customer's (counted in intake's stats). */
export type OutOfScope = "wechat-account" | "ignored" | "untagged" | "added-before";

export interface IgnoredEntry {
  /** Who set the contact aside (a WeChat id). */
  by: string;
  at: string;
  /** The contact's name when it was set aside, for listing. */
  label: string;
}

/** Store key of the contacts staff set aside with `/erp ignore`. */
const IGNORED_KEY = "intake.ignoredContacts";
/** Tags change rarely; a contact's tags are asked for again after this long. */
const TAG_CACHE_MS = 60_000;
/** This many contacts in a row without any tag at all look like a puppet that does not pass tags. */
const TAGLESS_WARNING_AFTER = 20;

export interface CustomerScopeOptions {
  now?: () => number;
  /** Said once when the scope looks misconfigured (the control chat and the log). */
  warn?: (text: string) => void;
  /** The WeChat id behind a store key (another account's threads are keyed `<account>:<wechat id>`). */
  wechatId?: (id: string) => string;
}

/**
 * Whose chats are customers' (`wechat.customers`). A chat outside the scope is neither
 * stored nor sent to a scorer. WeChat's own accounts and ignored contacts (the config's
 * `ignore` list, and `/erp ignore`, persisted) are always outside.
 */
export class CustomerScope {
  readonly #config: CustomersConfig;
  readonly #store: ThreadStore;
  readonly #now: () => number;
  readonly #addedAfter: number | undefined;
  readonly #tags = new Map<string, { tags: string[]; at: number }>();
  readonly #tagless = new Set<string>();
  readonly #warn: ((text: string) => void) | undefined;
  readonly #wechatId: (id: string) => string;
  #warned = false;
  #ignored: Record<string, IgnoredEntry> | undefined;

  constructor(config: CustomersConfig, store: ThreadStore, options: CustomerScopeOptions = {}) {
    this.#config = config;
    this.#store = store;
    this.#now = options.now ?? Date.now;
    this.#warn = options.warn;
    this.#wechatId = options.wechatId ?? ((id) => id);
    this.#addedAfter = config.addedAfter === undefined ? undefined : startOf(config.addedAfter);
  }

  /** Undefined when the contact's chat is a customer's; otherwise why not. */
  async outOfScope(contact: WechatyContact, known: Contact | undefined): Promise<OutOfScope | undefined> {
    if (isWechatAccount(contact.id)) return "wechat-account";
    if (await this.isIgnored(contact.id, { name: safeName(contact), alias: await safeAlias(contact) })) return "ignored";
    if (this.#config.scope === "tag" && !(await this.#hasTag(contact))) return "untagged";
    if (this.#config.scope === "addedAfter" && !this.#addedInTime(known?.addedAt)) return "added-before";
    return undefined;
  }

  /**
   * Set aside by `/erp ignore` or listed in `ignore` (by id, remark or nickname). Without
   * names given, the stored contact's are used.
   */
  async isIgnored(key: string, names?: { name?: string | undefined; alias?: string | undefined }): Promise<boolean> {
    const contactId = this.#wechatId(key);
    if (isWechatAccount(contactId)) return true;
    if ((await this.#loadIgnored())[contactId]) return true;
    if (this.#config.ignore.length === 0) return false;
    const known = names ?? (await this.#store.getContact(contactId));
    return this.#config.ignore.some((entry) => entry === contactId || entry === known?.alias || entry === known?.name);
  }

  async ignore(key: string, entry: IgnoredEntry): Promise<void> {
    const contactId = this.#wechatId(key);
    const ignored = { ...(await this.#loadIgnored()), [contactId]: entry };
    this.#ignored = ignored;
    await this.#store.setValue(IGNORED_KEY, ignored);
  }

  /** false when the contact was not set aside by a command (a config entry stays). */
  async unignore(key: string): Promise<boolean> {
    const contactId = this.#wechatId(key);
    const { [contactId]: removed, ...rest } = await this.#loadIgnored();
    if (!removed) return false;
    this.#ignored = rest;
    await this.#store.setValue(IGNORED_KEY, rest);
    return true;
  }

  async ignoredByCommand(): Promise<Array<[string, IgnoredEntry]>> {
    return Object.entries(await this.#loadIgnored());
  }

  /** Whether `ignore` in the config names this contact (a command cannot undo that). */
  listedInConfig(key: string, names: { name?: string | undefined; alias?: string | undefined }): boolean {
    const contactId = this.#wechatId(key);
    return this.#config.ignore.some((entry) => entry === contactId || entry === names.alias || entry === names.name);
  }

  async #hasTag(contact: WechatyContact): Promise<boolean> {
    const cached = this.#tags.get(contact.id);
    let tags = cached && this.#now() - cached.at < TAG_CACHE_MS ? cached.tags : undefined;
    if (tags === undefined) {
      // Puppets answer with tag names (PadLocal) or label ids: the config may list either.
      tags = (await contact.tags().catch(() => [])).map((tag) => tag.id);
      this.#tags.set(contact.id, { tags, at: this.#now() });
      this.#noteTags(contact.id, tags);
    }
    return tags.some((tag) => this.#config.tags.includes(tag));
  }

  /**
   * Every chat is dropped when the puppet never reports tags: the reference puppet-service
   * gateway (1.19.9) answers a contact's tag list empty. Said once, loudly, not guessed around.
   */
  #noteTags(contactId: string, tags: string[]): void {
    if (tags.length > 0) {
      this.#tagless.clear();
      return;
    }
    this.#tagless.add(contactId);
    if (this.#warned || this.#tagless.size < TAGLESS_WARNING_AFTER) return;
    this.#warned = true;
    this.#warn?.(
      `⚠ 最近 ${this.#tagless.size} 个单聊联系人都没有任何标签，按 wechat.customers.scope: tag 他们的聊天都未记录。` +
        "若微信里确有标签，可能是网关不转发联系人标签（wechaty-puppet-service 1.19.9 的网关如此）：" +
        "请改用 scope: addedAfter 或 all 加忽略名单。",
    );
  }

  #addedInTime(addedAt: string | undefined): boolean {
    if (addedAt === undefined || this.#addedAfter === undefined) return false;
    return Date.parse(addedAt) >= this.#addedAfter;
  }

  async #loadIgnored(): Promise<Record<string, IgnoredEntry>> {
    this.#ignored ??= (await this.#store.getValue<Record<string, IgnoredEntry>>(IGNORED_KEY)) ?? {};
    return this.#ignored;
  }
}

/** A bare date is midnight where wxerp runs (the salesperson's day), a full time is taken as given. */
function startOf(date: string): number {
  const bare = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!bare) return Date.parse(date);
  return new Date(Number(bare[1]), Number(bare[2]) - 1, Number(bare[3])).getTime();
}

function safeName(contact: WechatyContact): string | undefined {
  try {
    return contact.name();
  } catch {
    return undefined;
  }
}

async function safeAlias(contact: WechatyContact): Promise<string | undefined> {
  try {
    return await contact.alias();
  } catch {
    return undefined;
  }
}
