import type { Registry } from "prom-client";
import { AccountStore } from "../accounts/account-store.ts";
import { type WechatAccount, wechatIdOf } from "../accounts/accounts.ts";
import type { AuditLog } from "../audit/index.ts";
import type { WechatyRuntime } from "../bot/runtime.ts";
import type { DispatchingRouter } from "../commands/router.ts";
import type { CommandCandidate, DispatchOutcome } from "../commands/types.ts";
import type { AppConfig } from "../config/schema.ts";
import type { PickOffer } from "../intake/control-pick.ts";
import { CustomerScope } from "../intake/customer-scope.ts";
import { findWechatContacts } from "../intake/find-contacts.ts";
import { ignoreCommand } from "../intake/ignore-command.ts";
import { createIntake, type Intake } from "../intake/intake.ts";
import { OwnMobiles } from "../intake/own-mobiles.ts";
import type { Logger } from "../logging/logger.ts";
import type { IntakeEvent } from "../plugins/types.ts";
import type { CardReader } from "../scorer/vision/card-reader.ts";
import type { Notice, NoticeOptions, NoticeOutcome } from "../sending/notice.ts";
import type { SendQueue } from "../sending/send-queue.ts";
import { type SendQueueOverrides, wechatSendQueue } from "../sending/wechat-sends.ts";
import type { ThreadStore } from "../store/types.ts";
import { accountRegistry } from "./account-metrics.ts";
import { commandWiring } from "./command-wiring.ts";
import { type WechatWatch, watchWechat } from "./wechat-watch.ts";

/**
 * One WeChat account of the process and what is its own: the Wechaty runtime, the paced
 * sends, the health watch, the command router answering in its control chat, the intake
 * writing its threads, whose chats are customers' and the salesperson's own numbers.
 * The store, the scorer, the ERP plugin and its outbox are shared by every account.
 */
export interface AccountWiring {
  readonly account: WechatAccount;
  /** The account's view of the shared store (its threads, keyed by account). */
  readonly store: AccountStore;
  /** The configuration as this account sees it: `commands.controlChat` is its control chat. */
  readonly config: AppConfig;
  /** Where its WeChat and send figures are (the process's registry when it is the only account). */
  readonly registry: Registry;
  readonly runtime?: WechatyRuntime;
  readonly wechat?: WechatWatch;
  readonly sends?: SendQueue;
  readonly router: DispatchingRouter;
  readonly scope: CustomerScope;
  readonly ownMobiles: OwnMobiles;
  intake?: Intake;
  /** A 名片 or message forwarded into the control chat: it may pick a customer for the next command. */
  readonly onPickOffer: (offer: PickOffer) => Promise<void>;
  /** A notice for this account's control chat (queued and paced). */
  notice(notice: Notice): Promise<NoticeOutcome>;
  /** A reply a person is waiting for, to this account's control chat. */
  replyToControl(text: string): Promise<void>;
}

export interface AccountWiringDeps {
  config: AppConfig;
  store: ThreadStore;
  audit: AuditLog;
  logger: Logger;
  /** The process's metrics: with one account its WeChat and sends figures are reported there. */
  registry: Registry;
  /** Several accounts: each account's figures go to a registry of its own, labelled with its id. */
  several: boolean;
  clock: () => Date;
  sending?: SendQueueOverrides;
  /** What every control-chat line also goes to (the activity feed), with the account it went to. */
  echo(account: WechatAccount, text: string): void;
}

/** Builds an account's parts; its intake is added by `attachIntake` once the scoring and plugins exist. */
export function wireAccount(account: WechatAccount, runtime: WechatyRuntime | undefined, deps: AccountWiringDeps): AccountWiring {
  const { clock } = deps;
  const config: AppConfig = { ...deps.config, commands: { ...deps.config.commands, controlChat: account.controlChat } };
  const logger = accountLogger(deps.logger, account);
  const registry = accountRegistry(account, deps.several, deps.registry);
  const store = new AccountStore(deps.store, account);
  const wechat = runtime
    ? watchWechat(runtime, {
        config,
        registry,
        logger: logger.child({ module: "wechat" }),
        ...(account.isDefault ? {} : { account: account.id }),
      })
    : undefined;
  const sends = runtime
    ? wechatSendQueue(runtime, config, { logger: logger.child({ module: "sends" }), registry }, deps.sending)
    : undefined;
  const notice = (line: Notice): Promise<NoticeOutcome> => {
    deps.echo(account, line.text);
    if (sends) return sends.notify(line);
    logger.warn({ text: line.text }, "control chat message (no WeChat in this mode)");
    return Promise.resolve("dropped");
  };
  const notifyControl = async (text: string, options: NoticeOptions = {}) => void notice({ text, ...options });
  const reply = (to: string, text: string): Promise<void> =>
    sends ? sends.reply(to, text) : Promise.reject(new Error("no WeChat in this mode: reply not sent"));
  const replyToControl = (text: string): Promise<void> => {
    deps.echo(account, text);
    return reply(account.controlChat, text);
  };
  const { router, onPickOffer } = commandWiring({
    config,
    store,
    audit: deps.audit,
    logger,
    runtime,
    replies: { toControl: replyToControl, to: reply },
    notifyControl,
    clock,
    findThreads: (who) => store.findThreads(who),
  });
  const scope = new CustomerScope(config.wechat.customers, store, {
    wechatId: (id) => wechatIdOf(account, id),
    warn: (text) => {
      logger.warn({ scope: config.wechat.customers.scope }, text);
      void notifyControl(text).catch(() => undefined);
    },
  });
  const ownMobiles = new OwnMobiles(store, config.wechat.selfMobiles);
  router.register(
    ignoreCommand({
      scope,
      store,
      audit: deps.audit,
      clock,
      ...(runtime ? { findContacts: (who: string) => findWechatContacts(runtime.bot, who) } : {}),
    }),
  );
  return {
    account,
    store,
    config,
    registry,
    ...(runtime ? { runtime } : {}),
    ...(wechat ? { wechat } : {}),
    ...(sends ? { sends } : {}),
    router,
    scope,
    ownMobiles,
    notice,
    replyToControl,
    onPickOffer,
  };
}

