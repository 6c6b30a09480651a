import { DatabaseUrlError, databaseUrlFromEnv } from "../db/database-url.ts";
import { ConfigError } from "./errors.ts";
import type { Secrets } from "./schema.ts";

/**
 * Environment variables that override file keys (the environment wins over every file).
 * Each maps to a dotted config path; `number`/`boolean` values are parsed here so a
 * wrong value is reported under the variable's own name.
 */
export const ENV_OVERRIDES: ReadonlyArray<{
  variable: string;
  path: string;
  type: "string" | "number" | "boolean" | "list";
}> = [
  { variable: "WXERP_ERP_BASE_URL", path: "erp.baseUrl", type: "string" },
  { variable: "WXERP_DATA_DIR", path: "dataDir", type: "string" },
  { variable: "WXERP_LOG_LEVEL", path: "log.level", type: "string" },
  { variable: "WXERP_LOCALE", path: "locale", type: "string" },
  { variable: "WXERP_PUPPET", path: "wechat.puppet", type: "string" },
  { variable: "WXERP_SCORER", path: "scorer.provider", type: "string" },
  { variable: "WXERP_SCORER_MODEL", path: "scorer.model", type: "string" },
  { variable: "WXERP_DASHBOARD_HOST", path: "dashboard.host", type: "string" },
  { variable: "WXERP_DASHBOARD_PORT", path: "dashboard.port", type: "number" },
  { variable: "WXERP_SYNC_AUTO", path: "sync.auto", type: "boolean" },
  { variable: "WXERP_DEMO", path: "wechat.demo", type: "boolean" },
  { variable: "WXERP_RUN_ACCOUNTS", path: "wechat.runAccounts", type: "list" },
];

export function readSecrets(env: NodeJS.ProcessEnv): Secrets {
  const pick = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const secrets: Secrets = {};
  const set = (key: Exclude<keyof Secrets, "accountTokens">, value: string | undefined) => {
    if (value !== undefined) secrets[key] = value;
  };
  set("erpUsername", pick("WXERP_ERP_USERNAME"));
  set("erpPassword", env.WXERP_ERP_PASSWORD === undefined || env.WXERP_ERP_PASSWORD === "" ? undefined : env.WXERP_ERP_PASSWORD);
  set("openaiApiKey", pick("OPENAI_API_KEY"));
  set("openaiBaseUrl", pick("OPENAI_BASE_URL"));
  set("visionApiKey", pick("WXERP_VISION_API_KEY"));
  set("visionBaseUrl", pick("WXERP_VISION_BASE_URL"));
  set("puppetToken", pick("WECHATY_PUPPET_SERVICE_TOKEN"));
  set("puppetEndpoint", pick("WECHATY_PUPPET_SERVICE_ENDPOINT"));
  set("dashboardToken", pick("WXERP_DASHBOARD_TOKEN"));
  set("alertWebhookUrl", pick("WXERP_ALERT_WEBHOOK_URL"));
  set("databaseUrl", databaseUrl(env));
  return secrets;
}

function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return databaseUrlFromEnv(env);
  } catch (error) {
    if (error instanceof DatabaseUrlError) throw new ConfigError(error.message);
    throw error;
  }
}
