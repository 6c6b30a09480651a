/** The one message for notices that waited together, and the ERP plugin's summary lines. */
import { describe, expect, it } from "vitest";
import { ErpAuthError } from "../../plugins/zhibang-erp/client/index.ts";
import { isLoginRefusal, khidConflictNotice, parkedJobNotice } from "../../plugins/zhibang-erp/control-notices.ts";
import { composeDigest } from "../../src/sending/digest.ts";
import type { Notice } from "../../src/sending/notice.ts";

function parked(locale: "zh" | "en", name: string, reason: string, loginRefused = false): Notice {
  const { text, options } = parkedJobNotice(locale, { name, attempts: 8, reason, loginRefused });
  return { text, ...options };
}

function khid(locale: "zh" | "en", code: string, heldBy: string): Notice {
  const { text, options } = khidConflictNotice(locale, code, heldBy);
  return { text, ...options };
}

describe("composeDigest", () => {
  it("a lone notice goes out as it is", () => {
    const notice = parked("zh", "张三", "ERP 无法连接");
    expect(composeDigest([notice], "zh")).toBe(
      "❌ 张三 同步 ERP 失败（已尝试 8 次，已暂停）：ERP 无法连接。修复后发送 /erp retry",
    );
  });

  it("one line per topic, in the order each first arrived, under a header", () => {
    const digest = composeDigest(
      [
        parked("zh", "张三", "HTTP 500"),
        khid("zh", "WX000002", "5"),
        { text: "⚠️ 近一小时 ERP 调用失败 40 次（阈值 10）" },
        parked("zh", "李四", "HTTP 500"),
        khid("zh", "WX000003", "6"),
      ],
      "zh",
    );
    expect(digest.split("\n")).toEqual([
      "📋 5 条通知合并发送：",
      "❌ 2 个客户同步 ERP 失败（已暂停）：张三、李四。",
      "原因：HTTP 500（2 个）",
      "修复后发送 /erp retry（详见 /erp queue）",
      "⚠️ 2 个客户编号冲突：WX000002 (ord 5)、WX000003 (ord 6) 已被 ERP 中其他客户使用，未覆盖，已改用新编号。",
      "⚠️ 近一小时 ERP 调用失败 40 次（阈值 10）",
    ]);
  });

  it("what does not fit in one message is counted, never cut mid-line", () => {
    const notices = Array.from({ length: 40 }, (_, i) => ({ text: `⚠️ 第 ${i} 条：${"很长的说明".repeat(10)}` }));
    const digest = composeDigest(notices, "zh", 600);
    expect(digest.length).toBeLessThanOrEqual(600);
    const lines = digest.split("\n");
    expect(lines[0]).toBe("📋 40 条通知合并发送：");
    const shown = lines.slice(1, -1);
    expect(shown).toEqual(notices.slice(0, shown.length).map((n) => n.text));
    expect(lines.at(-1)).toBe(`……另有 ${40 - shown.length} 条未列出，详见控制台和日志。`);
  });
});

describe("the ERP plugin's summaries", () => {
  it("many parked jobs: the first names, the count, the most frequent reasons", () => {
    const notices = [
      ...Array.from({ length: 9 }, (_, i) => parked("en", `c${i}`, "HTTP 500")),
      parked("en", "x", "timeout"),
      parked("en", "y", "timeout"),
      parked("en", "z", "reset"),
      parked("en", "w", "bad JSON"),
    ];
    expect(composeDigest(notices, "en").split("\n")).toEqual([
      "❌ ERP sync stopped for 13 customers: c0, c1, c2, c3, c4, c5, c6, c7 and 5 more.",
      "Reasons: HTTP 500 (×9); timeout (×2); reset (×1); 1 other reason(s)",
      "Fix it, then /erp retry (details: /erp queue)",
    ]);
  });

  it("jobs refused at login, or stopped because an earlier login was refused, share one reason with the cure", () => {
    const refusal = new ErpAuthError("the ERP refused the username or password", { operation: "login", erpMessage: "密码错误" });
    const latched = Object.assign(new Error("ERP login was refused", { cause: refusal }), { loginRefused: true });
    expect(isLoginRefusal(new Error("job failed", { cause: refusal }))).toBe(true);
    expect(isLoginRefusal(new Error("job failed", { cause: latched }))).toBe(true);
    expect(isLoginRefusal(new Error("HTTP 500"))).toBe(false);
    const digest = composeDigest(
      [parked("zh", "张三", refusal.message, true), parked("zh", "李四", latched.message, true)],
      "zh",
    );
    expect(digest).toContain("原因：ERP 拒绝登录：请修正 WXERP_ERP_USERNAME/WXERP_ERP_PASSWORD（2 个）");
  });
});
