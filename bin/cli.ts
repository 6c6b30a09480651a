#!/usr/bin/env node
/**
 * The `wxerp` command line with the plugins of this repository (plugins/index.ts). The only
 * file with side effects on import: it parses process.argv and sets the exit code.
 */
import { pluginCatalog } from "../plugins/index.ts";
import { runCli } from "../src/cli/main.ts";

await runCli(process.argv, pluginCatalog());
