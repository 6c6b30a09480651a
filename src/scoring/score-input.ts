import type { ScoreInput } from "../scorer/types.ts";
import type { Contact, Thread } from "../store/types.ts";

/**
 * What the scorer sees: the rolling summary plus the last `recentMessages` messages, so the
 * prompt stays the same size however long the thread grows. Recalled messages are left out:
 * the writer took them back.
 */
export function scoreInputFor(thread: Thread, contact: Contact | undefined, recentMessages: number): ScoreInput {
  const who: ScoreInput["contact"] = { id: thread.contactId, name: contact?.name ?? thread.contactId };
  if (contact?.alias) who.alias = contact.alias;
  const input: ScoreInput = {
    contact: who,
    previousSummary: thread.summary,
    messages: thread.messages.filter((m) => !m.recalled).slice(-recentMessages),
    known: thread.extracted,
  };
  // The injection ceiling compares against it: an injection must never raise a score.
  if (thread.score !== undefined) input.previousScore = thread.score;
  return input;
}
