/**
 * The whole app (createApp: mock WeChat → intake → scorer → ERP plugin → ERP) on a temp
 * data directory, logged in as the salesperson, against the embedded emulator or a given
 * ERP URL. Tests play recorded conversations, make customers and staff type, and read
 * what a user would see: the ERP's records, the bot's replies, the audit log.
 *
 *   const fx = await startAppFixture({ config: { commands: { staff: [BOSS.id] } } });
 *   const report = await fx.replay([conversation(...)]);
 *   await fx.command("/erp status 赵六");
 *   expect(fx.controlReplies().at(-1)).toContain("score_pass");
 *   await fx.stop();
 */
import type { EventEmitter } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { types } from "wechaty";
import type { mock } from "wechaty-puppet-mock";
import { pluginCatalog } from "../../plugins/index.ts";
import type { EmulatorOptions, EmulatorSnapshot, RunningEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { type App, type AppMode, createApp } from "../../src/app/app.ts";
import type { AuditRecord } from "../../src/audit/index.ts";
import { ensureMockContact, FILE_HELPER_ID, loginMock, type MockContactSpec } from "../../src/bot/mock-contacts.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { AppConfig } from "../../src/config/schema.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { type ParsedReplay, parseReplay, type ReplayConversation } from "../../src/replay/replay-format.ts";
import type { ReplayReport } from "../../src/replay/replay-report.ts";
import { runReplay } from "../../src/replay/replay-runner.ts";
import type { SendQueueOverrides } from "../../src/sending/wechat-sends.ts";
import type { Thread } from "../../src/store/types.ts";
import { erpOf } from "./erp-of.ts";

export const SALES: MockContactSpec = { id: "wxid_sales", name: "销售小王" };
/** A colleague listed in `commands.staff` by default. */
export const BOSS: MockContactSpec = { id: "wxid_boss", name: "张经理" };
export const ERP_CREDENTIALS = { WXERP_ERP_USERNAME: "wxerp", WXERP_ERP_PASSWORD: "wxerp123" };

export interface AppFixtureOptions {
  /** Config keys over the test defaults below (deep-merged by loadConfig). */
  config?: Record<string, unknown>;
  mode?: Extract<AppMode, "replay" | "live">;
  /** Options for the embedded emulator (faults, hooks). */
  emulator?: Partial<EmulatorOptions>;
  /** An ERP (an emulator the test started) instead of the embedded one. */
  erpUrl?: string;
  /** Reuse a data directory (a restart); the caller removes it. Default: a fresh temp dir, removed by stop(). */
  dataDir?: string;
  /** A mock puppet of the test's own (e.g. GatewayLikePuppet) instead of a fresh PuppetMock. */
  puppet?: unknown;
  /** The send queue's pacing and clock. Default: the offline mock's (no pauses, nothing gathered). */
  sending?: SendQueueOverrides;
  /** Environment variables the config reads (e.g. OPENAI_API_KEY and OPENAI_BASE_URL of a fake model). */
  env?: Record<string, string>;
}

/**
 * Sends on a real-account puppet (the gRPC gateway) without the production pauses, so tests
 * about other things do not wait real seconds for every reply.
 */
export const QUICK_SENDING: SendQueueOverrides = {
  pacing: { minIntervalMs: 0, jitterMs: 0, gatherMs: 0, maxGatherMs: 0, retryMs: 100 },
};

export interface SentMessage {
  to: string;
  text: string;
}

export interface AppFixture {
  app: App;
  config: AppConfig;
  dataDir: string;
  /** The ERP emulator: the embedded one, or undefined when `erpUrl` was given. */
  emulator: RunningEmulator | undefined;
  mocker: mock.Mocker;
  /** Plays conversations (JSONL text or parsed lines) through the app (replay mode only). */
  replay(conversations: string | ReplayConversation[]): Promise<ReplayReport>;
  /** A customer types text to the salesperson; resolves once intake and any command are done. */
  customerSays(customer: ReplayConversation["contact"], text: string): Promise<string>;
  /** The salesperson types text in a customer's chat on their phone (not a bot reply). */
  salesSays(customerId: string, text: string): Promise<string>;
  /**
   * A command typed by `by` (default the salesperson's own account) in `in`: a customer's
   * chat id, or the control chat (default; for a staff member: their 1:1 with the bot).
   * Resolves with the bot's replies to it, wherever they went.
   */
  command(text: string, options?: { by?: MockContactSpec; in?: string }): Promise<SentMessage[]>;
  /**
   * The salesperson forwards a contact's 名片 into the control chat. Only a puppet that reads
   * cards (GatewayLikePuppet) can tell whose card it is: pass it.
   */
  forwardCard(contactId: string, cards?: Map<string, string>): Promise<SentMessage[]>;
  /**
   * Someone (default: the salesperson) types text in a group, @-mentioning `mentions` (ids).
   * Resolves with the message id and whatever the bot sent meanwhile, wherever it went.
   */
  inRoom(
    roomId: string,
    text: string,
    options?: { by?: MockContactSpec; mentions?: string[] },
  ): Promise<{ id: string; replies: SentMessage[] }>;
  /** Everything the bot sent (not what people typed), in order. */
  sent(): SentMessage[];
  /** What the bot sent to the control chat (File Transfer). */
  controlReplies(): string[];
  snapshot(): EmulatorSnapshot;
  thread(id: string): Promise<Thread | undefined>;
  /** Every audit record so far, oldest first (flushed and read from <dataDir>/audit/*.jsonl). */
  audit(): Promise<AuditRecord[]>;
  /** Stops the app (its embedded emulator too); removes the data dir unless it was given. */
  stop(): Promise<void>;
}

/** Test defaults: quick retries and back-off, no dashboard, the default tiers and mapping. */
function testConfig(dataDir: string, options: AppFixtureOptions): AppConfig {
  const base = {
    dataDir,
    log: { level: process.env.WXERP_TEST_LOG_LEVEL ?? "warn" },
    dashboard: { enabled: false },
    wechat: { demo: false },
    erp: { ...(options.erpUrl ? { baseUrl: options.erpUrl } : {}), retries: 1, retryBaseMs: 10, retryMaxMs: 50, timeoutMs: 5000 },
    sync: { backoffBaseMs: 20, backoffMaxMs: 200 },
    commands: { staff: [BOSS.id] },
  };
  return loadConfig({
    withoutDefaultFile: true,
    env: { ...(options.erpUrl ? ERP_CREDENTIALS : {}), ...options.env },
    overrides: deepMerge(base, options.config ?? {}),
  });
}

export async function startAppFixture(options: AppFixtureOptions = {}): Promise<AppFixture> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "wxerp-app-")));
  const config = testConfig(dataDir, options);
  const logger = createLogger({ level: config.log.level, file: join(dataDir, "logs", "wxerp.log"), stderrLevel: "silent" });
  const app = await createApp(config, {
    logger,
    mode: options.mode ?? "replay",
    ...(options.sending ? { sending: options.sending } : {}),
    plugins: pluginCatalog(options.emulator ? { "zhibang-erp": { connect: { emulator: options.emulator } } } : {}),
    ...(options.puppet ? { puppet: options.puppet } : {}),
  });
  const mocker = app.runtime?.mocker;
  if (!mocker) throw new Error("the app fixture needs the mock puppet");
  await app.start();
  const self = loginMock(mocker, SALES);
  await waitFor(() => app.runtime!.isLoggedIn(), "the mock WeChat login");
  ensureMockContact(mocker, { id: FILE_HELPER_ID, name: "文件传输助手" });
  const chat = new MockChat(app, self);
  const contact = (id: string, name = id) => ensureMockContact(mocker, { id, name });
  let injected = 0;

  return {
    app,
    config,
    dataDir,
    emulator: erpOf(app).emulator,
    mocker,
    replay: (conversations) => runReplay(app, parsed(conversations)),
    customerSays: (customer, text) => chat.say(contact(customer.id, customer.name), self, text),
    salesSays: (customerId, text) => chat.say(self, contact(customerId), text),
    async command(text, { by, in: where } = {}) {
      if (by && where) throw new Error("only the salesperson types in a customer's chat");
      const before = chat.sent.length;
      if (by) await chat.say(contact(by.id, by.name), self, text);
      else await chat.say(self, contact(where ?? FILE_HELPER_ID), text);
      return chat.sent.slice(before);
    },
    async forwardCard(contactId, cards) {
      const before = chat.sent.length;
      const id = `card-${contactId}-${++injected}`;
      cards?.set(id, contactId);
      await chat.inject({ id, type: types.Message.Contact, talkerId: SALES.id, listenerId: FILE_HELPER_ID });
      return chat.sent.slice(before);
    },
    async inRoom(roomId, text, { by, mentions } = {}) {
      const before = chat.sent.length;
      const talkerId = by ? contact(by.id, by.name).id : SALES.id;
      const id = `room-${++injected}`;
      await chat.inject({ id, type: types.Message.Text, talkerId, roomId, text, mentionIdList: mentions ?? [] });
      return { id, replies: chat.sent.slice(before) };
    },
    sent: () => [...chat.sent],
    controlReplies: () => chat.sent.filter((m) => m.to === FILE_HELPER_ID).map((m) => m.text),
    snapshot: () => {
      const { emulator } = erpOf(app);
      if (!emulator) throw new Error("no embedded emulator: read the snapshot of the one the test started");
      return emulator.snapshot();
    },
    thread: (id) => app.store.getThread(id),
    audit: () => readAudit(app),
    async stop() {
      await app.stop();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** People typing on the mock WeChat, and what the bot sent (through the salesperson's account). */
export class MockChat {
  readonly sent: SentMessage[] = [];
  /** When WeChat (the mock) received each message of `sent`, epoch ms. */
  readonly sentAt: number[] = [];
  /** The mock emits synchronously inside say(): while the salesperson types, it is not the bot. */
  private selfTyping = false;

  constructor(
    private readonly app: App,
    private readonly self: mock.ContactMock,
  ) {
    listen(self, (message) => {
      const payload = message.payload as { id: string; talkerId: string; listenerId?: string; roomId?: string; text?: string };
      // Recorded "sales" lines of a replay are the salesperson's, not the bot's (ids: replay-…).
      if (payload.talkerId !== self.id || this.selfTyping || payload.id.startsWith("replay-")) return;
      this.sent.push({ to: payload.roomId ?? payload.listenerId ?? "", text: payload.text ?? "" });
      this.sentAt.push(Date.now());
    });
  }

  /**
   * A hand-built message (a 名片, a group message with mentions) emitted by the mock WeChat
   * the salesperson's account lives on (in-process or behind a gateway); resolves once handled.
   */
  async inject(payload: { id: string; talkerId: string; type: number; [field: string]: unknown }): Promise<void> {
    const { mocker } = this.self;
    this.selfTyping = payload.talkerId === this.self.id;
    try {
      mocker.MessageMock.create({ timestamp: Date.now(), ...payload } as never);
    } finally {
      this.selfTyping = false;
    }
    mocker.puppet.emit("message", { messageId: payload.id });
    await this.app.whenHandled([payload.id], 30_000);
  }

  /** `talker` says text to `listener`; resolves with the message id once intake (and any command) is done. */
  async say(talker: mock.ContactMock, listener: mock.ContactMock | mock.RoomMock, text: string): Promise<string> {
    const id = this.type(talker, listener, text);
    await this.app.whenHandled([id], 20_000);
    return id;
  }

  /** `talker` says text to a contact or into a group; returns the message id at once (no wait for intake). */
  type(talker: mock.ContactMock, listener: mock.ContactMock | mock.RoomMock, text: string): string {
    let id: string | undefined;
    const off = listen(talker, (message) => {
      id ??= message.id;
    });
    this.selfTyping = talker === this.self;
    try {
      talker.say(text).to(listener);
    } finally {
      this.selfTyping = false;
      off();
    }
    if (!id) throw new Error("the mock did not create a message");
    return id;
  }
}

async function readAudit(app: App): Promise<AuditRecord[]> {
  await app.audit.flush();
  const records: AuditRecord[] = [];
  for (const file of app.audit.files()) {
    const text = await readFile(file, "utf8").catch(() => "");
    for (const line of text.split("\n")) if (line.trim()) records.push(JSON.parse(line) as AuditRecord);
  }
  return records;
}

function parsed(conversations: string | ReplayConversation[]): ParsedReplay {
  const text = typeof conversations === "string" ? conversations : toJsonl(conversations);
  const result = parseReplay(text);
  if (result.errors.length > 0) throw new Error(`bad test conversations: ${JSON.stringify(result.errors)}`);
  return result;
}

export function toJsonl(conversations: ReplayConversation[]): string {
  return `${conversations.map((c) => JSON.stringify(c)).join("\n")}\n`;
}

/** Polls until `predicate` returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(predicate: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Mock contacts are event emitters; their typings come from a package that is not installed. */
function listen(target: mock.ContactMock, listener: (message: mock.MessageMock) => void): () => void {
  const emitter = target as unknown as EventEmitter;
  emitter.on("message", listener);
  return () => emitter.off("message", listener);
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : (value as Record<string, unknown>[string]);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
