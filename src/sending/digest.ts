import type { Notice } from "./notice.ts";

/** Well under what WeChat accepts in one text message, and still readable on a phone. */
export const MAX_DIGEST_CHARS = 1800;

/**
 * The one message for every notice that waited together: notices of one topic become the
 * topic's summary line, the others keep their own line. One line is sent as it is; several
 * get a header, and what does not fit is counted, not cut mid-line.
 */
export function composeDigest(notices: readonly Notice[], locale: "zh" | "en", maxChars = MAX_DIGEST_CHARS): string {
  const lines = groupByTopic(notices).map((group) =>
    group.length === 1 || !group[0]!.topic ? group[0]!.text : group[0]!.topic.summarise(group),
  );
  if (lines.length === 1) return clip(lines[0]!, maxChars);
  const kept: string[] = [header(notices.length, locale)];
  let length = kept[0]!.length;
  for (const [index, line] of lines.entries()) {
    const left = lines.length - index;
    if (length + 1 + line.length + footer(left, locale).length > maxChars) {
      kept.push(footer(left, locale));
      break;
    }
    kept.push(line);
    length += 1 + line.length;
  }
  return kept.join("\n");
}

/** Groups in the order of each group's first notice; notices without a topic stand alone. */
function groupByTopic(notices: readonly Notice[]): Notice[][] {
  const groups: Notice[][] = [];
  const byTopic = new Map<string, Notice[]>();
  for (const notice of notices) {
    const id = notice.topic?.id;
    const existing = id === undefined ? undefined : byTopic.get(id);
    if (existing) {
      existing.push(notice);
      continue;
    }
    const group = [notice];
    groups.push(group);
    if (id !== undefined) byTopic.set(id, group);
  }
  return groups;
}

function header(count: number, locale: "zh" | "en"): string {
  return locale === "en" ? `📋 ${count} notices in one message:` : `📋 ${count} 条通知合并发送：`;
}

function footer(left: number, locale: "zh" | "en"): string {
  return locale === "en"
    ? `… and ${left} more line(s): see the dashboard and the log.`
    : `……另有 ${left} 条未列出，详见控制台和日志。`;
}

function clip(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
