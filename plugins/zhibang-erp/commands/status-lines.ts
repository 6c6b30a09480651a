import type { Contact, MobileSource, Thread } from "../../../src/plugin-api.ts";
import { maskMobile, mobileMismatches } from "../../../src/plugin-api.ts";
import { t } from "./command-deps.ts";

type Locale = "zh" | "en";

const SOURCES: Record<MobileSource, [string, string]> = {
  staff: ["员工确认", "confirmed by staff"],
  remark: ["备注中的号码", "from the contact's remark"],
  wechat: ["备注中的号码", "from the contact's remark"],
  customer: ["客户发送", "typed by the customer"],
  sales: ["销售发送，未确认", "typed by the salesperson, unconfirmed"],
  llm: ["模型推断，未确认", "the model's guess, unconfirmed"],
};

/**
 * The thread's mobile, where it came from, and any number that disagrees with it (the
 * contact's remark, what the customer typed): a person settles it with `/erp verify`.
 */
export function mobileLines(l: Locale, thread: Thread, contact: Contact | undefined, own: ReadonlySet<string>): string[] {
  const mobile = thread.extracted.mobile;
  const head = t(l, "手机", "Mobile");
  if (!mobile) return [`${head}：–`];
  const [zh, en] = SOURCES[mobile.source];
  const lines = [`${head}：${maskMobile(mobile.value)}（${t(l, zh, en)}）`];
  for (const other of mobileMismatches(thread, contact?.wechatPhone, own)) {
    const what =
      other.source === "remark"
        ? t(l, "备注中的号码", "the remark's number")
        : t(l, "客户发过的号码", "a number the customer typed");
    lines.push(
      t(
        l,
        `⚠ ${what} ${maskMobile(other.value)} 与之不一致；请用 /erp verify <手机号> 确认`,
        `⚠ ${what} ${maskMobile(other.value)} differs; confirm one with /erp verify <mobile>`,
      ),
    );
  }
  return lines;
}

const SCENES: Record<number, [string, string]> = {
  1: ["QQ", "QQ"],
  2: ["邮箱", "email"],
  3: ["搜索微信号", "WeChat ID search"],
  14: ["群聊", "a group chat"],
  15: ["搜索手机号", "phone number search"],
  17: ["名片推荐", "a shared 名片"],
  18: ["附近的人", "people nearby"],
  30: ["扫一扫", "a QR code"],
};

/** How the customer found the salesperson, from their friend request; nothing when unknown. */
export function friendRequestLine(l: Locale, thread: Thread): string | undefined {
  const request = thread.friendRequest;
  if (!request) return undefined;
  const scene = request.scene === undefined ? undefined : SCENES[request.scene];
  const how = scene ? ` · ${t(l, scene[0], scene[1])}` : "";
  const who = request.referrer?.name ?? request.referrer?.id;
  const referrer = who ? t(l, `（推荐人 ${who}）`, ` (referred by ${who})`) : "";
  return `${t(l, "来源：好友申请", "Source: friend request")}${how}${referrer} · ${request.at.slice(0, 10)}`;
}
