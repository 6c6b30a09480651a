import type { RouterMessages } from "./types.ts";

export const zh: RouterMessages = {
  helpHeader: (prefix) => `可用命令（${prefix} 命令 参数）：`,
  helpDescription: "显示本帮助",
  unknownCommand: (name) => `未知命令：${name}`,
  usage: (synopsis, description) => `用法：${synopsis}（${description}）`,
  failed: (command, reason, hint) => `❌ ${command} 失败：${reason}（${hint}）`,
  defaultHint: "已记录，请稍后重试或查看日志",
  unknownReason: "未知错误",
};
