import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import type { z } from "zod";
import { suggestKey } from "./did-you-mean.ts";
import { ENV_OVERRIDES, readSecrets } from "./env.ts";
import { ConfigError } from "./errors.ts";
import { type AppConfig, configSchema } from "./schema.ts";

export const DEFAULT_CONFIG_FILE = fileURLToPath(new URL("../../config/default.yaml", import.meta.url));

/** Keys that must never be in a file: secrets come from the environment. */
const SECRET_FILE_KEYS: Record<string, string> = {
  "erp.username": "WXERP_ERP_USERNAME",
  "erp.password": "WXERP_ERP_PASSWORD",
  "scorer.apiKey": "OPENAI_API_KEY",
  "scorer.baseUrl": "OPENAI_BASE_URL",
  "scorer.vision.apiKey": "WXERP_VISION_API_KEY",
  "scorer.vision.baseUrl": "WXERP_VISION_BASE_URL",
  "wechat.token": "WECHATY_PUPPET_SERVICE_TOKEN",
  "wechat.endpoint": "WECHATY_PUPPET_SERVICE_ENDPOINT",
  "dashboard.token": "WXERP_DASHBOARD_TOKEN",
  "database.url": "WXERP_DATABASE_URL",
};

/** The outside services whose secrets a command may need. */
export type ExternalService = "erp" | "llm" | "wechat";
export const ALL_SERVICES: readonly ExternalService[] = ["erp", "llm", "wechat"];

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /**
   * The services this run talks to: only their secrets are required (`wxerp erp check`
   * needs the ERP's and not the LLM key). Default: all of them, as the bot does.
   */
  uses?: readonly ExternalService[];
  /** Files merged in order over `config/default.yaml`. */
  files?: string[];
  /** Last-word overrides from the command line (e.g. `--data`). */
  overrides?: Record<string, unknown>;
  /** Skip `config/default.yaml` (tests that want only their own file). */
  withoutDefaultFile?: boolean;
}

/** Reads, merges and validates the configuration once at start-up. Throws ConfigError. */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = options.env ?? process.env;
  const files = [...(options.withoutDefaultFile ? [] : [DEFAULT_CONFIG_FILE]), ...(options.files ?? [])];
  let merged: Record<string, unknown> = {};
  for (const file of files) merged = deepMerge(merged, readYamlFile(file));
  merged = deepMerge(merged, envOverrides(env));
  if (options.overrides) merged = deepMerge(merged, options.overrides);

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => describeIssue(issue, env));
    throw new ConfigError(`invalid configuration:\n  - ${problems.join("\n  - ")}`, problems);
  }
  const config: AppConfig = { ...parsed.data, secrets: readSecrets(env), configFiles: files };
  checkAccounts(config);
  const tokens = readAccountTokens(config, env);
  if (tokens) config.secrets.accountTokens = tokens;
  checkRequiredSecrets(config, new Set(options.uses ?? ALL_SERVICES));
  return config;
}

function readYamlFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let data: unknown;
  try {
    data = YAML.parse(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new ConfigError(`config file ${file} must be a YAML mapping of keys (see config/example.yaml)`);
  }
  for (const [path, variable] of Object.entries(SECRET_FILE_KEYS)) {
    if (getPath(data as Record<string, unknown>, path) !== undefined) {
      throw new ConfigError(`${path} in ${file}: secrets are read from the environment only; remove it and set ${variable}`);
    }
  }
  return data as Record<string, unknown>;
}

function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { variable, path, type } of ENV_OVERRIDES) {
    const raw = env[variable];
    if (raw === undefined || raw === "") continue;
    let value: unknown = raw;
    if (type === "number") {
      value = Number(raw);
      if (!Number.isFinite(value)) throw new ConfigError(`${variable}=${raw}: expected a number`);
    } else if (type === "boolean") {
      if (!/^(true|false|1|0)$/i.test(raw)) throw new ConfigError(`${variable}=${raw}: expected true or false`);
      value = /^(true|1)$/i.test(raw);
    } else if (type === "list") {
      value = raw
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
    }
    setPath(out, path, value);
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv): string[] {
  const path = issue.path.join(".");
  const fromEnv = ENV_OVERRIDES.find((o) => o.path === path && env[o.variable] !== undefined && env[o.variable] !== "");
  const where = fromEnv ? `${fromEnv.variable} (${path})` : path || "(top level)";
  if (issue.code === "unrecognized_keys") return issue.keys.map((key) => unknownKey(issue.path, key));
  return [`${where}: ${issue.message}`];
}

