import type { AuditLog } from "../audit/index.ts";
import type { WechatyRuntime } from "../bot/runtime.ts";
import { customerPicker } from "../commands/customer-picker.ts";
import { CustomerPicks } from "../commands/customer-picks.ts";
import { createCommandRouter, type DispatchingRouter } from "../commands/router.ts";
import type { CustomerVisibleCommand, DeniedCommand, ReplySender } from "../commands/types.ts";
import { visibilityNotes } from "../commands/visibility-notes.ts";
import type { AppConfig } from "../config/schema.ts";
import type { PickOffer } from "../intake/control-pick.ts";
import type { Logger } from "../logging/logger.ts";
import type { Thread, ThreadStore } from "../store/types.ts";

export interface CommandWiringDeps {
  config: AppConfig;
  store: ThreadStore;
  audit: AuditLog;
  logger: Logger;
  runtime: WechatyRuntime | undefined;
  /** Answers to what a person just did (a command, a forwarded card): sent at the next paced turn. */
  replies: ReplySender;
  /** Notes nobody is waiting for: queued, and folded with others that come at the same time. */
  notifyControl(text: string): Promise<void>;
  clock(): Date;
  /** The customers commands may name (several accounts: the account's own). */
  findThreads?: (who: string) => Promise<Thread[]>;
}

/**
 * The command router and what surrounds it: customers picked in the control chat, notes
 * about commands typed where customers read them, and the audit of both.
 */
export function commandWiring(deps: CommandWiringDeps): {
  router: DispatchingRouter;
  onPickOffer: (offer: PickOffer) => Promise<void>;
} {
  const { config, store, audit, notifyControl } = deps;
  const logger = deps.logger.child({ module: "commands" });
  const picks = new CustomerPicks(config.commands.pickMinutes * 60_000, () => deps.clock().getTime());
  const notes = visibilityNotes({
    locale: config.locale,
    prefix: config.commands.prefix,
    memory: store,
    notify: notifyControl,
    nameOf: async (id) => {
      const contact = await store.getContact(id);
      return contact?.alias || contact?.name || id;
    },
    now: deps.clock,
  });
  const router = createCommandRouter({
    prefix: config.commands.prefix,
    locale: config.locale,
    staff: config.commands.staff,
    selfId: () => deps.runtime?.selfId(),
    logger,
    replies: deps.replies,
    picks,
    ...(deps.findThreads ? { findThreads: deps.findThreads } : {}),
    onDenied: async (denied) => {
      audit.write(deniedRecord(denied));
      await notes.onDenied(denied);
    },
    onCustomerVisible: async (info) => {
      audit.write(customerVisibleRecord(info));
      await notes.onCustomerVisible(info);
    },
  });
  const onPickOffer = customerPicker({
    store,
    picks,
    locale: config.locale,
    prefix: config.commands.prefix,
    // The answer to a forwarded card or message: a person is waiting for it.
    notify: (text) =>
      deps.replies.toControl(text).catch((error: unknown) => logger.warn({ err: error }, "pick note could not be sent")),
    logger,
  });
  return { router, onPickOffer };
}

function deniedRecord(denied: DeniedCommand) {
  return {
    operation: "command.denied",
    actor: denied.sender.id,
    ...(denied.origin.customerId ? { contact: denied.origin.customerId } : {}),
    outcome: "denied",
    command: denied.command,
    origin: denied.origin.kind,
    ...(denied.origin.roomId ? { room: denied.origin.roomId } : {}),
  };
}

/** Typed in a customer's chat (it ran) or in a group that takes no commands (refused). */
function customerVisibleRecord(info: CustomerVisibleCommand) {
  return {
    operation: info.ran ? "command.customer_visible" : "command.refused",
    actor: info.sender.id,
    ...(info.origin.customerId ? { contact: info.origin.customerId } : {}),
    outcome: info.ran ? "ok" : "refused",
    command: info.command,
    origin: info.origin.kind,
    ...(info.origin.roomId ? { room: info.origin.roomId } : {}),
    ...(info.recalled === undefined ? {} : { recalled: info.recalled }),
  };
}
