import { writeFile } from "node:fs/promises";
import YAML from "yaml";
import type { EmulatorFaults } from "../../plugins/zhibang-erp/emulator/index.ts";

export interface SoakTimings {
  /** erp.timeoutMs of the bot: a hang lasts longer than this. */
  erpTimeoutMs: number;
  /** How long the emulator holds a hanging request. */
  hangMs: number;
  /** erp.retryBaseMs (default 100): the client's first back-off. */
  retryBaseMs?: number;
  /** sync.backoffBaseMs (default 500): the outbox's first back-off. */
  backoffBaseMs?: number;
  /** Logins fail like every other call (off by default: the soak's faults are those of the customer calls). */
  loginFaults?: boolean;
}

/**
 * Every fault at once: 20% HTTP 500, 5% HTML error pages, 5% hangs past
 * the client timeout, 2% reset connections (uniform picks from a weighted list), before or
 * after the operation is applied; sessions expired every 30 s; 2% of saves silently lost.
 */
export function soakFaults(timings: SoakTimings): Partial<EmulatorFaults> {
  const kinds: EmulatorFaults["failureKinds"] = [
    ...Array<"http500">(20).fill("http500"),
    ...Array<"html">(5).fill("html"),
    ...Array<"hang">(5).fill("hang"),
    ...Array<"reset">(2).fill("reset"),
  ];
  return {
    failureRate: kinds.length / 100,
    failureKinds: kinds,
    failurePhase: "random",
    hangMs: timings.hangMs,
    silentNonSaveRate: 0.02,
    sessionExpireEverySeconds: 30,
    applyFailuresToLogin: timings.loginFaults === true,
  };
}

/** The bot's config file: short timeouts and back-off so the soak ends; two gold users (round-robin). */
export async function writeSoakConfig(file: string, timings: SoakTimings): Promise<void> {
  const retryBase = timings.retryBaseMs ?? 100;
  const backoffBase = timings.backoffBaseMs ?? 500;
  const config = {
    log: { level: "info" },
    wechat: { demo: false },
    scorer: { provider: "heuristic", idleSeconds: 600 },
    erp: { timeoutMs: timings.erpTimeoutMs, retries: 3, retryBaseMs: retryBase, retryMaxMs: retryBase * 10 },
    sync: { concurrency: 4, maxAttempts: 8, backoffBaseMs: backoffBase, backoffMaxMs: backoffBase * 10 },
    assignment: {
      tiers: [
        { minScore: 80, users: ["123", "789"], name: "gold" },
        { minScore: 60, users: ["456"], name: "normal" },
        { minScore: 0, public: true, name: "public" },
      ],
    },
    dashboard: { enabled: false },
  };
  await writeFile(file, YAML.stringify(config), "utf8");
}
