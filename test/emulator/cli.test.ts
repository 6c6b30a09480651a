import { describe, expect, it } from "vitest";
import { pluginCatalog } from "../../plugins/index.ts";
import { emulatorOptionsFromFlags, runEmulatorCommand } from "../../plugins/zhibang-erp/cli/emulator-command.ts";
import { type EmulatorSnapshot, startEmulator } from "../../plugins/zhibang-erp/emulator/index.ts";
import { CliFailure, UsageError } from "../../src/cli/exit.ts";
import { buildProgram } from "../../src/cli/program.ts";
import { login } from "./helpers.ts";

describe("wxerp erp emulator flags", () => {
  it.each([
    [{ failureRate: "2" }, "--failure-rate"],
    [{ failureRate: "abc" }, "--failure-rate"],
    [{ silentNonSaveRate: "-0.1" }, "--silent-non-save-rate"],
    [{ port: "70000" }, "--port"],
    [{ latency: "fast" }, "--latency"],
    [{ jitter: "-5" }, "--jitter"],
    [{ sessionTtl: "0" }, "--session-ttl"],
    [{ failureKinds: "http500,explode" }, "--failure-kinds"],
    [{ failureRate: "0.5", failureKinds: "" }, "--failure-kinds"],
  ])("rejects %j naming %s", (flags, flag) => {
    expect(() => emulatorOptionsFromFlags(flags)).toThrow(UsageError);
    expect(() => emulatorOptionsFromFlags(flags)).toThrow(flag);
  });

  it("maps commander's defaults to emulator options", () => {
    const program = buildProgram(pluginCatalog());
    const emulatorCommand = program.commands.find((c) => c.name() === "erp")!.commands.find((c) => c.name() === "emulator")!;
    emulatorCommand.parseOptions(["--failure-rate", "0.3", "--failure-kinds", "reset,truncated", "--no-demo"]);
    expect(emulatorOptionsFromFlags(emulatorCommand.opts())).toEqual({
      host: "127.0.0.1",
      port: 18080,
      latencyMs: 0,
      jitterMs: 0,
      failureRate: 0.3,
      failureKinds: ["reset", "truncated"],
      sessionTtlSeconds: 3600,
      silentNonSaveRate: 0,
      seedDemo: false,
    });
  });
});

describe("wxerp erp emulator run", () => {
  it("prints the URL, credentials and env lines, serves until stopped, then closes", async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    let listening!: () => void;
    const started = new Promise<void>((resolve) => {
      listening = resolve;
    });
    const run = runEmulatorCommand(
      { port: "0", demo: false },
      {
        print: (line) => {
          lines.push(line);
          if (line.startsWith("Press Ctrl+C")) listening();
        },
        untilStopped: () => stopped,
      },
    );
    await started;
    const url = /listening on (\S+)/.exec(lines[0]!)![1]!;
    expect(lines).toContain(`  export WXERP_ERP_BASE_URL=${url}`);
    expect(lines).toContain("  export WXERP_ERP_USERNAME=wxerp");
    expect(lines).toContain("  export WXERP_ERP_PASSWORD=wxerp123");
    expect(lines.some((line) => line.includes(`curl -X POST ${url}/__emulator/faults`))).toBe(true);
    expect(lines).toContain(`  curl -X POST ${url}/__emulator/unlock`);
    const state = (await (await fetch(`${url}/__emulator/state`)).json()) as EmulatorSnapshot;
    expect(state.customers).toEqual([]);
    stop();
    await run;
    expect(lines.at(-1)).toBe("emulator stopped");
    await expect(fetch(`${url}/__emulator/state`)).rejects.toThrow();
  });

  it("fails with a sentence when the port is taken", async () => {
    const other = await startEmulator({ port: 0 });
    try {
      await login(other);
      const run = runEmulatorCommand({ port: String(other.port) }, { print: () => {}, untilStopped: () => Promise.resolve() });
      await expect(run).rejects.toThrow(CliFailure);
      await expect(run).rejects.toThrow(/in use/);
    } finally {
      await other.close();
    }
  });
});
