import { StoreValidationError } from "./errors.ts";
import { threadSchema } from "./schema.ts";
import type { Thread } from "./types.ts";

export function emptyThread(id: string): Thread {
  return {
    id,
    contactId: id,
    messages: [],
    messageCount: 0,
    unscored: 0,
    summary: "",
    reasons: [],
    scores: [],
    extracted: {},
    syncState: "none",
  };
}

export interface ThreadBounds {
  historyPerThread: number;
  maxScores: number;
}

/**
 * Runs `change` on a private copy of the stored thread and returns the copy, bounded and
 * checked. The stored thread is frozen and shared with readers, so it is never edited in
 * place; a change that throws or produces an invalid thread leaves the store as it was.
 */
export function applyThreadChange(
  id: string,
  current: Thread | undefined,
  change: (thread: Thread) => void,
  bounds: ThreadBounds,
): Thread {
  const draft = current ? structuredClone(current) : emptyThread(id);
  change(draft);
  draft.id = id;
  if (typeof draft.contactId !== "string" || draft.contactId === "") draft.contactId = id;
  if (Array.isArray(draft.messages) && draft.messages.length > bounds.historyPerThread) {
    draft.messages = draft.messages.slice(-bounds.historyPerThread);
  }
  if (Array.isArray(draft.scores) && draft.scores.length > bounds.maxScores) {
    draft.scores = draft.scores.slice(-bounds.maxScores);
  }
  // zod refuses NaN, Infinity and non-strings, which JSON would silently turn into null or {}.
  const checked = threadSchema.safeParse(draft);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new StoreValidationError(`thread ${id}: ${issue?.path.join(".") || "(thread)"}: ${issue?.message ?? "invalid"}`, {
      cause: checked.error,
    });
  }
  return draft;
}
