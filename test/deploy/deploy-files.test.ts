import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { loadConfig } from "../../src/config/load.ts";

/**
 * The deployment files as a person uses them: compose.yaml's bot with .env.example's
 * variables loads config/team.example.yaml without an error, the image copies what its
 * command needs, and the systemd unit starts the installed command. (No Docker engine runs
 * here: building the image is not tested.)
 */
const ROOT = join(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** compose's ${VAR}, ${VAR:-default} and ${VAR:?message} against `env`, as compose resolves them. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_all, name: string, kind?: string, rest?: string) => {
    const given = env[name];
    if (given !== undefined && given !== "") return given;
    if (kind === "?") throw new Error(`compose refuses to start: ${rest}`);
    return kind === "-" ? (rest ?? "") : "";
  });
}

function envFileExample(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of read(".env.example").split("\n")) {
    const match = /^(\w+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}

describe("compose.yaml and config/team.example.yaml", () => {
  const compose = YAML.parse(read("compose.yaml"));
  const bot = compose.services.bot;

  it("runs the bot on the compose PostgreSQL with the team configuration, every secret from .env", () => {
    const dotenv = envFileExample();
    const env = Object.fromEntries(
      Object.entries(bot.environment as Record<string, string>).map(([name, value]) => [name, interpolate(value, dotenv)]),
    );
    const [command, subcommand, flag, configPath] = bot.command as string[];
    expect([command, subcommand, flag]).toEqual(["wxerp", "start", "--config"]);
    const inRepo = join(ROOT, (configPath as string).replace(/^\/app\//, ""));
    const config = loadConfig({ env, files: [inRepo] });
    expect(config.secrets.databaseUrl).toBe(`postgres://wxerp:${dotenv.WXERP_DB_PASSWORD}@postgres:5432/wxerp`);
    expect(config.dashboard.host).toBe("0.0.0.0");
    expect(config.wechat.puppet).toBe("service");
    expect(config.dataDir).toBe("/var/lib/wxerp");
    expect(bot.depends_on.postgres.condition).toBe("service_healthy");
    expect(compose.services.postgres.image).toBe("postgres:15");
  });

  it("refuses to start without the secrets, naming the missing variable", () => {
    expect(() => interpolate(bot.environment.WXERP_ERP_PASSWORD, {})).toThrow(/WXERP_ERP_PASSWORD/);
    expect(() => interpolate(compose.services.postgres.environment.POSTGRES_PASSWORD, {})).toThrow(/WXERP_DB_PASSWORD/);
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");

  it("is node 20, installs with npm ci and starts wxerp with a configuration it copied", () => {
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toMatch(/RUN npm ci/);
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(" "));
    for (const source of copied) expect(existsSync(join(ROOT, source)), source).toBe(true);
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd.slice(0, 3)).toEqual(["wxerp", "start", "--config"]);
    expect(copied).toContain("config");
    expect(existsSync(join(ROOT, cmd[3]!.replace(/^\/app\//, "")))).toBe(true);
  });
});

describe("the systemd unit", () => {
  const unit = read("docs/wxerp-team.service");

  it("starts the installed command with the secrets from an environment file", () => {
    expect(unit).toMatch(
      /^ExecStart=\/usr\/bin\/node \/opt\/wxerp\/bin\/wxerp\.js start --config \/etc\/wxerp\/config\.yaml --data \/var\/lib\/wxerp$/m,
    );
    expect(existsSync(join(ROOT, "bin/wxerp.js"))).toBe(true);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/wxerp\/wxerp\.env$/m);
    expect(read("docs/wxerp-team.env.example")).toMatch(/^WXERP_DATABASE_URL=postgres:\/\//m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  });
});
