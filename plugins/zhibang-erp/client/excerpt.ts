import { maskText } from "../../../src/plugin-api.ts";

/**
 * Short, masked excerpts of replies we could not read, for error messages and the audit log.
 * An IIS/ASP error page is reduced to its title and first words; mobiles and accounts masked.
 */

const EXCERPT_CHARS = 160;

export function looksLikeHtml(text: string): boolean {
  return /^\s*</.test(text) && /<(!doctype|html|head|body|title|h1|div|p|br|table|script)\b/i.test(text);
}

export function excerptOf(text: string, maxChars = EXCERPT_CHARS): string {
  const readable = looksLikeHtml(text) ? htmlToText(text) : text;
  const oneLine = readable.replace(/[\u0000-\u001f\s]+/g, " ").trim();
  const cut = oneLine.length > maxChars ? `${oneLine.slice(0, maxChars)}…` : oneLine;
  return maskText(cut);
}

function htmlToText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim() ?? "";
  const body = html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  return title ? `${title}: ${body}` : body;
}
