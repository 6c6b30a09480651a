import { z } from "zod";
import { type CallCategory, type EmulatorFaults, FAILURE_KINDS, type FailureKind } from "./types.ts";

export class EmulatorFaultsError extends Error {
  override readonly name = "EmulatorFaultsError";
}

const rate = z.number().min(0).max(1);
const milliseconds = z.number().int().min(0);

const faultsSchema = z
  .strictObject({
    latencyMs: milliseconds,
    jitterMs: milliseconds,
    failureRate: rate,
    failureKinds: z.array(z.enum(FAILURE_KINDS)),
    failurePhase: z.enum(["before", "after", "random"]),
    hangMs: milliseconds,
    silentNonSaveRate: rate,
    sessionTtlSeconds: z.number().positive(),
    sessionExpireEverySeconds: z.number().min(0),
    sessionExpireEveryCalls: z.number().int().min(0),
    statusAsString: z.boolean(),
    controlChars: z.boolean(),
    rowsAsObjects: z.boolean(),
    successText: z.string().min(1),
    applyFailuresToLogin: z.boolean(),
    followupList: z.boolean(),
    khidUnique: z.boolean(),
  })
  .partial();

/** Validates a partial fault setting (the /__emulator/faults body, setFaults, the options). */
export function parseFaults(input: unknown): Partial<EmulatorFaults> {
  const parsed = faultsSchema.safeParse(input);
  if (parsed.success) return parsed.data as Partial<EmulatorFaults>;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`);
  throw new EmulatorFaultsError(`invalid emulator faults: ${problems.join("; ")}`);
}

/** Picks the fault keys out of EmulatorOptions (which also carry host, port, ...). */
export function faultsFromOptions(options: Record<string, unknown>): Partial<EmulatorFaults> {
  const keys = Object.keys(faultsSchema.shape);
  return parseFaults(
    Object.fromEntries(Object.entries(options).filter(([key, value]) => keys.includes(key) && value !== undefined)),
  );
}

export interface FaultPlan {
  kind: FailureKind;
  /** "after": apply the operation, then break the reply (a lost response). */
  phase: "before" | "after";
}

/** Decides whether this call fails and how. */
export function planFault(faults: EmulatorFaults, category: CallCategory, random: () => number): FaultPlan | undefined {
  if (faults.failureRate <= 0 || faults.failureKinds.length === 0) return undefined;
  if (category === "login" && !faults.applyFailuresToLogin) return undefined;
  if (random() >= faults.failureRate) return undefined;
  const kind = faults.failureKinds[Math.floor(random() * faults.failureKinds.length)] ?? faults.failureKinds[0]!;
  const phase = faults.failurePhase === "random" ? (random() < 0.5 ? "before" : "after") : faults.failurePhase;
  return { kind, phase };
}

export function latencyFor(faults: EmulatorFaults, random: () => number): number {
  return faults.latencyMs + (faults.jitterMs > 0 ? Math.floor(random() * (faults.jitterMs + 1)) : 0);
}
