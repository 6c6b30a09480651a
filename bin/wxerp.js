#!/usr/bin/env node
// The installed `wxerp` command. In a clone (bin/cli.ts is there) it runs the TypeScript entry
// through tsx's loader, so no build step is needed; in the packed package, which ships only
// compiled JavaScript, it runs dist/bin/cli.js.
import { existsSync } from "node:fs";

if (existsSync(new URL("./cli.ts", import.meta.url))) {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./cli.ts");
} else {
  await import("../dist/bin/cli.js");
}
