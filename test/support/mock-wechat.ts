/**
 * A real Wechaty bot on the mock puppet, logged in as the salesperson, with the thread
 * store in a temporary data directory and intake wired in. Tests drive WeChat through the
 * mocker and assert on what a user would see: threads in the store, what the bot sent.
 *
 *   const wechat = await startMockWechat({ config: { commands: { staff: ["wxid_boss"] } } });
 *   const alice = wechat.createCustomer({ id: "wxid_alice", name: "Alice" });
 *   await wechat.handled(wechat.customerSays(alice, "hello"));
 *   ...
 *   await wechat.stop();
 */
import type { EventEmitter } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { FileBoxInterface } from "file-box";
import { types } from "wechaty";
import type { mock } from "wechaty-puppet-mock";
import { ensureMockContact, FILE_HELPER_ID, loginMock, type MockContactSpec } from "../../src/bot/mock-contacts.ts";
import { createWechatyRuntime, type WechatyRuntime } from "../../src/bot/runtime.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { AppConfig } from "../../src/config/schema.ts";
import { createIntake, type Intake, type IntakeOptions } from "../../src/intake/intake.ts";
import { createLogger, type Logger } from "../../src/logging/logger.ts";
import { createThreadStore } from "../../src/store/create-store.ts";
import type { LowdbThreadStore } from "../../src/store/lowdb-thread-store.ts";

