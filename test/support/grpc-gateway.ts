/**
 * A puppet-service gateway on 127.0.0.1 (a PuppetServer wrapping a PuppetMock, TLS off),
 * and the wxerp app connected to it exactly as `wxerp start` runs with `wechat.puppet:
 * service`: token, endpoint and the no-TLS switch come from the environment and the
 * puppet is built by buildPuppet. Tests make people type through the gateway's mocker and
 * read what the bot did: threads in the store, what it sent where.
 *
 *   const gateway = await startGrpcGateway();
 *   const wx = await gateway.startApp({ config: { commands: { staff: [BOSS.id] } } });
 *   const alice = gateway.customer({ id: "wxid_alice", name: "Alice" });
 *   await wx.handled(wx.says(alice, "你好"));
 *   expect(wx.controlReplies()).toEqual([...]);
 *   await wx.stop();
 *   await gateway.stop();
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { mock, PuppetMock } from "wechaty-puppet-mock";
import { PuppetServer } from "wechaty-puppet-service";
import { pluginCatalog } from "../../plugins/index.ts";
import type { EmulatorOptions } from "../../plugins/zhibang-erp/emulator/index.ts";
import { type App, createApp } from "../../src/app/app.ts";
import { ensureMockContact, FILE_HELPER_ID, loginMock, type MockContactSpec } from "../../src/bot/mock-contacts.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { AppConfig } from "../../src/config/schema.ts";
import { createLogger } from "../../src/logging/logger.ts";
import type { SendQueueOverrides } from "../../src/sending/wechat-sends.ts";
import { BOSS, deepMerge, MockChat, QUICK_SENDING, SALES, type SentMessage, waitFor } from "./app-fixture.ts";

export { BOSS, SALES, waitFor };

export interface GrpcGateway {
  readonly token: string;
  /** host:port of the gateway. */
  readonly endpoint: string;
  /** Drives the WeChat behind the gateway: people, groups, login. */
  readonly mocker: mock.Mocker;
  /** The environment `wxerp start` reads to reach this gateway. */
  readonly env: Record<string, string>;
  /** A contact on the gateway's WeChat (created once; the same object for the same id). */
  customer(spec: MockContactSpec): mock.ContactMock;
  /** A colleague; list the id in `commands.staff` (BOSS is listed by default) to make them staff. */
  staff(spec: MockContactSpec): mock.ContactMock;
  room(spec: { topic: string; members: mock.ContactMock[]; id?: string }): mock.RoomMock;
  /** The gRPC server goes away (a gateway crash or restart): every event stream ends, calls fail. */
  crash(): Promise<void>;
  /** A gRPC server again on the same endpoint, over the same WeChat (after `crash`). */
  restart(): Promise<void>;
  /** Heartbeats every few seconds, as a PadLocal gateway sends them (on by default); off = a silent gateway. */
  heartbeats(on: boolean): void;
  /** Starts wxerp (mode live, as `wxerp start`) against this gateway and waits for the WeChat login. */
  startApp(options?: GatewayAppOptions): Promise<GatewayApp>;
  /** Stops the gateway (the gRPC server and its puppet) and removes the client's payload cache for the token. */
  stop(): Promise<void>;
}

export interface GrpcGatewayOptions {
  /** Default: a fresh `insecure_<uuid>`. */
  token?: string;
  /** The puppet behind the gateway (default a PuppetMock on the mocker), e.g. GatewayLikePuppet. */
  puppet?: (mocker: mock.Mocker) => PuppetMock;
  /**
   * The gateway's puppet logs the salesperson in again whenever it is started (default true),
   * as a PadLocal gateway resumes its saved session after a stop and start.
   */
  resumeLogin?: boolean;
  /** The port to listen on (default: a free one), e.g. for a process started before the gateway. */
  port?: number;
  /** Milliseconds between heartbeats (default 2000). */
  heartbeatMs?: number;
}

export interface GatewayAppOptions {
  /** Config keys over the test defaults (deep-merged). */
  config?: Record<string, unknown>;
  /** Extra environment over the gateway's (e.g. a different token or endpoint). */
  env?: Record<string, string>;
  /** Reuse a data directory (a restart); the caller removes it. Default: a fresh temp dir, removed by stop(). */
  dataDir?: string;
  /** Log the salesperson in on the gateway and wait for the bot to see it (default true). */
  login?: boolean;
  /** Options for the embedded ERP emulator (faults, credentials). */
  emulator?: Partial<EmulatorOptions>;
  /** The send queue's pacing and clock. Default QUICK_SENDING: no pauses, nothing gathered. */
  sending?: SendQueueOverrides;
}

