import { CliFailure, UsageError } from "../../../src/plugin-api.ts";
import {
  EMULATOR_DEFAULT_CREDENTIALS,
  type EmulatorOptions,
  FAILURE_KINDS,
  type FailureKind,
  parseStagePlan,
  StageMoveError,
  startEmulator,
} from "../emulator/index.ts";

/** commander's opts of `wxerp erp emulator` (src/cli/program.ts): strings, except demo. */
export interface EmulatorCommandOptions {
  port?: string;
  host?: string;
  latency?: string;
  jitter?: string;
  failureRate?: string;
  failureKinds?: string;
  sessionTtl?: string;
  silentNonSaveRate?: string;
  demo?: boolean;
  /** "WX000001=重点客户,WX000002=已成交": planned 跟进程度 moves. */
  stages?: string;
}

/** Seams for tests: where lines go, and what ends the run (default SIGINT/SIGTERM). */
export interface EmulatorCommandIo {
  print(line: string): void;
  untilStopped(): Promise<void>;
}

function integerFlag(
  flag: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return Number(value);
}

function rateFlag(flag: string, value: string | undefined): number {
  if (value === undefined) return 0;
  const rate = Number(value);
  if (value.trim() === "" || !Number.isFinite(rate) || rate < 0 || rate > 1)
    throw new UsageError(`${flag} must be a number from 0 to 1 (got "${value}")`);
  return rate;
}

function kindsFlag(value: string | undefined): FailureKind[] {
  if (value === undefined) return [...FAILURE_KINDS];
  const kinds = value
    .split(",")
    .map((kind) => kind.trim())
    .filter((kind) => kind !== "");
  const unknown = kinds.filter((kind) => !(FAILURE_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0)
    throw new UsageError(`--failure-kinds: unknown kind "${unknown.join(",")}"; choose from ${FAILURE_KINDS.join(",")}`);
  return kinds as FailureKind[];
}

/** Validates the flags; a bad value throws UsageError naming the flag (exit 2). */
export function emulatorOptionsFromFlags(flags: EmulatorCommandOptions): EmulatorOptions {
  const host = (flags.host ?? "127.0.0.1").trim();
  if (host === "") throw new UsageError("--host must not be empty");
  const failureRate = rateFlag("--failure-rate", flags.failureRate);
  const failureKinds = kindsFlag(flags.failureKinds);
  if (failureRate > 0 && failureKinds.length === 0)
    throw new UsageError("--failure-kinds must name at least one kind when --failure-rate is above 0");
  return {
    host,
    port: integerFlag("--port", flags.port, 18080, 0, 65535),
    latencyMs: integerFlag("--latency", flags.latency, 0, 0),
    jitterMs: integerFlag("--jitter", flags.jitter, 0, 0),
    failureRate,
    failureKinds,
    sessionTtlSeconds: integerFlag("--session-ttl", flags.sessionTtl, 3600, 1),
    silentNonSaveRate: rateFlag("--silent-non-save-rate", flags.silentNonSaveRate),
    seedDemo: flags.demo !== false,
    ...(flags.stages === undefined ? {} : { stages: stagesFlag(flags.stages) }),
  };
}

function stagesFlag(value: string): Record<string, string> {
  try {
    return parseStagePlan(value);
  } catch (error) {
    if (error instanceof StageMoveError) throw new UsageError(`--stages: ${error.message}`);
    throw error;
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

function usageLines(url: string, options: EmulatorOptions): string[] {
  const { username, password } = EMULATOR_DEFAULT_CREDENTIALS;
  const faults = `latency ${options.latencyMs} ms (+0..${options.jitterMs}), failure rate ${options.failureRate} (${options.failureKinds?.join(",") || "none"}), session ttl ${options.sessionTtlSeconds} s, silent non-save rate ${options.silentNonSaveRate}`;
  return [
    `智邦 ERP emulator listening on ${url}`,
    `  credentials: ${username} / ${password}`,
    `  data: ${options.seedDemo ? "demo users and 5 demo customers" : "users only (--no-demo)"}`,
    ...(options.stages && Object.keys(options.stages).length > 0
      ? [
          `  planned stages: ${Object.entries(options.stages)
            .map(([khid, stage]) => `${khid}=${stage}`)
            .join(", ")}`,
        ]
      : []),
    `  faults: ${faults}`,
    "",
    "Point wxerp at it (then run: wxerp erp check):",
    `  export WXERP_ERP_BASE_URL=${url}`,
    `  export WXERP_ERP_USERNAME=${username}`,
    `  export WXERP_ERP_PASSWORD=${password}`,
    "",
    "Change faults while it runs:",
    `  curl -X POST ${url}/__emulator/faults -H 'content-type: application/json' -d '{"failureRate":0.2,"failureKinds":["http500","reset"],"failurePhase":"after"}'`,
    `  curl -X POST ${url}/__emulator/faults -H 'content-type: application/json' -d '{"latencyMs":500,"jitterMs":500,"failureRate":0}'`,
    `  curl -X POST ${url}/__emulator/expire-sessions`,
    `  curl -X POST ${url}/__emulator/reset`,
    `  curl ${url}/__emulator/state`,
    "",
    "Move a customer along its 跟进程度 (潜在客户 → 多次接触 → 重点客户 → 已成交), as a salesperson would:",
    `  wxerp erp emulator stage WX000001 重点客户 --url ${url}`,
    `  curl -X POST ${url}/__emulator/stage -H 'content-type: application/json' -d '{"khid":"WX000001","stage":"重点客户"}'`,
    "",
    "After more than 3 wrong passwords a login needs the captcha; clear that and keep the data:",
    `  curl -X POST ${url}/__emulator/unlock`,
    "",
    "Press Ctrl+C to stop.",
  ];
}

/** `wxerp erp emulator`: runs the emulator until SIGINT/SIGTERM, then closes it. */
export async function runEmulatorCommand(flags: unknown, io?: EmulatorCommandIo): Promise<void> {
  const options = emulatorOptionsFromFlags((flags ?? {}) as EmulatorCommandOptions);
  const print = io?.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const emulator = await startEmulator(options).catch((error: NodeJS.ErrnoException) => {
    if (error instanceof StageMoveError) throw new UsageError(`--${error.message}`);
    if (error.code === "EADDRINUSE")
      throw new CliFailure(`port ${options.port} on ${options.host} is in use; pick another with --port`, { cause: error });
    throw error;
  });
  for (const line of usageLines(emulator.url, options)) print(line);
  await (io?.untilStopped() ?? untilSignal());
  await emulator.close();
  print("emulator stopped");
}