export interface MockWechatOptions {
  /** Config keys over the schema defaults (dataDir is a fresh temp directory). */
  config?: Record<string, unknown>;
  self?: MockContactSpec;
  /** Callbacks and switches for intake; `false` = runtime and store only, no intake. */
  intake?: Partial<Pick<IntakeOptions, "onMessage" | "onCommand" | "onPickOffer" | "backlogDetection">> | false;
  /** A ready puppet instead of a fresh mock (the gRPC test: a PuppetService)... */
  puppet?: unknown;
  /** ...and the mocker behind it (the PuppetMock that the PuppetServer wraps). */
  mocker?: mock.Mocker;
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface MockWechat {
  config: AppConfig;
  dataDir: string;
  runtime: WechatyRuntime;
  mocker: mock.Mocker;
  self: mock.ContactMock;
  readonly store: LowdbThreadStore;
  /** Rebuilt by `reopenStore()`; undefined when started with `intake: false`. */
  readonly intake: Intake | undefined;
  logger: Logger;
  /** Every log line so far (JSON, masked as in production). */
  logs(): LogLine[];
  createCustomer(spec: MockContactSpec): mock.ContactMock;
  /** A colleague; remember to list the id in `commands.staff` if they should be staff. */
  createStaff(spec: MockContactSpec): mock.ContactMock;
  createRoom(spec: { topic: string; members: mock.ContactMock[]; id?: string }): mock.RoomMock;
  /** The contact says text (or sends a file) to the salesperson, or into a room; returns the message id. */
  customerSays(contact: mock.ContactMock, something: string | FileBoxInterface, room?: mock.RoomMock): string;
  /** The salesperson types into a chat on their phone (not a bot reply); returns the message id. */
  selfSays(to: mock.ContactMock | mock.RoomMock, text: string): string;
  /** A hand-built payload (given id, timestamp, type...), emitted to the bot. */
  inject(payload: InjectedPayload): string;
  /** Delivers an already-delivered message again (duplicate delivery). */
  redeliver(messageId: string): void;
  /** Texts the bot sent (through `runtime.say`) to a contact or room. */
  sent(conversationId: string): string[];
  /** Resolves once intake has finished with these message (or friendship) ids. */
  handled(...messageIds: string[]): Promise<void>;
  waitFor<T>(predicate: () => T | Promise<T>, what?: string, timeoutMs?: number): Promise<NonNullable<T>>;
  /** Closes the store and opens a new one on the same directory (a restart of the process's data). */
  reopenStore(): Promise<LowdbThreadStore>;
  stop(): Promise<void>;
}

export type InjectedPayload = {
  id: string;
  talkerId?: string;
  listenerId?: string;
  roomId?: string;
  text?: string;
  filename?: string;
  timestamp?: number;
  type?: number;
};

export const SELF: MockContactSpec = { id: "wxid_sales", name: "销售小王" };

export async function startMockWechat(options: MockWechatOptions = {}): Promise<MockWechat> {
  const dataDir = await mkdtemp(join(tmpdir(), "wxerp-wechat-"));
  const config = loadConfig({ withoutDefaultFile: true, env: {}, overrides: { ...options.config, dataDir } });
  const lines: LogLine[] = [];
  const logger = createLogger({ level: "debug", stream: memoryStream(lines) });
  const runtime = createWechatyRuntime(config, logger, options.puppet === undefined ? {} : { puppet: options.puppet });
  const mocker = runtime.mocker ?? options.mocker;
  if (!mocker)
    throw new Error("startMockWechat needs a mock puppet (for the gRPC path: the PuppetService and the server's mocker)");
  let store = createThreadStore(config, logger, { writeDelayMs: 20 });
  await store.open();
  const done = new Set<string>();
  const makeIntake = (): Intake | undefined => {
    if (options.intake === false) return undefined;
    return createIntake({
      store,
      config,
      logger,
      selfId: runtime.selfId,
      loginAt: runtime.loginAt,
      isOwnEcho: runtime.isOwnEcho,
      ...options.intake,
    });
  };
  let intake = makeIntake();
  runtime.onMessage(async (message) => {
    await intake?.handle(message);
    done.add(message.id);
  });
  runtime.onFriendship(async (friendship) => {
    await intake?.handleFriendship(friendship);
    done.add(friendship.id);
  });

  await runtime.start();
  const self = loginMock(mocker, options.self ?? SELF);
  await waitFor(() => runtime.isLoggedIn(), "the mock login");
  ensureMockContact(mocker, { id: FILE_HELPER_ID, name: "文件传输助手" });
  const typedBySelf = new Set<string>();
  const sentBySelf: Array<{ id: string; to: string; text: string }> = [];
  listenMock(self, (message) => {
    const payload = message.payload as { id: string; talkerId: string; listenerId?: string; roomId?: string; text?: string };
    if (payload.talkerId !== self.id) return;
    sentBySelf.push({ id: payload.id, to: payload.roomId ?? payload.listenerId ?? "", text: payload.text ?? "" });
  });

  const said = (talker: mock.ContactMock, send: () => void): string => {
    let id: string | undefined;
    const listener = (message: mock.MessageMock) => {
      id ??= message.id;
    };
    const off = listenMock(talker, listener);
    try {
      send();
    } finally {
      off();
    }
    if (id === undefined) throw new Error("the mock did not create a message");
    return id;
  };

  return {
    config,
    dataDir,
    runtime,
    mocker,
    self,
    get store() {
      return store;
    },
    get intake() {
      return intake;
    },
    logger,
    logs: () => [...lines],
    createCustomer: (spec) => ensureMockContact(mocker, spec),
    createStaff: (spec) => ensureMockContact(mocker, spec),
    createRoom: ({ topic, members, id }) =>
      mocker.createRoom({ topic, memberIdList: [self.id, ...members.map((m) => m.id)], ...(id ? { id } : {}) }),
    customerSays: (contact, something, room) => said(contact, () => contact.say(something as never).to(room ?? self)),
    selfSays(to, text) {
      const id = said(self, () => self.say(text).to(to));
      typedBySelf.add(id);
      return id;
    },
    inject(payload) {
      const full = { timestamp: Date.now(), type: types.Message.Text, ...payload };
      mocker.MessageMock.create(full as never);
      mocker.puppet.emit("message", { messageId: payload.id });
      return payload.id;
    },
    redeliver: (messageId) => mocker.puppet.emit("message", { messageId }),
    sent: (conversationId) => sentBySelf.filter((m) => m.to === conversationId && !typedBySelf.has(m.id)).map((m) => m.text),
    async handled(...messageIds) {
      await waitFor(() => messageIds.every((id) => done.has(id)), `intake to take in ${messageIds.join(", ")}`);
    },
    waitFor,
    async reopenStore() {
      await store.close();
      store = createThreadStore(config, logger, { writeDelayMs: 20 });
      await store.open();
      intake = makeIntake();
      return store;
    },
    async stop() {
      await runtime.stop();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `predicate` returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  what = "a condition",
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Mock contacts are event emitters, but their typings come from a package that is not installed. */
function listenMock(target: mock.ContactMock, listener: (message: mock.MessageMock) => void): () => void {
  const emitter = target as unknown as EventEmitter;
  emitter.on("message", listener);
  return () => emitter.off("message", listener);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function memoryStream(lines: LogLine[]): Writable {
  return new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      callback();
    },
  });
}
