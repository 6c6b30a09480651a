import { Counter, Gauge, type Registry } from "prom-client";
import type { WechatyRuntime } from "../bot/runtime.ts";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { pacingFromConfig, type SendClock, type SendPacing } from "./pacing.ts";
import { SendQueue } from "./send-queue.ts";

/** Test hooks: faster pacing and a manual clock, so tests do not wait real seconds. */
export interface SendQueueOverrides {
  pacing?: Partial<SendPacing>;
  clock?: SendClock;
  random?: () => number;
}

/**
 * The offline mock WeChat (the demo, `wxerp replay`) has no account at risk: no pauses and no
 * cap there, so a replay of a thousand conversations is not slowed by a second per reply.
 */
const OFFLINE_PACING: Partial<SendPacing> = {
  minIntervalMs: 0,
  jitterMs: 0,
  gatherMs: 0,
  maxGatherMs: 0,
  noticesPerHour: Number.MAX_SAFE_INTEGER,
};

/**
 * The app's send queue in front of the WeChat runtime: paced by `wechat.sending` (on a real
 * account), counted in the metrics, and woken when WeChat logs in again so notices kept
 * while logged out go out.
 */
export function wechatSendQueue(
  runtime: WechatyRuntime,
  config: AppConfig,
  deps: { logger: Logger; registry: Registry },
  overrides: SendQueueOverrides = {},
): SendQueue {
  const registers = [deps.registry];
  const attempts = new Counter({
    name: "wxerp_wechat_sends_total",
    help: "WeChat sends by kind (reply, digest) and outcome (sent, failed)",
    labelNames: ["kind", "outcome"],
    registers,
  });
  const queue: SendQueue = new SendQueue({
    send: (to, text) => runtime.say(to, text),
    canSend: () => runtime.isLoggedIn(),
    controlChat: config.commands.controlChat,
    locale: config.locale,
    pacing: {
      ...pacingFromConfig(config.wechat.sending),
      ...(runtime.puppetKind === "mock" ? OFFLINE_PACING : {}),
      ...overrides.pacing,
    },
    logger: deps.logger,
    ...(overrides.clock ? { clock: overrides.clock } : {}),
    ...(overrides.random ? { random: overrides.random } : {}),
    onAttempt: (kind, outcome) => attempts.inc({ kind, outcome }),
  });
  new Gauge({
    name: "wxerp_wechat_notices_waiting",
    help: "Control-chat notices waiting to be sent (gathering, held by the hourly cap, or WeChat logged out)",
    registers,
    collect() {
      this.set(queue.waiting().notices);
    },
  });
  runtime.onSession((event) => {
    if (event.kind === "login") queue.resume();
  });
  return queue;
}
