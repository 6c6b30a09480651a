import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layers of docs/architecture.md, checked on the source text: the core (src/) never imports a
 * plugin, and a plugin reaches the core only through its public API (src/plugin-api.ts). The
 * composition root (plugins/index.ts, also the package entry) is the one file allowed to know both
 * sides, and it takes the core's side from its public entries only.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const PUBLIC_API = "src/plugin-api.ts";
const LIBRARY_API = "src/library/index.ts";
const COMPOSITION_ROOT = "plugins/index.ts";

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Every module specifier of an import or export (static or dynamic), resolved from the repository root. */
function importsOf(file: string, text = readFileSync(join(ROOT, file), "utf8")): string[] {
  const specifiers = [
    ...text.matchAll(/\b(?:import|export)\s[^;]*?\sfrom\s+["']([^"']+)["']/g),
    ...text.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
    ...text.matchAll(/^\s*import\s+["']([^"']+)["']/gm),
  ].map((match) => match[1]!);
  return specifiers.filter((s) => s.startsWith(".")).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

/** Files whose imports break the rule, with the offending paths. */
function offenders(files: string[], forbidden: (target: string) => boolean): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .filter(forbidden)
      .map((target) => `${file} → ${target}`),
  );
}

describe("layers", () => {
  it("src/ imports nothing under plugins/", () => {
    expect(offenders(tsFiles("src"), (target) => target.startsWith("plugins/"))).toEqual([]);
  });

  it("plugins reach the core only through src/plugin-api.ts", () => {
    const plugins = tsFiles("plugins").filter((file) => file !== COMPOSITION_ROOT);
    const breaches = offenders(plugins, (target) => target.startsWith("src/") && target !== PUBLIC_API);
    expect(breaches).toEqual([]);
  });

  it("the composition root takes the core from its public entries only (the plugin API, the library)", () => {
    const allowed = new Set([PUBLIC_API, LIBRARY_API]);
    expect(offenders([COMPOSITION_ROOT], (target) => target.startsWith("src/") && !allowed.has(target))).toEqual([]);
  });

  it("the checks see a breach (the scanner reads every import form)", () => {
    const file = "plugins/zhibang-erp/example.ts";
    const text = [
      'import { KeyedSerialQueue } from "../../src/intake/keyed-queue.ts";',
      "import type {\n  Thread,\n} from '../../src/store/types.ts';",
      'export { maskText } from "../../src/plugin-api.ts";',
      'const lazy = await import("../../src/intake/own-mobiles.ts");',
    ].join("\n");
    expect(importsOf(file, text)).toEqual([
      "src/intake/keyed-queue.ts",
      "src/store/types.ts",
      PUBLIC_API,
      "src/intake/own-mobiles.ts",
    ]);
  });
});
