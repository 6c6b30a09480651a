import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ConfigError } from "../config/errors.ts";

/**
 * Dashboard access: `Authorization: Bearer <token>` (scripts, Prometheus) or, for a
 * browser, the printed URL `/?token=…`, which opens a session (see sessions.ts) and sets its
 * id in an HttpOnly, SameSite=Strict cookie with an expiry.
 */
export const COOKIE_NAME = "wxerp_dashboard";

/** 24 characters of base64url carry 144 random bits: more than anyone can guess over HTTP. */
export const MIN_TOKEN_LENGTH = 24;

export function newDashboardToken(): string {
  return randomBytes(18).toString("base64url");
}

/** Refuses a token short enough to guess (exit 2, naming the variable to fix). */
export function checkDashboardToken(token: string): void {
  if (token.length >= MIN_TOKEN_LENGTH) return;
  throw new ConfigError(
    `WXERP_DASHBOARD_TOKEN is ${token.length} characters long: use at least ${MIN_TOKEN_LENGTH} random characters (e.g. openssl rand -base64 24), or unset it for a new random token each run`,
  );
}

/** What a request offers as proof: the token (header or the printed URL) or a session cookie. */
export type Credentials = { kind: "bearer" | "query"; token: string } | { kind: "cookie"; session: string } | { kind: "none" };

export function presentedCredentials(request: IncomingMessage, url: URL): Credentials {
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) return { kind: "bearer", token: header.slice(7).trim() };
  const query = url.searchParams.get("token");
  if (query) return { kind: "query", token: query };
  const session = sessionIdOf(request);
  return session === undefined ? { kind: "none" } : { kind: "cookie", session };
}

/** The session id in the request's cookie, if any (a malformed one counts as none). */
export function sessionIdOf(request: IncomingMessage): string | undefined {
  const cookie = request.headers.cookie
    ?.split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${COOKIE_NAME}=`));
  return cookie === undefined ? undefined : decodeComponent(cookie.slice(COOKIE_NAME.length + 1));
}

/** `decodeURIComponent`, but a malformed `%` escape (anyone can send one) gives undefined instead of throwing. */
export function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `Secure` keeps the cookie off plain HTTP. Behind an HTTPS reverse proxy the dashboard
 * itself speaks HTTP, so it learns about HTTPS from the proxy's `X-Forwarded-Proto`, or from
 * `dashboard.secureCookies: true`. The header can only add `Secure`, never remove it, so a
 * client that sends it falsely only keeps its own browser from storing the cookie.
 */
export function secureCookieFor(request: IncomingMessage, setting: boolean | "auto"): boolean {
  if (setting !== "auto") return setting;
  const proto = request.headers["x-forwarded-proto"];
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(",")[0]?.trim().toLowerCase();
  return first === "https";
}

export function sessionCookie(session: string, maxAgeSeconds: number, secure: boolean): string {
  return `${COOKIE_NAME}=${encodeURIComponent(session)}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict; Path=/${secure ? "; Secure" : ""}`;
}

/** Tells the browser to forget the session cookie (logout). */
export function clearedCookie(secure: boolean): string {
  return `${COOKIE_NAME}=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/${secure ? "; Secure" : ""}`;
}
