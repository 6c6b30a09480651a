import { types } from "wechaty";
import type { App } from "../app/app.ts";
import { ensureMockContact, loginMock } from "../bot/mock-contacts.ts";
import { normalizeMobile } from "../privacy/mobile.ts";
import { replayCommandLog } from "./replay-commands.ts";
import { type ParsedReplay, type ReplayConversation, replayMessageId } from "./replay-format.ts";
import { type ReplayReport, threadReport, totals } from "./replay-report.ts";

/** The salesperson's account the replay logs in as (the recordings' "sales" side). */
export const REPLAY_SELF = { id: "wxid_replay_sales", name: "销售（回放）" };

export interface ReplayProgress {
  line(index: number, total: number, conversation: ReplayConversation): void;
}

/**
 * Plays recorded conversations through the whole pipeline (docs/architecture.md §3.3): mock WeChat →
 * intake → scorer → ERP plugin → the configured ERP. Time follows the `at` stamps: a
 * thread is scored where the conversation pauses longer than `scorer.idleSeconds` and at
 * the end of each line; the ERP work of that scoring finishes before the replay goes on,
 * so follow-up rate limits see conversation time. The app must be in `replay` mode.
 */
export async function runReplay(app: App, parsed: ParsedReplay, progress?: ReplayProgress): Promise<ReplayReport> {
  const started = Date.now();
  if (!app.runtime?.mocker || app.mode !== "replay")
    throw new Error("the replay needs the app in replay mode on the mock puppet");
  await app.start();
  // Every account plays on its own mock WeChat, logged in as its own salesperson.
  const players = new Map<string, Player>();
  for (const wiring of app.accounts) players.set(wiring.account.id, await loginReplayAccount(wiring));
  const errors = [...parsed.errors];
  const statsBefore = app.plugins.callStats();
  const llmBefore = app.llmCalls();
  const touched = new Map<string, { name: string; followupsBefore: number }>();
  const runStartedAt = new Date().toISOString();
  const commandLog = replayCommandLog(app.commandRuns);
  let messages = 0;

  for (const [index, { line, conversation }] of parsed.conversations.entries()) {
    progress?.line(index, parsed.conversations.length, conversation);
    const player =
      conversation.account === undefined ? players.get(app.accounts[0]!.account.id) : players.get(conversation.account);
    if (!player) {
      const known = app.accounts.map((a) => a.account.id).join(", ");
      errors.push({ line, message: `account: no WeChat account "${conversation.account}" (wechat.accounts has ${known})` });
      continue;
    }
    const { mocker, selfId, wiring } = player;
    const { contact } = conversation;
    const threadId = wiring.store.key(contact.id);
    ensureMockContact(mocker, {
      id: contact.id,
      name: contact.name,
      ...(contact.alias ? { alias: contact.alias } : {}),
      phone: phoneList(contact.phone),
    });
    if (!touched.has(threadId)) {
      const before = await app.store.getThread(threadId);
      touched.set(threadId, { name: contact.alias ?? contact.name, followupsBefore: before?.erp?.followups ?? 0 });
    }
    let lastAt: number | undefined;
    for (const message of conversation.messages) {
      const at = Date.parse(message.at);
      if (lastAt !== undefined && at - lastAt > app.config.scorer.idleSeconds * 1000) await scoreAndSync(app, threadId);
      // The first account's ids are those of a single-account replay: a file replayed again is still a no-op.
      const id = replayMessageId(threadId, message.from, message.at, message.text);
      const fromCustomer = message.from === "customer";
      commandLog.delivering(id, { contact: threadId, name: contact.alias ?? contact.name, at: message.at });
      deliver(mocker, {
        id,
        talkerId: fromCustomer ? contact.id : selfId,
        listenerId: fromCustomer ? selfId : contact.id,
        text: message.text,
        timestamp: at,
      });
      await app.whenHandled([id]);
      messages++;
      lastAt = at;
    }
    await scoreAndSync(app, threadId);
  }
  await settleOutbox(app);
  const commands = commandLog.finish();

  const threads = [];
  for (const [contactId, facts] of touched) {
    const thread = await app.store.getThread(contactId);
    if (!thread) continue;
    // Jobs this run touched: new ones, and ones left by a killed run that this run finished.
    const jobs = (await app.outbox.list({ key: contactId })).filter(
      (j) => j.createdAt >= runStartedAt || j.updatedAt >= runStartedAt,
    );
    threads.push(threadReport({ thread, name: facts.name, followupsBefore: facts.followupsBefore, jobs }));
  }
  const stats = app.plugins.callStats();
  return {
    threads,
    commands,
    totals: totals(threads, stats.calls - statsBefore.calls, app.llmCalls() - llmBefore),
    errors,
    stats: {
      lines: parsed.conversations.length + parsed.errors.length,
      messages,
      erpRetries: stats.retries - statsBefore.retries,
      relogins: stats.relogins - statsBefore.relogins,
      durationMs: Date.now() - started,
    },
  };
}

