import type { ZbRequest } from "../body-parser.ts";
import type { Reply } from "../envelope.ts";
import type { LoginGuard } from "../login-guard.ts";
import type { SessionRecord, SessionStore } from "../sessions.ts";
import type { EmulatorState } from "../state.ts";
import type { CallCategory, EmulatorCredentials, EmulatorFaults } from "../types.ts";

/** What a route handler may touch for one call. */
export interface RouteContext {
  request: ZbRequest;
  state: EmulatorState;
  sessions: SessionStore;
  guard: LoginGuard;
  faults: EmulatorFaults;
  credentials: EmulatorCredentials;
  /** Epoch ms of this call. */
  now: number;
  random: () => number;
}

/** A call that passed the session check. */
export interface AuthedContext extends RouteContext {
  session: SessionRecord;
}

/**
 * "zsml": session in the body (docs/zhibang-protocol.md §4.2); "v3": ZBAPI-Token header; "none": the handler decides
 * (login, logout, the captcha image).
 */
export type Route =
  | { category: CallCategory | null; auth: "none"; handle(context: RouteContext): Reply }
  | { category: CallCategory; auth: "zsml" | "v3"; handle(context: AuthedContext): Reply };
