import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { types } from "wechaty";
import type { App } from "../app/app.ts";
import { ensureMockContact } from "../bot/mock-contacts.ts";
import { normalizeMobile } from "../privacy/mobile.ts";
import { parseReplay, replayMessageId } from "../replay/replay-format.ts";

export const SAMPLE_CONVERSATIONS = fileURLToPath(new URL("./sample-conversations.jsonl", import.meta.url));

/**
 * The embedded demo (`npm start`): the bundled conversations typed into the mock WeChat
 * now, a message every `pauseMs`, through the live pipeline. Each conversation is scored
 * when it ends (a live bot would wait `scorer.idleSeconds`; nobody watching a demo wants
 * to). Message ids are stable, so a second `npm start` on the same data directory is
 * recognised as already played and changes nothing.
 */
export async function playDemo(
  app: App,
  options: { pauseMs?: number; file?: string } = {},
): Promise<{ played: number; alreadyPlayed: number }> {
  const mocker = app.runtime?.mocker;
  const selfId = app.runtime?.selfId();
  if (!mocker || !selfId) throw new Error("the demo needs the mock WeChat, logged in");
  const parsed = parseReplay(await readFile(options.file ?? SAMPLE_CONVERSATIONS, "utf8"));
  let played = 0;
  let alreadyPlayed = 0;
  for (const { conversation } of parsed.conversations) {
    const { contact } = conversation;
    const phone = contact.phone ? normalizeMobile(contact.phone) : undefined;
    ensureMockContact(mocker, {
      id: contact.id,
      name: contact.name,
      ...(contact.alias ? { alias: contact.alias } : {}),
      phone: phone ? [phone] : [],
    });
    const before = (await app.store.getThread(contact.id))?.messageCount ?? 0;
    for (const message of conversation.messages) {
      const id = replayMessageId(contact.id, message.from, message.at, message.text);
      const fromCustomer = message.from === "customer";
      if (!mocker.cacheMessagePayload.has(id)) {
        mocker.MessageMock.create({
          id,
          talkerId: fromCustomer ? contact.id : selfId,
          listenerId: fromCustomer ? selfId : contact.id,
          text: message.text,
          timestamp: Date.now(),
          type: types.Message.Text,
        } as never);
      }
      mocker.puppet.emit("message", { messageId: id });
      await app.whenHandled([id]);
      await sleep(options.pauseMs ?? 120);
    }
    const thread = await app.store.getThread(contact.id);
    if ((thread?.messageCount ?? 0) === before) {
      alreadyPlayed++;
      continue;
    }
    played++;
    if (thread && thread.unscored > 0) await app.scheduler.scoreNow(contact.id);
    await app.sync.drain();
  }
  return { played, alreadyPlayed };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
