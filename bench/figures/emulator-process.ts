/**
 * The ERP emulator in its own process, as a real ERP would be on its own machine: its CPU
 * is not taken from the product's event loop, which the throughput and latency figures
 * measure. The parent talks to it over IPC: the URL, the call tally, follow-up records.
 *
 *   const erp = await startEmulatorProcess({ latencyMs: 20 });
 *   ... erp.url ...; const state = await erp.state(); await erp.close();
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { EmulatorOptions, FollowupRecord } from "../../plugins/zhibang-erp/emulator/index.ts";
import type { CallCounts } from "./call-tally.ts";

/** Options that cross the process boundary (no functions). */
export type RemoteEmulatorOptions = Omit<EmulatorOptions, "onApplied" | "random" | "now" | "stateFile">;

export interface RemoteEmulatorState {
  /** Calls handled, by operation; list calls split by filter (call-tally.ts). */
  tally: CallCounts;
  customers: number;
  followups: FollowupRecord[];
  sessionExpiries: number;
  /** The most API requests the emulator was answering at one moment. */
  peakConcurrentCalls: number;
  /** Wall-clock ms (Date.now scale, comparable across processes) of the first and the last call handled. */
  firstCallAt?: number;
  lastCallAt?: number;
  /** Every customer's khid and mobile, when asked (duplicate and loss checks). */
  customerMobiles: Array<{ khid: string; mobile: string }>;
}

export interface EmulatorProcess {
  url: string;
  state(options?: { followups?: boolean; customerMobiles?: boolean }): Promise<RemoteEmulatorState>;
  close(): Promise<void>;
}

type Reply = { type: "ready"; url: string } | { type: "state"; id: number; state: RemoteEmulatorState };

export async function startEmulatorProcess(options: RemoteEmulatorOptions): Promise<EmulatorProcess> {
  const child = fork(fileURLToPath(import.meta.url), ["--child"], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  const pending = new Map<number, (state: RemoteEmulatorState) => void>();
  let nextId = 1;
  const ready = new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the emulator process exited with ${code}`)));
    child.on("message", (message: Reply) => {
      if (message.type === "ready") resolve(message.url);
      else pending.get(message.id)?.(message.state);
    });
  });
  child.send({ type: "start", options });
  const url = await ready;
  return {
    url,
    state({ followups = false, customerMobiles = false } = {}) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        child.send({ type: "state", id, followups, customerMobiles });
      });
    },
    close: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.send({ type: "stop" });
  });
}

async function runChild(): Promise<void> {
  const { startEmulator } = await import("../../plugins/zhibang-erp/emulator/index.ts");
  const { CallTally } = await import("./call-tally.ts");
  const tally = new CallTally();
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  let firstCallAt: number | undefined;
  let lastCallAt: number | undefined;
  const onApplied = (call: Parameters<typeof tally.record>[0]) => {
    tally.record(call);
    lastCallAt = performance.timeOrigin + performance.now();
    firstCallAt ??= lastCallAt;
  };
  type Message = { type: string; id?: number; followups?: boolean; customerMobiles?: boolean; options?: RemoteEmulatorOptions };
  process.on("message", async (message: Message) => {
    if (message.type === "start") {
      emulator = await startEmulator({ ...message.options, onApplied });
      process.send!({ type: "ready", url: emulator.url });
    } else if (message.type === "state" && emulator) {
      const snapshot = emulator.snapshot();
      const state: RemoteEmulatorState = {
        tally: tally.snapshot(),
        customers: snapshot.customers.length,
        followups: message.followups ? snapshot.followups : [],
        sessionExpiries: snapshot.sessionExpiries,
        peakConcurrentCalls: snapshot.peakConcurrentCalls,
        ...(firstCallAt === undefined || lastCallAt === undefined ? {} : { firstCallAt, lastCallAt }),
        customerMobiles: message.customerMobiles ? snapshot.customers.map((c) => ({ khid: c.khid, mobile: c.mobile })) : [],
      };
      process.send!({ type: "state", id: message.id, state });
    } else if (message.type === "stop") {
      await emulator?.close();
      process.disconnect();
      process.exit(0);
    }
  });
}

if (process.argv.includes("--child") && import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runChild();