export interface IntakeHooks {
  backlogDetection: boolean;
  /** Reads a customer's business-card photo (scorer.vision); shared by the accounts. */
  cardReader?: CardReader;
  onMessage(event: IntakeEvent): Promise<void>;
  onCommand(candidate: CommandCandidate): Promise<DispatchOutcome>;
  /** Marks a message or friend request as handled (whenHandled). */
  handled(id: string): void;
}

/** The account's intake, listening to its runtime. */
export function attachIntake(wiring: AccountWiring, hooks: IntakeHooks, logger: Logger): void {
  const { runtime, account } = wiring;
  if (!runtime) return;
  const intake = createIntake({
    store: wiring.store,
    config: wiring.config,
    logger: accountLogger(logger, account).child({ module: "intake" }),
    selfId: () => runtime.selfId(),
    loginAt: () => runtime.loginAt(),
    backlogDetection: hooks.backlogDetection,
    isOwnEcho: (id, text) => runtime.isOwnEcho(id, text),
    onMessage: hooks.onMessage,
    // A command sees its own account's customers: the customer whose chat it was typed in, by key.
    onCommand: (candidate) =>
      hooks.onCommand({
        ...candidate,
        account: account.id,
        origin: candidate.origin.customerId
          ? { ...candidate.origin, customerId: wiring.store.key(candidate.origin.customerId) }
          : candidate.origin,
      }),
    onPickOffer: wiring.onPickOffer,
    scope: wiring.scope,
    ownMobiles: wiring.ownMobiles,
    ...(hooks.cardReader ? { cardReader: hooks.cardReader } : {}),
  });
  wiring.intake = intake;
  runtime.onMessage(async (message) => {
    try {
      await intake.handle(message);
    } finally {
      hooks.handled(message.id);
    }
  });
  runtime.onFriendship(async (friendship) => {
    try {
      await intake.handleFriendship(friendship);
    } finally {
      hooks.handled(friendship.id);
    }
  });
}

/** Routes a typed command to the router of the account it was typed on. */
export function accountsRouter(wirings: readonly AccountWiring[]): (candidate: CommandCandidate) => Promise<DispatchOutcome> {
  return (candidate) => {
    const wiring = wirings.find((w) => w.account.id === candidate.account) ?? wirings[0]!;
    return wiring.router.dispatch(candidate);
  };
}

/**
 * Commands registered on the first account's router (the ERP plugin's) run on every account:
 * each router gets the same definitions, and answers in its own control chat.
 */
export function mirrorCommands(from: DispatchingRouter, wirings: readonly AccountWiring[]): void {
  for (const wiring of wirings) {
    if (wiring.router === from) continue;
    const known = new Set(wiring.router.list().map((d) => d.name));
    for (const definition of from.list()) if (!known.has(definition.name)) wiring.router.register(definition);
  }
}

/** The process's logger; another account than the first names itself in every line. */
export function accountLogger(logger: Logger, account: WechatAccount): Logger {
  return account.isDefault ? logger : logger.child({ account: account.id });
}

/**
 * The account a thread's conversation is on (its notices go to that control chat). No
 * thread, or one no longer known: the first account.
 */
export function threadAccounts(
  store: ThreadStore,
  wirings: readonly AccountWiring[],
): (threadId: string | undefined) => Promise<AccountWiring> {
  const first = wirings[0]!;
  return async (threadId) => {
    if (threadId === undefined || wirings.length === 1) return first;
    const thread = await store.getThread(threadId).catch(() => undefined);
    return wirings.find((w) => thread !== undefined && w.store.owns(thread)) ?? first;
  };
}
