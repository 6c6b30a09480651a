import { defaultUsers, type UserRecord } from "./catalog.ts";
import { mainContactFields } from "./fields.ts";
import { moveToStage, StageMoveError } from "./stages.ts";
import {
  type AssignmentRecord,
  CALL_CATEGORIES,
  type CallCategory,
  type CallCounts,
  FAILURE_KINDS,
  type FailureKind,
  type FollowupRecord,
} from "./types.ts";

export interface CustomerRecord {
  ord: number;
  khid: string;
  /** 1 单位客户, 2 个人客户. */
  intsort: number;
  /** Canonical form field id → value (name, sort1, ly, person_name, mobile, bank_3, ...). */
  form: Record<string, string>;
  owners: string[];
  isPublic: boolean;
  /** date1 (添加时间), epoch ms. */
  createdAt: number;
  updatedAt: number;
  telintro: string;
  /** The main contact's ord (the list's `person` column). */
  personOrd: number;
}

export interface ContactRecord {
  ord: number;
  /** The customer ord. */
  company: number;
  form: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface NewCustomer {
  ord: number;
  khid: string;
  intsort: number;
  form: Record<string, string>;
  owners: string[];
  isPublic?: boolean;
  createdAt: number;
}

export interface EmulatorStateData {
  users: UserRecord[];
  customers: CustomerRecord[];
  contacts: ContactRecord[];
  followups: FollowupRecord[];
  assignments: AssignmentRecord[];
  reservedOrds: Array<[number, string]>;
  counters: { nextCustomerOrd: number; nextContactOrd: number; khidSequence: number; allocatedOrds: number };
}

function zeroFailures(): Record<FailureKind, number> {
  return Object.fromEntries(FAILURE_KINDS.map((kind) => [kind, 0])) as Record<FailureKind, number>;
}

const FIRST_CUSTOMER_ORD = 1001;
const FIRST_CONTACT_ORD = 5001;

function zeroCalls(): CallCounts {
  const calls = { total: 0 } as CallCounts;
  for (const category of CALL_CATEGORIES) calls[category] = 0;
  return calls;
}

/**
 * The emulator's database: customers (tel), contacts (person), follow-ups (reply),
 * assignments, reserved ords and the counters the inspection endpoint reports.
 */
export class EmulatorState {
  users: UserRecord[];
  readonly customers = new Map<number, CustomerRecord>();
  readonly contacts = new Map<number, ContactRecord>();
  followups: FollowupRecord[] = [];
  assignments: AssignmentRecord[] = [];
  /** Ords handed out by the allocate call and not saved yet → their pre-generated khid. */
  readonly reservedOrds = new Map<number, string>();
  calls: CallCounts = zeroCalls();
  /** Changes made through the inspection API (stage moves): saved like calls are. */
  inspectionChanges = 0;
  /**
   * khid (upper case) → the stage a customer with that khid moves to when saved: the
   * emulator's `stages` option, kept across resets.
   */
  readonly plannedStages = new Map<string, string>();
  failuresInjected = 0;
  failuresByKind: Record<FailureKind, number> = zeroFailures();
  silentNonSaves = 0;
  sessionExpiries = 0;
  allocatedOrds = 0;
  /** API requests being answered now, and the most at once (how hard the bots press the ERP). */
  callsInFlight = 0;
  peakConcurrentCalls = 0;
  private nextCustomerOrd = FIRST_CUSTOMER_ORD;
  private nextContactOrd = FIRST_CONTACT_ORD;
  private khidSequence = 0;

  constructor(readonly apiUsername: string) {
    this.users = defaultUsers(apiUsername);
  }

  /** Empties every table and counter (the seed is applied by seed.ts afterwards). */
  clear(): void {
    this.users = defaultUsers(this.apiUsername);
    this.customers.clear();
    this.contacts.clear();
    this.reservedOrds.clear();
    this.followups = [];
    this.assignments = [];
    this.calls = zeroCalls();
    this.failuresInjected = 0;
    this.failuresByKind = zeroFailures();
    this.silentNonSaves = 0;
    this.sessionExpiries = 0;
    this.peakConcurrentCalls = this.callsInFlight;
    this.allocatedOrds = 0;
    this.nextCustomerOrd = FIRST_CUSTOMER_ORD;
    this.nextContactOrd = FIRST_CONTACT_ORD;
    this.khidSequence = 0;
  }

  /** Everything needed to bring the database back (the embedded ERP survives restarts). */
  toData(): EmulatorStateData {
    return {
      users: this.users,
      customers: [...this.customers.values()],
      contacts: [...this.contacts.values()],
      followups: this.followups,
      assignments: this.assignments,
      reservedOrds: [...this.reservedOrds.entries()],
      counters: {
        nextCustomerOrd: this.nextCustomerOrd,
        nextContactOrd: this.nextContactOrd,
        khidSequence: this.khidSequence,
        allocatedOrds: this.allocatedOrds,
      },
    };
  }

  restore(data: EmulatorStateData): void {
    this.clear();
    this.users = data.users;
    for (const customer of data.customers) this.customers.set(customer.ord, customer);
    for (const contact of data.contacts) this.contacts.set(contact.ord, contact);
    this.followups = data.followups;
    this.assignments = data.assignments;
    for (const [ord, khid] of data.reservedOrds) this.reservedOrds.set(ord, khid);
    this.nextCustomerOrd = data.counters.nextCustomerOrd;
    this.nextContactOrd = data.counters.nextContactOrd;
    this.khidSequence = data.counters.khidSequence;
    this.allocatedOrds = data.counters.allocatedOrds;
  }

  countFailure(kind: FailureKind): void {
    this.failuresInjected += 1;
    this.failuresByKind[kind] += 1;
  }

