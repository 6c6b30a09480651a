import { ConfigError } from "../config/errors.ts";
import type { DrainSummary } from "../outbox/index.ts";
import type { CallStats, PluginCatalog, PluginContext, PluginDefinition, PluginInstance, SyncControl } from "./types.ts";

/** The plugins the configuration names, created in its order. */
export interface LoadedPlugins {
  readonly names: readonly string[];
  readonly instances: ReadonlyMap<string, PluginInstance>;
  /** Every plugin's outbox work as one (a no-op when no plugin has any). */
  readonly sync: SyncControl;
  /** Summed over the plugins that count calls. */
  callStats(): CallStats;
  /** Closes every created plugin, last first; errors are collected, not thrown half-way. */
  close(): Promise<void>;
}

/**
 * Looks up each name of `config.plugins` in the catalog; an unknown name is a ConfigError naming the
 * key (`plugins[1]`) and the names the catalog knows.
 */
export function resolvePlugins(names: readonly string[], catalog: PluginCatalog): PluginDefinition[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const definitions: PluginDefinition[] = [];
  for (const [index, name] of names.entries()) {
    const definition = Object.hasOwn(catalog, name) ? catalog[name] : undefined;
    if (!definition) {
      const known = Object.keys(catalog);
      problems.push(
        `plugins[${index}]: unknown plugin "${name}" (known: ${known.length > 0 ? known.join(", ") : "none in this build"})`,
      );
    } else if (seen.has(name)) {
      problems.push(`plugins[${index}]: "${name}" is listed twice`);
    } else {
      seen.add(name);
      definitions.push(definition);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join("; "), problems);
  return definitions;
}

/** Creates the configured plugins; a failure closes those already created before it is thrown. */
export async function loadPlugins(catalog: PluginCatalog, context: PluginContext): Promise<LoadedPlugins> {
  const definitions = resolvePlugins(context.config.plugins, catalog);
  const instances = new Map<string, PluginInstance>();
  try {
    for (const definition of definitions) instances.set(definition.name, await definition.create(context));
  } catch (error) {
    await closeAll([...instances.values()], context);
    throw error;
  }
  const list = [...instances.values()];
  const syncs = list.flatMap((instance) => (instance.sync ? [instance.sync] : []));
  return {
    names: [...instances.keys()],
    instances,
    sync: combinedSync(syncs),
    callStats() {
      const total: CallStats = { calls: 0, retries: 0, relogins: 0 };
      for (const instance of list) {
        const stats = instance.callStats?.();
        if (!stats) continue;
        total.calls += stats.calls;
        total.retries += stats.retries;
        total.relogins += stats.relogins;
      }
      return total;
    },
    close: () => closeAll(list, context),
  };
}

async function closeAll(instances: PluginInstance[], context: PluginContext): Promise<void> {
  for (const instance of [...instances].reverse()) {
    try {
      await instance.close();
    } catch (error) {
      context.logger.error({ err: error, plugin: instance.plugin.name }, "a plugin failed to close");
    }
  }
}

function combinedSync(syncs: SyncControl[]): SyncControl {
  return {
    async syncPending(actor) {
      const total = { enqueued: 0, scored: 0 };
      for (const sync of syncs) {
        const one = await sync.syncPending(actor);
        total.enqueued += one.enqueued;
        total.scored += one.scored;
      }
      return total;
    },
    async drain(options) {
      let total: DrainSummary | undefined;
      for (const sync of syncs) total = addSummaries(total, await sync.drain(options));
      return total ?? emptySummary();
    },
    kick() {
      for (const sync of syncs) sync.kick();
    },
  };
}

function emptySummary(): DrainSummary {
  return { done: 0, failed: 0, retried: 0 };
}

function addSummaries(total: DrainSummary | undefined, one: DrainSummary): DrainSummary {
  const sum = total ?? emptySummary();
  return { done: sum.done + one.done, failed: sum.failed + one.failed, retried: sum.retried + one.retried };
}
