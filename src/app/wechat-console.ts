import type { LinkEvent } from "../bot/gateway-link.ts";
import { qrForTerminal } from "../bot/login-qr.ts";
import type { SessionEvent, WechatyRuntime } from "../bot/runtime.ts";

/**
 * What a person watching `wxerp start` needs to see of WeChat, one line each: the gateway
 * unreachable (once, with its endpoint; the retries go to the log), reconnections, the login
 * QR code as a scannable block, login and logout. Printed as is: the QR code must not pass
 * through log masking.
 */
export function wechatConsole(runtime: WechatyRuntime, locale: "zh" | "en", write: (text: string) => void): void {
  const en = locale === "en";
  const say = (zh: string, english: string) => write(`${en ? english : zh}\n`);
  let unreachableShown = false;
  let lastQr: string | undefined;

  runtime.gateway?.onEvent((event: LinkEvent) => {
    if (event.kind === "retrying" && !unreachableShown) {
      unreachableShown = true;
      say(
        `⚠️ 无法连接微信网关 ${event.endpoint}（${event.reason}），正在按退避重试（1 秒起，最长每分钟一次）；连上之前机器人收不到消息。`,
        `⚠️ Cannot reach the WeChat gateway at ${event.endpoint} (${event.reason}); retrying with back-off (from 1 s up to once a minute). The bot hears nothing until it connects.`,
      );
    } else if (event.kind === "lost") {
      say(
        `⚠️ 与微信网关 ${event.endpoint} 的连接中断（${event.reason}），正在重连…`,
        `⚠️ Lost the WeChat gateway ${event.endpoint} (${event.reason}); reconnecting…`,
      );
    } else if (event.kind === "connected" && (unreachableShown || event.gapMs !== undefined)) {
      unreachableShown = false;
      say(`✅ 已连接微信网关 ${event.endpoint}`, `✅ Connected to the WeChat gateway at ${event.endpoint}`);
    }
  });

  runtime.onSession(async (event: SessionEvent) => {
    if (event.kind === "scan" && event.qrcode && event.qrcode !== lastQr) {
      lastQr = event.qrcode;
      const block = await qrForTerminal(event.qrcode);
      say(
        `请用销售的微信扫码登录（也可打开控制台 /wechat 页面扫码）：\n${block}${event.qrcode}`,
        `Scan with the salesperson's WeChat to log in (also on the dashboard's /wechat page):\n${block}${event.qrcode}`,
      );
    } else if (event.kind === "login") {
      lastQr = undefined;
      say(`✅ 微信已登录：${event.selfId}`, `✅ WeChat logged in: ${event.selfId}`);
    } else if (event.kind === "logout" && !event.expected) {
      say(
        `🚨 微信已退出登录${event.reason ? `（${event.reason}）` : ""}：机器人收不到消息，请重新扫码登录。`,
        `🚨 WeChat logged out${event.reason ? ` (${event.reason})` : ""}: the bot hears nothing until the salesperson logs in again.`,
      );
    }
  });
}
