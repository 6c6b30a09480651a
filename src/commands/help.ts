import { routerMessages } from "./messages/index.ts";
import type { CommandDefinition } from "./types.ts";

/** `/erp verify <mobile> [who]`: the command as a user types it. */
export function synopsis(prefix: string, definition: CommandDefinition): string {
  return definition.usage ? `${prefix} ${definition.name} ${definition.usage}` : `${prefix} ${definition.name}`;
}

/** Help generated from the registered descriptions, one line a command. */
export function renderHelp(prefix: string, definitions: readonly CommandDefinition[], locale: "zh" | "en"): string {
  const lines = definitions.map((definition) => `${synopsis(prefix, definition)} — ${definition.description[locale]}`);
  return [routerMessages(locale).helpHeader(prefix), ...lines].join("\n");
}

/** The one line a user gets when the argument count is wrong. */
export function renderUsage(prefix: string, definition: CommandDefinition, locale: "zh" | "en"): string {
  return routerMessages(locale).usage(synopsis(prefix, definition), definition.description[locale]);
}
