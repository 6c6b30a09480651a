import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import pino, { type DestinationStream, type Logger } from "pino";
import { maskDeep, maskText } from "../privacy/mask.ts";
import { consoleLineStream } from "./console-lines.ts";

export type { Logger } from "pino";

export interface LoggerOptions {
  level?: string;
  /** JSON lines to this file (all levels at or above `level`). */
  file?: string;
  /** Also write to stderr at or above this level ("silent" = never). */
  stderrLevel?: string;
  /** Tests: capture lines instead of writing them. */
  stream?: DestinationStream;
  /** stderr gets JSON lines instead of lines for a person (for log collectors). */
  json?: boolean;
}

/**
 * The one logger factory. Every line passes through the masking formatter: mobile
 * numbers become 138****8000, bank accounts ****1234, and secret fields never appear
 * (the pino `redact` list cannot see numbers inside free text, so we mask ourselves).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? "info";
  const streams: pino.StreamEntry[] = [];
  if (options.stream) streams.push({ level: level as pino.Level, stream: options.stream });
  if (options.file) {
    mkdirSync(dirname(options.file), { recursive: true });
    streams.push({ level: level as pino.Level, stream: pino.destination({ dest: options.file, sync: false, mkdir: true }) });
  }
  const stderrLevel = options.stderrLevel ?? (options.file || options.stream ? "silent" : level);
  if (stderrLevel !== "silent")
    streams.push({ level: stderrLevel as pino.Level, stream: options.json ? pino.destination(2) : consoleLineStream() });
  const minLevel = streams.length === 0 ? "silent" : level;
  return pino(
    {
      level: minLevel,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => maskDeep(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === "string" ? maskText(arg) : arg));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    pino.multistream(streams.length > 0 ? streams : [{ level: "fatal" as pino.Level, stream: nullStream() }]),
  );
}

function nullStream(): DestinationStream {
  return { write: () => undefined };
}

/** A logger that prints nothing (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
