#!/usr/bin/env node
// The installed `wxerp` command: runs the TypeScript entry through tsx's loader, so a
// fresh clone needs no build step.
import { register } from "tsx/esm/api";

register();
await import("./cli.ts");