interface Player {
  wiring: App["accounts"][number];
  mocker: NonNullable<NonNullable<App["runtime"]>["mocker"]>;
  selfId: string;
}

/** Logs an account's mock WeChat in as the replay's salesperson (the first account as REPLAY_SELF, as always). */
async function loginReplayAccount(wiring: App["accounts"][number]): Promise<Player> {
  const runtime = wiring.runtime;
  const mocker = runtime?.mocker;
  if (!runtime || !mocker) throw new Error(`the replay needs account ${wiring.account.id} on the mock puppet`);
  const self = wiring.account.isDefault
    ? REPLAY_SELF
    : { id: `${REPLAY_SELF.id}_${wiring.account.id}`, name: `${REPLAY_SELF.name} ${wiring.account.id}` };
  if (!runtime.isLoggedIn()) loginMock(mocker, self);
  await waitUntil(() => runtime.isLoggedIn(), `the mock WeChat login of account ${wiring.account.id}`);
  return { wiring, mocker, selfId: runtime.selfId()! };
}

/** Scores the thread at its conversation time if it has new messages, then lets the ERP work finish. */
async function scoreAndSync(app: App, threadId: string): Promise<void> {
  const thread = await app.store.getThread(threadId);
  if (thread && thread.unscored > 0) await app.scheduler.scoreNow(threadId, thread.lastMessageAt);
  await app.sync.drain();
}

/** The longest the final drain waits for a job in a short back-off (a retry due in seconds). */
const SHORT_BACKOFF_MS = 15_000;

/**
 * Runs the outbox until nothing is due, then waits for jobs whose back-off ends within
 * seconds (a retry after a blip), so the report does not call them failed a moment before
 * they land. Jobs backing off for longer are reported as failed and stay for `wxerp sync`.
 * On PostgreSQL a job may still run in another process once this one's drain is over (or
 * under the lease of a process that died, which this one takes over when it expires): it is
 * waited for as well, within the same bound.
 */
async function settleOutbox(app: App): Promise<void> {
  const deadline = Date.now() + SHORT_BACKOFF_MS;
  for (;;) {
    await app.sync.drain();
    const pending = await app.outbox.list({ states: ["pending"] });
    const elsewhere = await app.outbox.list({ states: ["running"], limit: 1 });
    const next = Math.min(...pending.map((j) => Date.parse(j.nextRunAt)), ...(elsewhere.length > 0 ? [Date.now() + 250] : []));
    if ((pending.length === 0 && elsewhere.length === 0) || next > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now()) + 20));
  }
}

/** A recorded message as the puppet would deliver it; a second replay re-delivers the same id. */
function deliver(
  mocker: NonNullable<NonNullable<App["runtime"]>["mocker"]>,
  payload: { id: string; talkerId: string; listenerId: string; text: string; timestamp: number },
) {
  if (!mocker.cacheMessagePayload.has(payload.id)) {
    mocker.MessageMock.create({ ...payload, type: types.Message.Text } as never);
  }
  mocker.puppet.emit("message", { messageId: payload.id });
}

function phoneList(phone: string | undefined): string[] {
  const mobile = phone ? normalizeMobile(phone) : undefined;
  return mobile ? [mobile] : phone ? [phone] : [];
}

async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