export interface GatewayApp {
  app: App;
  config: AppConfig;
  dataDir: string;
  /** The salesperson's account on the gateway's WeChat. */
  self: mock.ContactMock;
  /** `talker` types text to the salesperson, or into `room`; returns the message id at once. */
  says(talker: mock.ContactMock, text: string, room?: mock.RoomMock): string;
  /** The salesperson types into a chat on their phone (not a bot reply); returns the message id at once. */
  selfSays(to: mock.ContactMock | mock.RoomMock, text: string): string;
  /** Resolves once intake (and any command) has finished with these message ids. */
  handled(...messageIds: string[]): Promise<void>;
  /** A hand-built message (a 名片, a group text with mentions) from the gateway's WeChat; resolves once handled. */
  inject(payload: { id: string; talkerId: string; type: number; [field: string]: unknown }): Promise<void>;
  /** Everything the bot sent (not what people typed), in order. */
  sent(): SentMessage[];
  /** When the gateway's WeChat received each message of sent(), epoch ms. */
  sentAt(): number[];
  /** What the bot sent to one contact or group. */
  sentTo(conversationId: string): string[];
  /** What the bot sent to the control chat (File Transfer). */
  controlReplies(): string[];
  /** Stops the app; removes the data dir unless it was given. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startGrpcGateway(options: GrpcGatewayOptions = {}): Promise<GrpcGateway> {
  const token = options.token ?? `insecure_${randomUUID()}`;
  const endpoint = `127.0.0.1:${options.port ?? (await freePort())}`;
  const mocker = new mock.Mocker();
  const puppet = options.puppet?.(mocker) ?? new PuppetMock({ mocker });
  const serve = async () => {
    const started = new PuppetServer({ puppet, token, endpoint, tls: { disable: true } } as never);
    await started.start();
    return started;
  };
  let server: PuppetServer | undefined = await serve();
  if (options.resumeLogin !== false) {
    (puppet as unknown as NodeJS.EventEmitter).on("start", () => {
      setImmediate(() => {
        if (!puppet.isLoggedIn) loginMock(mocker, SALES);
      });
    });
  }
  const env = {
    WECHATY_PUPPET_SERVICE_TOKEN: token,
    WECHATY_PUPPET_SERVICE_ENDPOINT: endpoint,
    WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_CLIENT: "true",
  };
  const apps = new Set<GatewayApp>();
  let stopped = false;
  let beating = true;
  const beat = setInterval(() => beating && puppet.emit("heartbeat", { data: "gateway heartbeat" }), options.heartbeatMs ?? 2000);
  beat.unref();
  return {
    token,
    endpoint,
    mocker,
    env,
    customer: (spec) => ensureMockContact(mocker, spec),
    staff: (spec) => ensureMockContact(mocker, spec),
    room: ({ topic, members, id }) => {
      const self = ensureMockContact(mocker, SALES);
      return mocker.createRoom({ topic, memberIdList: [self.id, ...members.map((m) => m.id)], ...(id ? { id } : {}) });
    },
    heartbeats(on) {
      beating = on;
    },
    async crash() {
      await server?.stop();
      server = undefined;
    },
    async restart() {
      server ??= await serve();
    },
    async startApp(appOptions = {}) {
      const started = await startGatewayApp(mocker, { ...env, ...appOptions.env }, appOptions);
      apps.add(started);
      return started;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(beat);
      for (const started of apps) await started.stop();
      await server?.stop().catch(() => undefined);
      await removePayloadCache(token);
    },
  };
}

async function startGatewayApp(
  mocker: mock.Mocker,
  env: Record<string, string>,
  options: GatewayAppOptions,
): Promise<GatewayApp> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "wxerp-grpc-")));
  const config = gatewayConfig(dataDir, env, options.config ?? {});
  // wechaty-puppet-service reads the no-TLS switch from process.env itself, as in production.
  process.env.WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_CLIENT = env.WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_CLIENT ?? "false";
  const logger = createLogger({ level: config.log.level, file: join(dataDir, "logs", "wxerp.log"), stderrLevel: "silent" });
  const app = await createApp(config, {
    logger,
    mode: "live",
    sending: options.sending ?? QUICK_SENDING,
    plugins: pluginCatalog(options.emulator ? { "zhibang-erp": { connect: { emulator: options.emulator } } } : {}),
  });
  if (app.runtime?.puppetKind !== "service") throw new Error("the gateway app must run the service puppet");
  try {
    await app.start();
  } catch (error) {
    await app.stop();
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const self = ensureMockContact(mocker, SALES);
  if (options.login !== false) {
    if (!mocker.puppet.isLoggedIn) loginMock(mocker, SALES);
    await waitFor(() => app.runtime?.isLoggedIn(), "the WeChat login over gRPC", 30_000);
  }
  ensureMockContact(mocker, { id: FILE_HELPER_ID, name: "文件传输助手" });
  const chat = new MockChat(app, self);
  let stopped: Promise<void> | undefined;
  return {
    app,
    config,
    dataDir,
    self,
    says: (talker, text, room) => chat.type(talker, room ?? self, text),
    selfSays: (to, text) => chat.type(self, to, text),
    handled: (...ids) => app.whenHandled(ids, 30_000),
    inject: (payload) => chat.inject(payload),
    sent: () => [...chat.sent],
    sentAt: () => [...chat.sentAt],
    sentTo: (id) => chat.sent.filter((m) => m.to === id).map((m) => m.text),
    controlReplies: () => chat.sent.filter((m) => m.to === FILE_HELPER_ID).map((m) => m.text),
    stop() {
      stopped ??= (async () => {
        await app.stop();
        if (ownDir) await rm(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** The test defaults of the app fixture, with the service puppet and the gateway's environment. */
function gatewayConfig(dataDir: string, env: Record<string, string>, over: Record<string, unknown>): AppConfig {
  const base = {
    dataDir,
    log: { level: process.env.WXERP_TEST_LOG_LEVEL ?? "info" },
    dashboard: { enabled: false },
    wechat: { puppet: "service", demo: false },
    erp: { retries: 1, retryBaseMs: 10, retryMaxMs: 50, timeoutMs: 5000 },
    sync: { backoffBaseMs: 20, backoffMaxMs: 200 },
    commands: { staff: [BOSS.id] },
  };
  return loadConfig({ withoutDefaultFile: true, env, overrides: deepMerge(base, over) });
}

/** puppet-service caches payloads under ~/.wechaty/wechaty-puppet-service/<token>: ours are throwaway tokens. */
export async function removePayloadCache(token: string): Promise<void> {
  // The cache may still be flushing its last write: rm retries a directory that is not empty yet.
  const dir = join(homedir(), ".wechaty", "wechaty-puppet-service", token);
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
