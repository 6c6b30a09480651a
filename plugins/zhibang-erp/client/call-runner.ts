import pRetry, { AbortError } from "p-retry";
import type { Logger } from "../../../src/plugin-api.ts";
import { type CallGate, openGate } from "./call-gate.ts";
import { type CallSpec, pathWithQuery, toDatas } from "./call-spec.ts";
import { type ErpReply, parseErpReply } from "./envelope.ts";
import { ErpError, ErpSessionError, requestMayHaveReachedErp } from "./errors.ts";
import { shortFailureReason } from "./explain-error.ts";
import type { ErpHttp } from "./http.ts";
import { assertReplyOk } from "./reply-status.ts";
import { summariseFailure, summariseReply } from "./reply-summary.ts";
import type { SessionKeeper } from "./session.ts";
import type { StatsCounter } from "./stats.ts";
import type { ErpCallEvent, ErpRetryProgress } from "./types.ts";

export interface RunnerSettings {
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export interface RunnerDeps {
  http: ErpHttp;
  settings: RunnerSettings;
  stats: StatsCounter;
  logger: Logger | undefined;
  onCall: ((event: ErpCallEvent) => void) | undefined;
  onRetry?: ((progress: ErpRetryProgress) => void) | undefined;
}

/** Per logical call. */
interface CallState {
  /** HTTP attempts made so far. */
  attempts: number;
  /** Some attempt may have reached the ERP (so a write may have been applied). */
  reached: boolean;
}

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", Accept: "application/json, text/plain, */*" };

/**
 * The one place that sends an ERP call: builds the
 * request, parses the envelope, detects an expired session and logs in again once, retries
 * with capped jittered exponential backoff where repeating is safe, and reports every
 * HTTP attempt to `onCall`.
 */
export class CallRunner {
  private session: SessionKeeper | undefined;
  private gate: CallGate = openGate;

  constructor(private readonly deps: RunnerDeps) {}

  /** Every HTTP request waits at this gate from now on (the global ERP concurrency and rate limit). */
  limitCalls(gate: CallGate): void {
    this.gate = gate;
  }

  /** The session is created after the runner, because login itself runs through the runner. */
  attachSession(session: SessionKeeper): void {
    this.session = session;
  }