/** One line per unknown key, with the known key it most likely meant. */
function unknownKey(parent: ReadonlyArray<PropertyKey>, key: string): string {
  const dotted = (name: string) => [...parent, name].join(".");
  const meant = suggestKey(configSchema, parent, key);
  return meant === undefined
    ? `unknown key ${dotted(key)}: check the spelling against config/example.yaml`
    : `unknown key ${dotted(key)}: did you mean ${dotted(meant)}?`;
}

/** Keys that only make sense together. */
function checkAccounts(config: AppConfig): void {
  if (config.assignment.mode === "owner" && !config.wechat.accounts) {
    throw new ConfigError(
      "assignment.mode: owner needs wechat.accounts (each with erpUser, the salesperson's ERP user id): the customer goes to the ERP user of the account that chats with them",
    );
  }
  const run = config.wechat.runAccounts;
  if (!run) return;
  const listed = config.wechat.accounts?.map((account) => account.id);
  if (!listed) throw new ConfigError("wechat.runAccounts names accounts of wechat.accounts, which is not set");
  run.forEach((id, index) => {
    if (!listed.includes(id))
      throw new ConfigError(`wechat.runAccounts.${index}: ${id} is not in wechat.accounts (listed: ${listed.join(", ")})`);
  });
}

/** Each account's token from the variable its tokenEnv names (the variable's presence is checked with the other secrets). */
function readAccountTokens(config: AppConfig, env: NodeJS.ProcessEnv): Record<string, string> | undefined {
  const accounts = config.wechat.accounts;
  if (!accounts) return undefined;
  const tokens: Record<string, string> = {};
  for (const account of accounts) {
    const value = account.tokenEnv ? env[account.tokenEnv]?.trim() : undefined;
    if (value) tokens[account.id] = value;
  }
  return tokens;
}

/** With wechat.accounts on the service puppet, every account names its token's variable, and the variable is set. */
function accountTokenProblems(config: AppConfig): string[] {
  const accounts = config.wechat.accounts;
  if (!accounts || config.wechat.puppet !== "service") return [];
  const run = config.wechat.runAccounts;
  return accounts.flatMap((account, index) => {
    // Another process logs this account in: its token is that process's.
    if (run && !run.includes(account.id)) return [];
    const key = `wechat.accounts.${index}.tokenEnv`;
    if (!account.tokenEnv)
      return [`${key}: account ${account.id} needs tokenEnv, the name of the variable holding its gateway token`];
    if (!config.secrets.accountTokens?.[account.id])
      return [`${account.tokenEnv} is not set (${key} of account ${account.id}: its puppet-service gateway token)`];
    return [];
  });
}

function checkRequiredSecrets(config: AppConfig, uses: ReadonlySet<ExternalService>): void {
  const problems: string[] = [];
  const { secrets } = config;
  if (uses.has("erp") && config.erp.baseUrl !== "embedded") {
    if (!secrets.erpUsername) problems.push("WXERP_ERP_USERNAME is not set (needed because erp.baseUrl is a real ERP)");
    if (!secrets.erpPassword) problems.push("WXERP_ERP_PASSWORD is not set (needed because erp.baseUrl is a real ERP)");
  }
  if (uses.has("llm") && config.scorer.provider === "openai" && !secrets.openaiApiKey) {
    problems.push("OPENAI_API_KEY is not set (needed because scorer.provider is openai; any value for a local Ollama/vLLM)");
  }
  if (uses.has("llm") && config.scorer.vision.enabled && !secrets.visionApiKey && !secrets.openaiApiKey) {
    problems.push("OPENAI_API_KEY (or WXERP_VISION_API_KEY) is not set (needed because scorer.vision.enabled is true)");
  }
  if (uses.has("wechat") && config.wechat.puppet === "service" && !config.wechat.accounts && !secrets.puppetToken) {
    problems.push("WECHATY_PUPPET_SERVICE_TOKEN is not set (needed because wechat.puppet is service)");
  }
  if (uses.has("wechat")) problems.push(...accountTokenProblems(config));
  if (secrets.alertWebhookUrl && !/^https?:\/\/[^\s/]+/.test(secrets.alertWebhookUrl)) {
    problems.push("WXERP_ALERT_WEBHOOK_URL is not an http(s) URL (a WeCom, DingTalk or Feishu group robot's webhook)");
  }
  if (problems.length > 0) throw new ConfigError(`missing secrets:\n  - ${problems.join("\n  - ")}`, problems);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars are replaced (a file's tier list wins whole). */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

function getPath(data: Record<string, unknown>, path: string): unknown {
  let node: unknown = data;
  for (const part of path.split(".")) {
    if (!isPlainObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

export function setPath(data: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = data;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}
