import { en } from "./en.ts";
import type { RouterMessages } from "./types.ts";
import { zh } from "./zh.ts";

export type { RouterMessages } from "./types.ts";

export function routerMessages(locale: "zh" | "en"): RouterMessages {
  return locale === "en" ? en : zh;
}
