import { erpOf } from "../../test/support/erp-of.ts";
import { totalCalls } from "./call-tally.ts";
import { firstVisit, lead } from "./conversations.ts";
import type { RemoteEmulatorOptions } from "./emulator-process.ts";
import { round } from "./numbers.ts";
import { sleep, startBenchApp } from "./pipeline.ts";

/**
 * Figure 2: ERP logins under a steady trickle (one customer synced every `intervalMs`
 * through the pipeline), with a session that outlives the run, with the ERP expiring every
 * session periodically, and with an idle timeout shorter than the gap between customers.
 * The three run side by side (each its own app and emulator process): they wait on timers,
 * not on the CPU.
 */

export interface LoginScenario {
  name: string;
  description: string;
  emulator: RemoteEmulatorOptions;
  /** Logins expected per hour in steady state, from the ERP's own rule (the peer). */
  expectedReloginsPerHour: (intervalMs: number) => number;
}

export interface LoginFigure {
  scenario: string;
  description: string;
  seconds: number;
  customers: number;
  /** Login calls the ERP answered (first login included). */
  logins: number;
  relogins: number;
  sessionExpiries: number;
  reloginsPerHour: number;
  expectedReloginsPerHour: number;
  callsPerCustomer: number;
}

export function loginScenarios(expirePeriodSeconds: number): LoginScenario[] {
  return [
    {
      name: "session outlives the run",
      description: "sessionTtlSeconds 3600 (sliding), no forced expiry",
      emulator: { sessionTtlSeconds: 3600 },
      expectedReloginsPerHour: () => 0,
    },
    {
      name: `ERP expires sessions every ${expirePeriodSeconds} s`,
      description: `sessionExpireEverySeconds ${expirePeriodSeconds}`,
      emulator: { sessionExpireEverySeconds: expirePeriodSeconds },
      expectedReloginsPerHour: () => 3600 / expirePeriodSeconds,
    },
    {
      name: "idle timeout shorter than the gap",
      description: "sessionTtlSeconds 0.5 (sliding) with a customer every interval",
      emulator: { sessionTtlSeconds: 0.5 },
      expectedReloginsPerHour: (intervalMs) => 3_600_000 / intervalMs,
    },
  ];
}

export async function measureLogins(options: {
  seconds: number;
  intervalMs: number;
  expirePeriodSeconds: number;
}): Promise<LoginFigure[]> {
  const scenarios = loginScenarios(options.expirePeriodSeconds);
  return Promise.all(scenarios.map((scenario, i) => trickle(scenario, options.seconds, options.intervalMs, i * 10_000)));
}

async function trickle(scenario: LoginScenario, seconds: number, intervalMs: number, firstLead: number): Promise<LoginFigure> {
  const bench = await startBenchApp({ mode: "replay", latencyMs: 20, emulator: scenario.emulator });
  try {
    const customers = Math.max(1, Math.floor((seconds * 1000) / intervalMs));
    const started = Date.now();
    for (let i = 0; i < customers; i++) {
      await sleep(Math.max(0, started + i * intervalMs - Date.now()));
      const conversation = firstVisit(lead(firstLead + i));
      await bench.deliver(conversation);
      const thread = await bench.app.store.getThread(conversation.contact.id);
      await bench.app.scheduler.scoreNow(conversation.contact.id, thread!.lastMessageAt);
      await bench.app.sync.drain();
    }
    const elapsed = (Date.now() - started) / 1000;
    const state = await bench.erp.state();
    if (state.customers !== customers) throw new Error(`bench: ${state.customers} of ${customers} customers in the ERP`);
    const stats = erpOf(bench.app).client.stats();
    return {
      scenario: scenario.name,
      description: scenario.description,
      seconds: round(elapsed, 1),
      customers,
      logins: state.tally.login ?? 0,
      relogins: stats.relogins,
      sessionExpiries: state.sessionExpiries,
      reloginsPerHour: Math.round((stats.relogins / elapsed) * 3600),
      expectedReloginsPerHour: Math.round(scenario.expectedReloginsPerHour(intervalMs)),
      callsPerCustomer: round(totalCalls(state.tally) / customers, 2),
    };
  } finally {
    await bench.close();
  }
}
