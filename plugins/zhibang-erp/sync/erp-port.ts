/**
 * The ERP operations the sync needs, and nothing more. The real implementation is the
 * HTTP client (client-port.ts adapts it); keeping the sync behind this port keeps the
 * apply step readable and lets the next engineer see every ERP call the sync can make.
 */

export interface ErpCustomer {
  ord: string;
  khid?: string;
  name?: string;
  personName?: string;
  mobile?: string;
  weixin?: string;
  /** ERP user ids owning it; empty with `public` = the public pool. */
  owners: string[];
  public: boolean;
}

/** The customer record as wxerp wants it in the ERP (zsml save fields, docs/zhibang-protocol.md §5.2). */
export interface CustomerDraft {
  intsort: 1 | 2;
  name: string;
  personName: string;
  mobile: string;
  weixin?: string;
  email?: string;
  address?: string;
  ly: number;
  jz: number;
  sort1: string;
  intro: string;
}

/** A draft with the ord from "allocate" and our khid: what one save sends. */
export interface SaveCustomer extends CustomerDraft {
  ord: string;
  khid: string;
}

export interface ErpContactPerson {
  ord: string;
  name: string;
  mobile?: string;
}

export type AssignTarget = { mode: "users"; users: string[] } | { mode: "public" };

export interface ErpPort {
  allocateCustomerId(intsort: 1 | 2): Promise<string>;
  saveCustomer(input: SaveCustomer): Promise<void>;
  getCustomer(ord: string): Promise<ErpCustomer | undefined>;
  /** Exact matches only (the ERP's list filters are fuzzy). */
  findByKhid(khid: string): Promise<ErpCustomer[]>;
  findByMobile(mobile: string): Promise<ErpCustomer[]>;
  findByName(name: string): Promise<ErpCustomer[]>;
  assign(ord: string, target: AssignTarget): Promise<void>;
  addFollowup(ord: string, intro: string, sort: number): Promise<void>;
  /**
   * The customer's recent 洽谈进展 texts, newest first: its follow-up list where the ERP serves
   * one, else at least the latest (the customer list's telintro column).
   */
  recentFollowups(ord: string, khid: string | undefined): Promise<string[]>;
  addContactPerson(companyOrd: string, person: { name: string; mobile: string; weixin?: string; email?: string }): Promise<void>;
  listContactPeople(companyOrd: string): Promise<ErpContactPerson[]>;
  /** Partial update of a customer we created (v3 customer/edit); `khid` renumbers it after a conflict. */
  editCustomer(ord: string, fields: { jz?: number; intro?: string; khid?: string }): Promise<void>;
  /**
   * Every customer the list's khid filter matches (fuzzy: a prefix finds all of its numbers),
   * all pages: the ord, and the khid where the list shows one (the default layout does not).
   */
  listByKhid(fragment: string): Promise<Array<{ ord: string; khid?: string }>>;
}