  callStarted(): void {
    this.callsInFlight += 1;
    this.peakConcurrentCalls = Math.max(this.peakConcurrentCalls, this.callsInFlight);
  }

  callEnded(): void {
    this.callsInFlight -= 1;
  }

  countCall(category: CallCategory): void {
    this.calls[category] += 1;
    this.calls.total += 1;
  }

  userById(id: string): UserRecord | undefined {
    return this.users.find((user) => user.id === id);
  }

  userByUsername(username: string): UserRecord | undefined {
    return this.users.find((user) => user.username !== "" && user.username === username);
  }

  /** Reserves a fresh ord with an automatic khid like KH202611280001 (docs/zhibang-protocol.md §5.1). */
  allocateCustomerOrd(now: number): { ord: number; khid: string } {
    const ord = this.nextCustomerOrd++;
    this.khidSequence += 1;
    const day = new Date(now).toISOString().slice(0, 10).replaceAll("-", "");
    const khid = `KH${day}${String(this.khidSequence).padStart(4, "0")}`;
    this.reservedOrds.set(ord, khid);
    this.allocatedOrds += 1;
    return { ord, khid };
  }

  /**
   * The customer holding this 客户编号. SQL Server's usual collation (Chinese_PRC_CI_AS) is
   * case-insensitive, so wx000001 and WX000001 are the same number there, and here.
   */
  customerByKhid(khid: string, exceptOrd?: number): CustomerRecord | undefined {
    const wanted = khid.toUpperCase();
    for (const customer of this.customers.values()) {
      if (customer.khid.toUpperCase() === wanted && customer.ord !== exceptOrd) return customer;
    }
    return undefined;
  }

  /** Stores a new customer and its main contact; consumes the reservation of its ord. */
  insertCustomer(input: NewCustomer): CustomerRecord {
    this.reservedOrds.delete(input.ord);
    if (input.ord >= this.nextCustomerOrd) this.nextCustomerOrd = input.ord + 1;
    const customer: CustomerRecord = {
      ord: input.ord,
      khid: input.khid,
      intsort: input.intsort,
      form: { ...input.form },
      owners: [...input.owners],
      isPublic: input.isPublic ?? false,
      createdAt: input.createdAt,
      updatedAt: input.createdAt,
      telintro: "",
      personOrd: 0,
    };
    this.customers.set(customer.ord, customer);
    this.syncMainContact(customer, input.createdAt);
    const planned = this.plannedStages.get(customer.khid.toUpperCase());
    if (planned !== undefined) {
      try {
        moveToStage(customer, planned, input.createdAt);
      } catch (error) {
        // A planned stage another category lacks leaves this customer where it was saved.
        if (!(error instanceof StageMoveError)) throw error;
      }
    }
    return customer;
  }

  /** Replaces a customer's form (whole-form save) or merges a partial one (v3 edit). */
  updateCustomer(
    customer: CustomerRecord,
    changes: { form: Record<string, string>; khid?: string; intsort?: number },
    now: number,
    merge: boolean,
  ): void {
    customer.form = merge ? { ...customer.form, ...changes.form } : { ...changes.form };
    if (changes.khid !== undefined) customer.khid = changes.khid;
    if (changes.intsort !== undefined) customer.intsort = changes.intsort;
    customer.updatedAt = now;
    this.syncMainContact(customer, now);
  }

  /** The main contact mirrors the customer form's person fields (the list shows them). */
  private syncMainContact(customer: CustomerRecord, now: number): void {
    const form = mainContactFields(customer.form);
    if (!form.person_name && customer.intsort === 2) form.person_name = customer.form.name ?? "";
    if (!form.person_name) return;
    const existing = this.contacts.get(customer.personOrd);
    if (existing) {
      existing.form = { ...existing.form, ...form };
      existing.updatedAt = now;
      return;
    }
    customer.personOrd = this.insertContact(customer.ord, form, now).ord;
  }

  insertContact(company: number, form: Record<string, string>, now: number): ContactRecord {
    const contact: ContactRecord = { ord: this.nextContactOrd++, company, form: { ...form }, createdAt: now, updatedAt: now };
    this.contacts.set(contact.ord, contact);
    return contact;
  }

  /** A contact save is a whole-form save like the customer one. */
  updateContact(contact: ContactRecord, company: number, form: Record<string, string>, now: number): void {
    contact.company = company;
    contact.form = { ...form };
    contact.updatedAt = now;
    const customer = this.customers.get(company);
    if (customer && customer.personOrd === contact.ord) customer.form = { ...customer.form, ...pickMainContact(form) };
  }

  recordFollowup(customer: CustomerRecord, record: Omit<FollowupRecord, "ord">, now: number): void {
    this.followups.push({ ord: String(customer.ord), ...record });
    customer.telintro = record.intro;
    customer.updatedAt = now;
  }

  recordAssignment(customer: CustomerRecord, member1: string, users: string[], now: number): void {
    this.assignments.push({ ord: String(customer.ord), member1, member2: users.join(","), at: new Date(now).toISOString() });
    customer.isPublic = member1 === "1";
    customer.owners = customer.isPublic ? [] : [...users];
    customer.updatedAt = now;
  }

  ownerNames(customer: CustomerRecord): string {
    return customer.owners.map((id) => this.userById(id)?.name ?? id).join(",");
  }
}

/** Contact fields that also live on the customer form of the main contact. */
function pickMainContact(form: Record<string, string>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const id of ["person_name", "job", "phone", "fax", "mobile", "email", "qq", "weixinAcc", "sex", "part1"]) {
    const value = form[id];
    if (value !== undefined) picked[id] = value;
  }
  return picked;
}
