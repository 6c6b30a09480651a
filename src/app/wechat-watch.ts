import { hostname } from "node:os";
import type { Registry } from "prom-client";
import type { SessionEvent, WechatyRuntime } from "../bot/runtime.ts";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { WebhookAlerter } from "../monitoring/webhook-alert.ts";
import { WechatHealth, type WechatVerdict } from "../monitoring/wechat-health.ts";

export interface WechatWatch {
  readonly health: WechatHealth;
  /** Checks the verdict now (the timer does it every few seconds); resolves when any alert is sent. */
  check(): Promise<void>;
  start(): void;
  stop(): void;
}

/**
 * Watches the WeChat session for what nobody would otherwise notice: a logout or kick-out
 * alerts at once, and a WeChat that stays logged out, unreachable or silent past the grace
 * period alerts once, then once more when it recovers. Alerts go to WXERP_ALERT_WEBHOOK_URL:
 * the control chat is WeChat itself, the thing that is down.
 */
export function watchWechat(
  runtime: WechatyRuntime,
  options: { config: AppConfig; registry: Registry; logger: Logger; alerter?: WebhookAlerter; account?: string },
): WechatWatch {
  const { config, logger } = options;
  const alerter = options.alerter ?? new WebhookAlerter({ url: config.secrets.alertWebhookUrl, logger });
  const health = new WechatHealth(
    { status: () => runtime.status(), gateway: () => runtime.gateway?.status() },
    options.registry,
    { graceSeconds: config.wechat.healthGraceSeconds, expectHeartbeats: runtime.puppetKind === "service" },
  );
  // With several accounts the alert names the one that is down.
  const text = alertTexts(config.locale, `wxerp@${hostname()}${options.account ? ` (${options.account})` : ""}`);
  let alerted = false;
  let timer: NodeJS.Timeout | undefined;
  const alert = async (message: string) => {
    logger.warn({ alert: message, webhook: alerter.configured }, "WeChat alert");
    await alerter.send(message);
  };

  runtime.onSession(async (event) => {
    health.noteSession(event);
    if (event.kind !== "logout" || event.expected) return;
    alerted = true;
    await alert(text.loggedOut(event));
  });
  runtime.gateway?.onEvent((event) => health.noteLink(event));

  const check = async () => {
    const verdict = health.verdict();
    if (!verdict.ok && !alerted) {
      alerted = true;
      await alert(text.down(verdict));
    } else if (verdict.ok && alerted && runtime.isLoggedIn()) {
      alerted = false;
      await alert(text.recovered());
    }
  };
  return {
    health,
    check,
    start() {
      const everyMs = Math.min(15, Math.max(1, Math.floor(config.wechat.healthGraceSeconds / 4))) * 1000;
      timer = setInterval(() => void check().catch((error) => logger.warn({ err: error }, "WeChat check failed")), everyMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}

function alertTexts(locale: "zh" | "en", who: string) {
  const en = locale === "en";
  return {
    loggedOut: (event: SessionEvent) =>
      en
        ? `${who}: WeChat logged out${event.reason ? ` (${event.reason})` : ""}. The bot hears nothing until the salesperson scans the new login QR code (console or dashboard /wechat).`
        : `${who}：微信已退出登录${event.reason ? `（${event.reason}）` : ""}。在销售重新扫码登录之前机器人收不到任何消息（二维码见终端或控制台 /wechat 页面）。`,
    down: (verdict: WechatVerdict) =>
      en
        ? `${who}: WeChat is down since ${verdict.since}: ${verdict.reason}.`
        : `${who}：微信不可用（自 ${verdict.since}）：${verdict.reason}。`,
    recovered: () => (en ? `${who}: WeChat is back: logged in and connected.` : `${who}：微信已恢复：已登录，连接正常。`),
  };
}
