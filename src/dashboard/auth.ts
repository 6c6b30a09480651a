import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * Dashboard access: `Authorization: Bearer <token>` (scripts, Prometheus) or, for a
 * browser, the printed URL `/?token=…` which sets an HttpOnly, SameSite=Strict cookie.
 */
export const COOKIE_NAME = "wxerp_dashboard";

export function newDashboardToken(): string {
  return randomBytes(18).toString("base64url");
}

export function presentedToken(request: IncomingMessage, url: URL): { token?: string; fromQuery: boolean } {
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) return { token: header.slice(7).trim(), fromQuery: false };
  const query = url.searchParams.get("token");
  if (query) return { token: query, fromQuery: true };
  const cookie = request.headers.cookie
    ?.split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${COOKIE_NAME}=`));
  if (cookie) {
    const token = decodeComponent(cookie.slice(COOKIE_NAME.length + 1));
    return token === undefined ? { fromQuery: false } : { token, fromQuery: false };
  }
  return { fromQuery: false };
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

export function sessionCookie(token: string): string {
  return `${COOKIE_NAME}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
