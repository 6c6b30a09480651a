import type { Logger } from "../../../src/plugin-api.ts";
import { assignCustomer } from "./assign.ts";
import type { CallGate } from "./call-gate.ts";
import { CallRunner } from "./call-runner.ts";
import type { Datas } from "./call-spec.ts";
import { addContact, type ContactSummary, listContacts } from "./contacts.ts";
import { createCustomer } from "./create-customer.ts";
import { editCustomerV3 } from "./customer-edit-v3.ts";
import { type FindContext, findByKhid, findByMobile, findByName } from "./customer-find.ts";
import { type AllocatedId, allocateCustomerId, getCustomer, saveCustomer } from "./customer-form.ts";
import { listCustomers } from "./customer-list.ts";
import { addFollowup } from "./followup.ts";
import { listFollowups } from "./followup-list.ts";
import { ErpHttp } from "./http.ts";
import { type Credentials, type LoginResult, performLogin } from "./login.ts";
import type { ErpMessage } from "./message.ts";
import { ERP_PATHS } from "./paths.ts";
import { SessionKeeper } from "./session.ts";
import { StatsCounter } from "./stats.ts";
import type {
  AssignTarget,
  ContactInput,
  CreatedCustomer,
  CustomerDetail,
  CustomerInput,
  CustomerKind,
  CustomerSummary,
  ErpClientOptions,
  ErpLoginInfo,
  ErpStats,
  FollowupInput,
  ListOptions,
  ListResult,
} from "./types.ts";
import { type ErpUser, listUsers } from "./user-list.ts";

export const ERP_CLIENT_DEFAULTS = {
  serialnum: "wxerp-bot-0001",
  timeoutMs: 15_000,
  retries: 3,
  retryBaseMs: 300,
  retryMaxMs: 10_000,
  pageSize: 100,
} as const;

/**
 * The 智邦 ERP client: one object per ERP account. Each method is one concept of the
 * protocol (docs/zhibang-protocol.md §4-§6); the sending, session renewal and retries live in
 * CallRunner. Methods throw ErpError subclasses (errors.ts).
 */
export class ErpClient {
  readonly baseUrl: string;
  private readonly http: ErpHttp;
  private readonly runner: CallRunner;
  private readonly session: SessionKeeper;
  private readonly stats_ = new StatsCounter();
  private readonly credentials: Credentials;
  private readonly pageSize: number;
  private readonly logger: Logger | undefined;
  private loginInfo: ErpLoginInfo | undefined;

  constructor(options: ErpClientOptions) {
    this.baseUrl = options.baseUrl;
    this.logger = options.logger;
    this.pageSize = options.pageSize ?? ERP_CLIENT_DEFAULTS.pageSize;
    this.credentials = {
      username: options.username,
      password: options.password,
      serialnum: options.serialnum ?? ERP_CLIENT_DEFAULTS.serialnum,
    };
    this.http = new ErpHttp(options.baseUrl);
    this.runner = new CallRunner({
      http: this.http,
      settings: {
        timeoutMs: options.timeoutMs ?? ERP_CLIENT_DEFAULTS.timeoutMs,
        retries: options.retries ?? ERP_CLIENT_DEFAULTS.retries,
        retryBaseMs: options.retryBaseMs ?? ERP_CLIENT_DEFAULTS.retryBaseMs,
        retryMaxMs: options.retryMaxMs ?? ERP_CLIENT_DEFAULTS.retryMaxMs,
      },
      stats: this.stats_,
      logger: options.logger,
      onCall: options.onCall,
      onRetry: options.onRetry,
    });
    this.session = new SessionKeeper(
      () => this.loginOnce(),
      (relogin) => this.stats_.login(relogin),
    );
    this.runner.attachSession(this.session);
  }

  /** Logs in now (even if a session is held) and tells what the ERP said. Throws ErpAuthError on refusal. */
  async login(): Promise<ErpLoginInfo> {
    await this.session.fresh();
    return { ...(this.loginInfo as ErpLoginInfo) };
  }

