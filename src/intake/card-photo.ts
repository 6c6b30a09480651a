/**
 * A photo a customer sends may be their business card: with `scorer.vision` on, it is read
 * by the vision model and kept as a `card-photo` message (card-photo-text.ts) instead of the
 * bare "[图片]". Only a customer's own 1:1 chat qualifies (the caller decides: never the
 * salesperson's own photos, a colleague's or a group's). A photo that cannot be fetched, is
 * too large or is no readable card stays "[图片]"; each such photo is logged once.
 */
import type { Message } from "wechaty";
import type { Logger } from "../logging/logger.ts";
import type { CardFields } from "../scorer/vision/card-answer.ts";
import type { CardReader } from "../scorer/vision/card-reader.ts";

const MIME_BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
};

export async function readCardPhoto(
  message: Message,
  contactId: string,
  reader: CardReader,
  logger: Logger,
): Promise<CardFields | undefined> {
  let data: Buffer;
  let mimeType: string;
  try {
    const box = await message.toFileBox();
    data = await box.toBuffer();
    mimeType = imageType(box.mediaType, box.name);
  } catch (error) {
    logger.warn({ contact: contactId, err: error }, "photo could not be fetched from WeChat; left as [图片]");
    return undefined;
  }
  if (data.length > reader.maxImageBytes) {
    logger.warn({ contact: contactId, bytes: data.length }, "photo larger than scorer.vision.maxImageBytes; left as [图片]");
    return undefined;
  }
  return reader.read({ data, mimeType }, contactId);
}

/** The puppet's media type when it names an image, else by the file name (WeChat photos are JPEG). */
function imageType(mediaType: string | undefined, name: string | undefined): string {
  if (mediaType?.startsWith("image/")) return mediaType;
  const extension = name?.split(".").pop()?.toLowerCase() ?? "";
  return MIME_BY_EXTENSION[extension] ?? "image/jpeg";
}
