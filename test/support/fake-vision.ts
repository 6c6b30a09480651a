/**
 * The fake OpenAI server's eyes: it cannot read pixels, so it knows the fixture photos by
 * their bytes and answers what is printed on them, as a vision model would. Any other
 * image gets a polite non-answer (not JSON). What the request carried is checked the way a
 * real endpoint would need it: an image_url part holding a base64 data URL.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const BUSINESS_CARD_PNG = fileURLToPath(new URL("../fixtures/images/business-card.png", import.meta.url));
export const LANDSCAPE_PNG = fileURLToPath(new URL("../fixtures/images/landscape.png", import.meta.url));

/** What test/fixtures/images/business-card.png shows (rendered by test/fixtures/images/render-fixtures.mjs). */
export const BUSINESS_CARD = {
  name: "Zhang Wei",
  company: "SUZHOU YUANHANG PRECISION MACHINERY CO., LTD.",
  mobile: "+86 138 1662 0931",
  email: "zhangwei@yuanhang-jm.com",
} as const;

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

const KNOWN: ReadonlyMap<string, string> = new Map([
  [sha256(readFileSync(BUSINESS_CARD_PNG)), JSON.stringify({ isBusinessCard: true, ...BUSINESS_CARD })],
  [
    sha256(readFileSync(LANDSCAPE_PNG)),
    JSON.stringify({ isBusinessCard: false, name: null, company: null, mobile: null, email: null }),
  ],
]);

export interface ImagePart {
  type: "image_url";
  image_url: { url: string };
}

/** The images a chat request carries, decoded from their data URLs. */
export function imagesIn(messages: ReadonlyArray<{ content: unknown }>): Array<{ mimeType: string; data: Buffer }> {
  const images: Array<{ mimeType: string; data: Buffer }> = [];
  for (const message of messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as Array<{ type?: string }>) {
      if (part.type !== "image_url") continue;
      const match = /^data:([^;]+);base64,(.+)$/s.exec((part as ImagePart).image_url.url);
      if (match) images.push({ mimeType: match[1]!, data: Buffer.from(match[2]!, "base64") });
    }
  }
  return images;
}

/** The answer of a vision model to the first image: what a fixture shows, or a non-answer. */
export function lookAt(messages: ReadonlyArray<{ content: unknown }>): string {
  const image = imagesIn(messages)[0];
  if (image === undefined) return "I did not receive an image.";
  return KNOWN.get(sha256(image.data)) ?? "抱歉，这张图片我看不清。";
}