  async run<T>(spec: CallSpec<T>): Promise<T> {
    const { retries, retryBaseMs, retryMaxMs } = this.deps.settings;
    const state: CallState = { attempts: 0, reached: false };
    try {
      return await pRetry(() => this.attempt(spec, state), {
        retries,
        factor: 2,
        minTimeout: retryBaseMs,
        maxTimeout: retryMaxMs,
        randomize: true,
        shouldRetry: ({ error }) => shouldRetry(spec, error),
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft > 0 && shouldRetry(spec, error)) this.reportRetry(spec, error, attemptNumber + 1);
          else this.deps.logger?.debug({ operation: spec.operation, attempts: state.attempts, err: error }, "ERP call failed");
        },
      });
    } catch (error) {
      // A failed login before the request went out leaves `reached` false: nothing was written.
      if (error instanceof ErpError && spec.write && state.reached) error.maybeApplied = true;
      throw error;
    }
  }

  /** One try; on a session-expired reply: one re-login (shared with concurrent calls) and one resend. */
  private async attempt<T>(spec: CallSpec<T>, state: CallState): Promise<T> {
    if (spec.auth === false) return this.sendOnce(spec, spec.session, state);
    const token = await this.withSession((s) => s.current());
    try {
      return await this.sendOnce(spec, token, state);
    } catch (error) {
      if (!(error instanceof ErpSessionError)) throw error;
      this.deps.logger?.info({ operation: spec.operation }, "ERP session expired; logging in again");
      const fresh = await this.withSession((s) => s.renew(token));
      return await this.sendOnce(spec, fresh, state);
    }
  }

  /** Login failures were already retried by the login call itself: stop this call's retries. */
  private async withSession(use: (session: SessionKeeper) => Promise<string>): Promise<string> {
    if (!this.session) throw new Error("CallRunner: no session attached");
    try {
      return await use(this.session);
    } catch (error) {
      throw new AbortError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private async sendOnce<T>(spec: CallSpec<T>, token: string | undefined, state: CallState): Promise<T> {
    state.attempts++;
    if (state.attempts > 1) this.deps.stats.retry(spec.operation);
    const path = pathWithQuery(spec.path, spec.query);
    const request = requestBody(spec, token);
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (spec.family === "v3" && token !== undefined) headers["ZBAPI-Token"] = token;
    const event = { operation: spec.operation, path, request, attempt: state.attempts, at: new Date().toISOString() };
    const started = performance.now();
    let httpStatus: number | undefined;
    let reply: ErpReply | undefined;
    try {
      const http = await this.gate(
        () =>
          this.deps.http.post({
            operation: spec.operation,
            url: path,
            body: JSON.stringify(request),
            headers,
            timeoutMs: this.deps.settings.timeoutMs,
            freshConnection: !spec.repeatable,
          }),
        { operation: spec.operation, write: spec.write },
      );
      httpStatus = http.httpStatus;
      reply = parseErpReply(http.text, { operation: spec.operation, httpStatus });
      if (!spec.rawStatus) assertReplyOk(reply, spec.operation);
      const result = spec.interpret(reply);
      this.report(
        { ...event, response: summariseReply(reply), outcome: "ok", durationMs: performance.now() - started },
        httpStatus,
      );
      return result;
    } catch (error) {
      if (requestMayHaveReachedErp(error)) state.reached = true;
      const response = reply ? summariseReply(reply) : summariseFailure(error);
      const failure = {
        errorName: error instanceof Error ? error.name : "Error",
        errorMessage: error instanceof Error ? error.message : String(error),
      };
      this.report({ ...event, ...failure, response, outcome: "error", durationMs: performance.now() - started }, httpStatus);
      throw error;
    }
  }

  /** A retry is coming: one JSON log line for tools, and the progress callback for a person. */
  private reportRetry(spec: CallSpec<unknown>, error: unknown, attempt: number): void {
    const progress: ErpRetryProgress = {
      operation: spec.operation,
      attempt,
      attempts: this.deps.settings.retries + 1,
      reason: shortFailureReason(error),
    };
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.deps.logger?.info({ ...progress, error: detail }, "ERP call failed; retrying");
    try {
      this.deps.onRetry?.(progress);
    } catch (observerError) {
      this.deps.logger?.warn({ err: observerError }, "onRetry observer threw");
    }
  }

  private report(event: ErpCallEvent, httpStatus: number | undefined): void {
    if (httpStatus !== undefined) event.httpStatus = httpStatus;
    event.durationMs = Math.round(event.durationMs * 10) / 10;
    this.deps.stats.call(event.operation, event.outcome === "error");
    try {
      this.deps.onCall?.(event);
    } catch (error) {
      // An observer must never break an ERP call.
      this.deps.logger?.warn({ err: error }, "onCall observer threw");
    }
  }
}

/**
 * The PostClass (docs/zhibang-protocol.md §2.2) for zsml calls; the plain object for v3 (its token goes in a
 * header, docs/zhibang-protocol.md §4.2).
 */
function requestBody<T>(spec: CallSpec<T>, token: string | undefined): Record<string, unknown> {
  if (spec.family === "v3") return spec.body;
  const body: Record<string, unknown> = { session: token ?? "" };
  if (spec.cmdkey !== undefined) body.cmdkey = spec.cmdkey;
  body.datas = toDatas(spec.datas);
  return body;
}

function shouldRetry(spec: CallSpec<unknown>, error: unknown): boolean {
  if (!(error instanceof ErpError) || !error.retryable) return false;
  // One re-login per call: a session that expires again right after it is reported, not looped.
  if (error instanceof ErpSessionError) return false;
  if (spec.retryWhen && !spec.retryWhen(error)) return false;
  return spec.repeatable || !requestMayHaveReachedErp(error);
}
