import type { AssignTarget } from "./erp-port.ts";
import type { AssignmentTarget } from "./plan.ts";
import type { SyncDeps, SyncJobRun } from "./sync-context.ts";

/**
 * Assigns a customer to its tier's salesperson (round-robin, persisted) or the public pool.
 * The chosen target is checkpointed before the call; a resumed job reads the customer's
 * owners first and does not assign twice.
 */
export async function assignStep(deps: SyncDeps, run: SyncJobRun, ord: string, plan: AssignmentTarget): Promise<AssignTarget> {
  if (run.checkpoint.assignDone && run.checkpoint.assignTarget) return run.checkpoint.assignTarget;
  let target = run.checkpoint.assignTarget;
  if (target) {
    const current = await deps.erp.getCustomer(ord);
    if (current && alreadyAssigned(current.owners, current.public, target)) {
      await run.save({ assignDone: true });
      return target;
    }
  } else {
    // Not a customer this job just created: an earlier job may have assigned it and failed
    // before recording that (a lost reply, then parked). Owned by the tier already: done.
    if (run.checkpoint.link?.createdNew !== true && plan.tierIndex >= 0) {
      const current = await deps.erp.getCustomer(ord);
      const held = current && heldByTier(deps, plan, current.owners, current.public);
      if (held) {
        await run.save({ assignTarget: held, assignDone: true });
        return held;
      }
    }
    target = await chooseTarget(deps, plan);
    await run.save({ assignTarget: target });
  }
  await deps.erp.assign(ord, target);
  await run.save({ assignDone: true });
  const who = target.mode === "public" ? "public pool" : target.users.join(",");
  deps.events.activity("assigned", run.contactId, `assigned to ${who}${plan.tierName ? ` (${plan.tierName} tier)` : ""}`, {
    ord,
    target,
  });
  return target;
}

async function chooseTarget(deps: SyncDeps, plan: AssignmentTarget): Promise<AssignTarget> {
  if (plan.mode === "public") return { mode: "public" };
  if (plan.owner !== undefined) return { mode: "users", users: [plan.owner] };
  const users = deps.config.assignment.tiers[plan.tierIndex]?.users ?? [];
  const key = `erp.roundRobin.${plan.tierIndex}`;
  const next = (await deps.store.getValue<number>(key)) ?? 0;
  await deps.store.setValue(key, next + 1);
  return { mode: "users", users: [users[next % users.length]!] };
}

/** The customer's current owners when they already satisfy the tier (one of its users, or the public pool). */
function heldByTier(deps: SyncDeps, plan: AssignmentTarget, owners: string[], isPublic: boolean): AssignTarget | undefined {
  if (plan.mode === "public") return isPublic ? { mode: "public" } : undefined;
  const users = plan.owner !== undefined ? [plan.owner] : (deps.config.assignment.tiers[plan.tierIndex]?.users ?? []);
  const mine = owners.filter((owner) => users.includes(owner));
  return !isPublic && mine.length > 0 ? { mode: "users", users: mine } : undefined;
}

function alreadyAssigned(owners: string[], isPublic: boolean, target: AssignTarget): boolean {
  if (target.mode === "public") return isPublic;
  return !isPublic && target.users.every((u) => owners.includes(u));
}
