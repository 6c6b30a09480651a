import type { RouterMessages } from "./types.ts";

export const en: RouterMessages = {
  helpHeader: (prefix) => `Commands (${prefix} command args):`,
  helpDescription: "show this help",
  unknownCommand: (name) => `Unknown command: ${name}`,
  usage: (synopsis, description) => `Usage: ${synopsis} (${description})`,
  failed: (command, reason, hint) => `❌ ${command} failed: ${reason} (${hint})`,
  defaultHint: "logged; try again later or check the log",
  unknownReason: "unknown error",
};
