import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";

/**
 * "did you mean …" for a mistyped config key: the known key at the same place in the
 * schema with the smallest edit distance, when it is close enough to be the likely intent
 * (a third of the key's length, at least two edits so a swapped pair such as modle finds
 * model; case is ignored, so khidprefix finds khidPrefix).
 */
export function suggestKey(schema: z.ZodType, path: ReadonlyArray<PropertyKey>, typed: string): string | undefined {
  const known = keysAt(schema, path);
  if (known.length === 0) return undefined;
  const lower = known.map((key) => key.toLowerCase());
  const wanted = typed.toLowerCase();
  const best = closest(wanted, lower);
  const allowed = Math.max(2, Math.floor(wanted.length / 3));
  return distance(wanted, best) <= allowed ? known[lower.indexOf(best)] : undefined;
}

/** The keys an object schema accepts at `path` (array indexes step into the element). */
function keysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let node: z.ZodType | undefined = unwrap(schema);
  for (const part of path) {
    if (node instanceof z.ZodObject) node = unwrap(node.shape[String(part)]);
    else if (node instanceof z.ZodArray) node = unwrap(node.element as z.ZodType);
    else return [];
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

/** Through `.default()` and `.prefault()` to the schema they wrap. */
function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let node = schema;
  while (node instanceof z.ZodDefault || node instanceof z.ZodPrefault) node = node.unwrap() as z.ZodType;
  return node;
}
