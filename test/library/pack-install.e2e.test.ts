import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The package as a team installs it: `npm pack` (its prepack builds dist/), the tarball installed
 * into a fresh project beside wechaty and wechaty-puppet-mock, and examples/wechaty-plugin.ts run
 * there. The example is TypeScript, so the project installs tsx as its own dev dependency to run it;
 * wxerp itself is loaded from the tarball's compiled JavaScript (the tarball holds no .ts source,
 * checked below, and `import("wxerp")` works under plain node). Prints how long each step took.
 * Offline-first: npm's cache is used where it has the packages (--prefer-offline).
 */

const ROOT = resolve(import.meta.dirname, "../..");
const TIMEOUT_MS = 600_000;
const VERSIONS = { wechaty: "1.20.2", "wechaty-puppet-mock": "1.19.4", tsx: "4.23.15" };

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd, encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}

describe("npm pack → install in a fresh project → the Wechaty plugin example", { timeout: TIMEOUT_MS }, () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("installs without the sources and the example creates a customer it checked in the ERP", async () => {
    dir = await mkdtemp(join(tmpdir(), "wxerp-pack-"));
    const pack = await run("npm", ["pack", "--pack-destination", dir, "--json"], ROOT);
    expect(pack.code, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = packed!.files.map((f) => f.path);
    expect(files).toContain("dist/plugins/index.js");
    expect(files).toContain("dist/plugins/index.d.ts");
    expect(files).toContain("dist/config/default.yaml");
    // Compiled JavaScript only: no TypeScript source but the example.
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual(["examples/wechaty-plugin.ts"]);

    const project = join(dir, "team-bot");
    await mkdir(project);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "team-bot", private: true, type: "module" }));
    const install = await run(
      "npm",
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        join(dir, packed!.filename),
        `wechaty@${VERSIONS.wechaty}`,
        `wechaty-puppet-mock@${VERSIONS["wechaty-puppet-mock"]}`,
        `tsx@${VERSIONS.tsx}`,
      ],
      project,
    );
    expect(install.code, install.stderr).toBe(0);
    expect((await readdir(join(project, "node_modules", "wxerp"))).sort()).toEqual(
      expect.arrayContaining(["dist", "package.json", "README.md"]),
    );

    // Plain node, no loader: the package's entry is JavaScript.
    const plain = await run(
      process.execPath,
      ["--input-type=module", "-e", "const m = await import('wxerp'); console.log(typeof m.WxErp, typeof m.startErpEmulator)"],
      project,
    );
    expect(plain.stdout.trim(), plain.stderr).toBe("function function");

    await copyFile(join(ROOT, "examples", "wechaty-plugin.ts"), join(project, "wechaty-plugin.ts"));
    const example = await run(process.execPath, ["--import", "tsx", "wechaty-plugin.ts"], project);
    expect(example.code, example.stderr).toBe(0);
    // The example found the khid among the emulator's customers before printing it.
    expect(example.stdout).toMatch(/^created customer khid=WX\d{6} \(苏州远航科技有限公司\)$/m);

    console.log(
      `library mode: npm pack ${(pack.ms / 1000).toFixed(1)} s (build included), npm install ${(install.ms / 1000).toFixed(1)} s, example ${(example.ms / 1000).toFixed(1)} s`,
    );
  });
});
