import { CommandDefinitionError } from "./errors.ts";
import type { CommandDefinition } from "./types.ts";

const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

/**
 * Rejects a definition the router could never match, with a message saying how to fix it
 * (grammY rejects a leading "/" the same way). Duplicates are checked by the registry.
 */
export function validateDefinition(definition: CommandDefinition, prefix: string): void {
  const { name } = definition;
  if (name.startsWith("/")) {
    throw new CommandDefinitionError(
      name,
      `command name "${name}" must not start with "/": register it as "${name.replace(/^\/+/, "").split(/\s+/).pop() ?? ""}" (the router adds the prefix "${prefix}")`,
    );
  }
  if (name.toLowerCase().startsWith(prefix.toLowerCase())) {
    throw new CommandDefinitionError(name, `command name "${name}" must not include the prefix "${prefix}": the router adds it`);
  }
  if (!NAME_PATTERN.test(name)) {
    throw new CommandDefinitionError(
      name,
      `command name "${name}" must be one lower-case word (a-z, digits and "-", starting with a letter)`,
    );
  }
  if (definition.description.zh.trim() === "" || definition.description.en.trim() === "") {
    throw new CommandDefinitionError(name, `command "${name}" needs a description in both zh and en (shown by help)`);
  }
  validateArity(definition);
}

function validateArity({ name, minArgs, maxArgs }: CommandDefinition): void {
  for (const [key, value] of [
    ["minArgs", minArgs],
    ["maxArgs", maxArgs],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new CommandDefinitionError(name, `command "${name}": ${key} must be a whole number ≥ 0, got ${value}`);
    }
  }
  if (minArgs !== undefined && maxArgs !== undefined && minArgs > maxArgs) {
    throw new CommandDefinitionError(name, `command "${name}": minArgs (${minArgs}) is greater than maxArgs (${maxArgs})`);
  }
}
