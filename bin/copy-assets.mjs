// After `tsc -p tsconfig.build.json`: the files the compiled code reads beside itself
// (the default configuration, the SQL migrations, the demo conversations).
import { cpSync, mkdirSync } from "node:fs";

const copies = [
  ["config/default.yaml", "dist/config/default.yaml"],
  ["src/db/migrations", "dist/src/db/migrations"],
  ["src/demo/sample-conversations.jsonl", "dist/src/demo/sample-conversations.jsonl"],
];
mkdirSync("dist/config", { recursive: true });
for (const [from, to] of copies) cpSync(from, to, { recursive: true });
