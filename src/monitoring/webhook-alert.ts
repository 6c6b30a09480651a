import pRetry, { AbortError } from "p-retry";
import type { Logger } from "../logging/logger.ts";

/**
 * Alerts that must not depend on WeChat (it is what went down) go to a group robot's
 * webhook, WXERP_ALERT_WEBHOOK_URL: a WeCom (企业微信) or DingTalk (钉钉) robot takes
 * `{"msgtype":"text","text":{"content":…}}`, a Feishu/Lark (飞书) robot
 * `{"msg_type":"text","content":{"text":…}}`; the URL's host or path decides which. A robot with a
 * keyword check needs the keyword "wxerp": every alert starts with it.
 */
export type WebhookFormat = "wecom-dingtalk" | "feishu";

export function webhookFormat(url: string): WebhookFormat {
  const { hostname, pathname } = new URL(url);
  // Feishu/Lark robots live at /open-apis/bot/v2/hook/<id>, also behind a company proxy.
  const feishu = /(^|\.)(feishu\.cn|larksuite\.com|larkoffice\.com)$/.test(hostname) || pathname.startsWith("/open-apis/bot/");
  return feishu ? "feishu" : "wecom-dingtalk";
}

export function webhookBody(url: string, text: string): Record<string, unknown> {
  return webhookFormat(url) === "feishu" ? { msg_type: "text", content: { text } } : { msgtype: "text", text: { content: text } };
}

export interface WebhookAlerterOptions {
  url: string | undefined;
  logger: Logger;
  timeoutMs?: number;
  /** Attempts after the first, with back-off (a robot rate-limits at 20 messages a minute). */
  retries?: number;
  retryBaseMs?: number;
}

/** "Too many messages" answers: WeCom 45009, DingTalk 130101, Feishu 11232. */
const RATE_LIMIT_CODES = new Set([45009, 130101, 11232]);

export class WebhookAlerter {
  constructor(private readonly options: WebhookAlerterOptions) {}

  get configured(): boolean {
    return this.options.url !== undefined;
  }

  /** Posts `text` (prefixed "wxerp"); true once the robot accepted it. Never throws. */
  async send(text: string): Promise<boolean> {
    const { url, logger } = this.options;
    if (!url) return false;
    const host = safeHost(url);
    try {
      await pRetry(() => this.postOnce(url, text.startsWith("wxerp") ? text : `wxerp ${text}`), {
        retries: this.options.retries ?? 3,
        minTimeout: this.options.retryBaseMs ?? 1000,
      });
      logger.info({ host }, "alert sent to the webhook");
      return true;
    } catch (error) {
      // The URL carries the robot's key: only its host is logged.
      logger.error({ host, err: error }, "could not send the alert to WXERP_ALERT_WEBHOOK_URL");
      return false;
    }
  }

  private async postOnce(url: string, text: string): Promise<void> {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(webhookBody(url, text)),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const reply = (await response.json().catch(() => ({}))) as { errcode?: number; code?: number; errmsg?: string; msg?: string };
    const code = reply.errcode ?? reply.code ?? 0;
    if (response.ok && code === 0) return;
    const problem = `HTTP ${response.status}, code ${code}: ${reply.errmsg ?? reply.msg ?? ""}`;
    // A busy robot or server may take it later; a wrong key or a keyword mismatch will not.
    const busy = response.status === 429 || response.status >= 500 || RATE_LIMIT_CODES.has(code);
    throw busy ? new Error(problem) : new AbortError(problem);
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(not a URL)";
  }
}
