import { renderTable } from "../cli/table.ts";
import type { ReplayCommand } from "./replay-report.ts";

const STATUS: Record<ReplayCommand["status"], { zh: string; en: string }> = {
  done: { zh: "完成", en: "done" },
  help: { zh: "帮助", en: "help" },
  unknown: { zh: "未知命令", en: "unknown" },
  usage: { zh: "用法错误", en: "usage" },
  failed: { zh: "失败", en: "failed" },
  denied: { zh: "无权限", en: "denied" },
  refused: { zh: "未执行", en: "refused" },
  "not-command": { zh: "不是命令", en: "not a command" },
  backlog: { zh: "历史消息", en: "history" },
};

/**
 * The commands of a replay and their replies, as a table: one row per reply line, so a
 * reply reads as it would in WeChat. Nothing when the replay typed no command.
 */
export function renderReplayCommands(commands: ReplayCommand[], locale: "zh" | "en"): string | undefined {
  if (commands.length === 0) return undefined;
  const en = locale === "en";
  const rows: string[][] = [];
  for (const command of commands) {
    const lines = command.replies.flatMap((reply) => reply.split("\n"));
    const [first = en ? "(no reply)" : "（无回复）", ...rest] = lines;
    rows.push([command.name, command.text, STATUS[command.status][locale], first]);
    for (const line of rest) rows.push(["", "", "", line]);
  }
  const header = en
    ? ["customer", "command typed", "result", "reply (what the control chat receives)"]
    : ["客户", "输入的命令", "结果", "回复（控制会话收到的内容）"];
  return renderTable(header, rows);
}
