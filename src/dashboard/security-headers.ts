import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { PAGE_STYLE } from "./pages/layout.ts";

/**
 * Headers on every dashboard response. The pages are server-rendered and run no script: the
 * policy allows none at all, and of inline styles only the layout's own style sheet (by its
 * hash), so markup that slipped past the escaping could neither run code nor restyle the
 * page. No framing (clickjacking of the retry buttons), no MIME sniffing, and no Referer to
 * other sites (the login URL carries the token until it is traded for a cookie).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src '${styleHash(PAGE_STYLE)}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  // Not no-referrer: with it, browsers send "Origin: null" on our own form posts, which the cross-site check refuses.
  "referrer-policy": "same-origin",
};

export function setSecurityHeaders(response: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
}

/** The CSP source for one inline `<style>` element: the SHA-256 of its exact text. */
export function styleHash(css: string): string {
  return `sha256-${createHash("sha256").update(css, "utf8").digest("base64")}`;
}
