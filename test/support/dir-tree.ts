import { readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";

/** Every entry under a directory: relative path → kind, size and mtime (what "nothing changed" means on disk). */
export async function treeOf(root: string): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const info = await stat(path);
      tree[relative(root, path)] = `${entry.isDirectory() ? "dir" : "file"} ${info.size} bytes, mtime ${info.mtimeMs}`;
      if (entry.isDirectory()) await walk(path);
    }
  };
  await walk(root);
  return tree;
}

/** The same tree without the mtimes of the given entries (a running holder renews its lock directory on its own). */
export function withoutMtimeOf(tree: Record<string, string>, isRenewed: (path: string) => boolean): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tree).map(([path, line]) => [path, isRenewed(path) ? line.replace(/, mtime .*$/, ", mtime (renewed)") : line]),
  );
}
