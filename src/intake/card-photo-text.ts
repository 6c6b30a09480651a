/**
 * How a business card read from a photo is kept in the thread: one customer message of kind
 * `card-photo` whose text lists the fields ("[名片照片] 姓名：张伟，公司：…，手机：…，邮箱：…"),
 * so the conversation shows what was read, scorers read the fields back exactly (not with
 * free-text extractors), and recalling the photo takes the fields back out.
 */
import type { CardFields } from "../scorer/vision/card-answer.ts";

export const CARD_PHOTO_LABEL = "[名片照片]";

const LABELS: ReadonlyArray<[keyof CardFields, string]> = [
  ["name", "姓名"],
  ["company", "公司"],
  ["mobile", "手机"],
  ["email", "邮箱"],
];
const SEPARATOR = "；";

export function cardPhotoText(fields: CardFields): string {
  const parts = LABELS.flatMap(([key, label]) => (fields[key] ? [`${label}：${fields[key]}`] : []));
  return `${CARD_PHOTO_LABEL} ${parts.join(SEPARATOR)}`;
}

/** The fields of a `card-photo` message's text (undefined for any other text). */
export function cardPhotoFields(text: string): CardFields | undefined {
  if (!text.startsWith(CARD_PHOTO_LABEL)) return undefined;
  const fields: CardFields = {};
  for (const part of text.slice(CARD_PHOTO_LABEL.length).trim().split(SEPARATOR)) {
    const match = /^(姓名|公司|手机|邮箱)：(.+)$/u.exec(part.trim());
    const key = LABELS.find(([, label]) => label === match?.[1])?.[0];
    if (key && match?.[2]) fields[key] = match[2].trim();
  }
  return fields;
}