  /** Ends the session on the ERP (docs/zhibang-protocol.md §4.4). A session that already expired is not an error. */
  async logout(): Promise<void> {
    const token = this.session.currentToken;
    if (token === undefined) return;
    this.session.clear();
    await this.runner.run({
      family: "zsml",
      operation: "logout",
      path: ERP_PATHS.logout,
      auth: false,
      session: token,
      rawStatus: true,
      datas: {},
      repeatable: true,
      write: false,
      interpret: () => undefined,
    });
  }

  /**
   * From now on every request waits at `gate` (erp.maxConcurrentCalls / erp.maxCallsPerSecond,
   * across processes on PostgreSQL): the ERP is one server however many bots call it.
   */
  limitCalls(gate: CallGate): void {
    this.runner.limitCalls(gate);
  }

  allocateCustomerId(intsort: CustomerKind): Promise<AllocatedId> {
    return allocateCustomerId(this.runner, intsort);
  }

  saveCustomer(input: CustomerInput & { ord: string }): Promise<ErpMessage> {
    return saveCustomer(this.runner, input);
  }

  /** allocate → save → read back; ErpWriteNotVerifiedError when the read-back does not show it. */
  createCustomer(input: CustomerInput): Promise<CreatedCustomer> {
    return createCustomer(this.runner, input);
  }

  getCustomer(ord: string): Promise<CustomerDetail | undefined> {
    return getCustomer(this.runner, ord);
  }

  listCustomers(filters: Datas = {}, options: ListOptions = {}): Promise<ListResult<CustomerSummary>> {
    return listCustomers(this.runner, filters, options, this.pageSize);
  }

  findByKhid(khid: string): Promise<CustomerDetail[]> {
    return findByKhid(this.findContext(), khid);
  }

  findByMobile(mobile: string): Promise<CustomerSummary[]> {
    return findByMobile(this.findContext(), mobile);
  }

  findByName(name: string): Promise<CustomerSummary[]> {
    return findByName(this.findContext(), name);
  }

  assignCustomer(ord: string, target: AssignTarget): Promise<ErpMessage> {
    return assignCustomer(this.runner, ord, target);
  }

  addFollowup(ord: string, input: FollowupInput): Promise<ErpMessage> {
    return addFollowup(this.runner, ord, input);
  }

  /** The customer's follow-up texts, newest first (an undocumented page: see followup-list.ts). */
  listFollowups(ord: string, limit = 20): Promise<string[]> {
    return listFollowups(this.runner, ord, limit);
  }

  addContact(companyOrd: string, person: ContactInput): Promise<ErpMessage> {
    return addContact(this.runner, companyOrd, person);
  }

  listContacts(companyOrd: string): Promise<ContactSummary[]> {
    return listContacts(this.runner, companyOrd, this.pageSize);
  }

  /** A partial update through the v3 webapi (docs/zhibang-protocol.md §6); returns the ERP's Msg. */
  editCustomerV3(ord: string, fields: Record<string, string | number>): Promise<string> {
    return editCustomerV3(this.runner, ord, fields);
  }

  /** The ERP's users (id and name), for showing names beside the ids in `assignment.tiers`. */
  listUsers(): Promise<ErpUser[]> {
    return listUsers(this.runner);
  }

  stats(): ErpStats {
    return this.stats_.snapshot();
  }

  /** Releases pooled connections. Does not log out (see logout()). */
  close(): void {
    this.http.close();
  }

  private findContext(): FindContext {
    return { runner: this.runner, pageSize: this.pageSize };
  }

  /** One login through the runner; remembers which path worked so re-logins go straight there. */
  private async loginOnce(): Promise<string> {
    const result: LoginResult = await performLogin(this.runner, this.credentials, this.loginInfo?.path);
    const { token, ...info } = result;
    this.loginInfo = info;
    this.logger?.debug({ path: info.path }, "logged in to the ERP");
    return token;
  }
}
