import type { ZbRequest } from "./body-parser.ts";
import { CATEGORIES } from "./catalog.ts";
import { type Reply, v3TokenError, zbSessionError } from "./envelope.ts";
import { faultsFromOptions, parseFaults } from "./faults.ts";
import { buildSnapshot } from "./inspect.ts";
import { LoginGuard } from "./login-guard.ts";
import type { Route, RouteContext } from "./routes/context.ts";
import { headerToken } from "./routes/login.ts";
import { seedDemoData } from "./seed.ts";
import { SessionStore } from "./sessions.ts";
import { customerByRef, moveToStage, type StageMove, StageMoveError } from "./stages.ts";
import { EmulatorState } from "./state.ts";
import {
  DEFAULT_FAULTS,
  EMULATOR_DEFAULT_CREDENTIALS,
  type EmulatorCredentials,
  type EmulatorFaults,
  type EmulatorOptions,
  type EmulatorSnapshot,
} from "./types.ts";

/**
 * The emulator without HTTP: data, sessions, the login guard, the current faults, and the
 * call dispatch (session check, then the route's handler).
 */
export class EmulatorCore {
  readonly state: EmulatorState;
  readonly sessions: SessionStore;
  readonly guard: LoginGuard;
  readonly credentials: EmulatorCredentials;
  readonly random: () => number;
  readonly now: () => number;
  readonly onApplied: EmulatorOptions["onApplied"];
  private readonly seedDemo: boolean;
  private currentFaults: EmulatorFaults;

  constructor(options: EmulatorOptions) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.onApplied = options.onApplied;
    this.credentials = { ...(options.credentials ?? EMULATOR_DEFAULT_CREDENTIALS) };
    this.seedDemo = options.seedDemo ?? true;
    this.currentFaults = {
      ...DEFAULT_FAULTS,
      failureKinds: [...DEFAULT_FAULTS.failureKinds],
      ...faultsFromOptions({ ...options }),
    };
    this.state = new EmulatorState(this.credentials.username);
    for (const [khid, stage] of Object.entries(options.stages ?? {})) {
      if (!CATEGORIES.some((category) => category.stages.some((option) => option.id === stage || option.text === stage)))
        throw new StageMoveError(`stages: no category has the stage "${stage}" (planned for ${khid})`);
      this.state.plannedStages.set(khid.trim().toUpperCase(), stage);
    }
    this.guard = new LoginGuard(this.random);
    const timing = () => ({
      ttlSeconds: this.currentFaults.sessionTtlSeconds,
      expireEverySeconds: this.currentFaults.sessionExpireEverySeconds,
      expireEveryCalls: this.currentFaults.sessionExpireEveryCalls,
    });
    this.sessions = new SessionStore(this.now, timing, this.now(), () => {
      this.state.sessionExpiries += 1;
    });
    this.reset();
  }

  get faults(): EmulatorFaults {
    return this.currentFaults;
  }

  /** Validates and merges; throws EmulatorFaultsError naming the bad field. */
  setFaults(partial: unknown): void {
    this.currentFaults = { ...this.currentFaults, ...parseFaults(partial) };
  }

  /** Back to the seed: data, counters and login failures. Sessions and faults stay. */
  reset(): void {
    this.state.clear();
    this.guard.clear();
    if (this.seedDemo) seedDemoData(this.state, this.now());
    for (const [khid, stage] of this.state.plannedStages) {
      const customer = this.state.customerByKhid(khid);
      if (customer) moveToStage(customer, stage, this.now());
    }
  }

  /** Moves a customer (khid or ord) to a stage of its category; throws StageMoveError saying why not. */
  moveStage(ref: string, stage: string): StageMove {
    const customer = customerByRef(this.state, ref);
    if (!customer) throw new StageMoveError(`no customer with khid or ord "${ref}"`);
    const move = moveToStage(customer, stage, this.now());
    this.state.inspectionChanges += 1;
    return move;
  }

  snapshot(): EmulatorSnapshot {
    return buildSnapshot(this.state, this.guard.captchas(), this.currentFaults);
  }

  /** Runs one call: the session check of its family, then its handler. */
  run(route: Route, request: ZbRequest): Reply {
    const context: RouteContext = {
      request,
      state: this.state,
      sessions: this.sessions,
      guard: this.guard,
      faults: this.currentFaults,
      credentials: this.credentials,
      now: this.now(),
      random: this.random,
    };
    if (route.auth === "none") return route.handle(context);
    const token = route.auth === "v3" ? headerToken(context) : request.session;
    const check = this.sessions.check(token);
    if (!check.ok) return route.auth === "v3" ? v3TokenError() : zbSessionError(check.message);
    return route.handle({ ...context, session: check.session });
  }
}
