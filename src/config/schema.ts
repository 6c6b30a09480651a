import { z } from "zod";
import { normalizeMobile } from "../privacy/mobile.ts";

/**
 * The configuration schema (README §6 lists the keys). Defaults live here, so `config/default.yaml`
 * only needs to say what a reader should see. Every object is strict: an unknown key is
 * an error that names it, never silently ignored (a typo must not fall back to a default).
 */

const USER_ID_RULE = 'an ERP user id (gate ord): digits, e.g. "123"';
/** YAML reads `users: [123]` as numbers; a whole number is the same id written without quotes. */
const userId = z.preprocess(
  (value) => (typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? String(value) : value),
  z.string({ error: USER_ID_RULE }).regex(/^\d+$/, USER_ID_RULE),
);

export const tierSchema = z
  .strictObject({
    minScore: z.number().int().min(0).max(100),
    /** Who gets the tier's customers in turn (assignment.mode tiers); with mode owner they may be left out. */
    users: z.array(userId).min(1).optional(),
    public: z.literal(true).optional(),
    name: z.string().optional(),
  })
  .refine((t) => !(t.users !== undefined && t.public === true), {
    message: "a tier has either users: [ids] or public: true, not both",
  });

/** An environment variable's name: where an account's secret is read from (never the secret itself). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One salesperson's WeChat account in a team process: its own puppet-service connection,
 * control chat and ERP user. The gateway token stays in the environment, under `tokenEnv`.
 */
export const accountSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "lower-case letters, digits, - or _ (up to 32), e.g. wang or sales-02"),
  erpUser: userId,
  tokenEnv: z.string().regex(ENV_NAME, "the NAME of an environment variable holding the token, e.g. WXERP_TOKEN_WANG").optional(),
  endpoint: z
    .string()
    .regex(/^[^\s:/]+:\d{1,5}$/, "the gateway's host:port, e.g. 10.0.0.5:8788")
    .optional(),
  controlChat: z.string().min(1).optional(),
});

const mobile = z
  .string()
  .refine((value) => normalizeMobile(value) !== undefined, "an 11-digit mainland mobile number, e.g. 13912345678");

/**
 * Whose 1:1 chats are customers'. `all`: every contact (WeChat's own accounts and `ignore`
 * excepted); `tag`: contacts carrying one of `tags` (WeChat labels such as 客户); `addedAfter`:
 * contacts whose friend request wxerp saw on or after that date.
 */
export const customersSchema = z
  .strictObject({
    scope: z.enum(["all", "tag", "addedAfter"]).default("all"),
    tags: z.array(z.string().min(1)).default([]),
    addedAfter: z
      .string()
      .refine((v) => /^\d{4}-\d{2}-\d{2}(T.+)?$/.test(v) && !Number.isNaN(Date.parse(v)), "a date like 2026-11-01")
      .optional(),
    /** Contacts that are never customers: WeChat id, remark or exact nickname. */
    ignore: z.array(z.string().min(1)).default([]),
  })
  .superRefine((value, ctx) => {
    if (value.scope === "tag" && value.tags.length === 0)
      ctx.addIssue({ code: "custom", path: ["tags"], message: "scope tag needs at least one tag, e.g. tags: [客户]" });
    if (value.scope === "addedAfter" && value.addedAfter === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["addedAfter"],
        message: "scope addedAfter needs a date, e.g. addedAfter: 2026-11-01",
      });
  });

export const configSchema = z.strictObject({
  locale: z.enum(["zh", "en"]).default("zh"),
  dataDir: z.string().min(1).default("./data"),
  /**
   * The plugins to run, by name, in this order. The names are those of the catalog the entry point
   * passes in (plugins/index.ts); an unknown name is refused when the app starts.
   */
  plugins: z
    .array(z.string().regex(/^[a-z][a-z0-9-]*$/, "a plugin name in kebab-case, e.g. zhibang-erp"))
    .default(["zhibang-erp"]),
  log: z
    .strictObject({ level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info") })
    .prefault({}),
  wechat: z
    .strictObject({
      puppet: z.enum(["mock", "service"]).default("mock"),
      /** Group chats (room ids or exact topics) whose messages are read; all others are ignored. */
      rooms: z.array(z.string().min(1)).default([]),
      /** Messages older than this at login are backlog: stored and scored, never run as commands. */
      backlogSeconds: z.number().int().min(0).default(120),
      /** Puppet watchdog: seconds without a heartbeat before the puppet is reset (PadLocal beats every 15 s). */
      timeoutSeconds: z.number().int().min(30).default(60),
      /**
       * Seconds WeChat may be logged out, unreachable or silent before /healthz answers 503 and
       * the webhook alert goes out (a reset or reconnection takes seconds; a logout alerts at once).
       */
      healthGraceSeconds: z.number().int().min(10).default(180),
      /** Bounded memory of seen message ids, for dedupe across restarts. */
      dedupeCapacity: z.number().int().min(100).default(50_000),
      /** Longest message text kept; longer text is cut with a marker. */
      maxMessageChars: z.number().int().min(100).default(4000),
      /** Messages kept per thread (older ones live on in the rolling summary). */
      historyPerThread: z.number().int().min(10).default(200),
      /** The embedded demo plays bundled sample conversations through the mock puppet. */
      demo: z.boolean().default(true),
      /**
       * Every message the bot sends goes through one paced queue: a protocol client that fires
       * messages back to back looks like a bot to WeChat's risk control (操作频繁).
       */
      sending: z
        .strictObject({
          /** Shortest pause between two sends; never below a second. */
          minIntervalSeconds: z.number().min(1).default(1),
          /** A random extra pause of up to this many seconds on top of the shortest one. */
          jitterSeconds: z.number().min(0).default(2),
          /** Notices (job failures, conflicts, alerts) sent per hour at most; command replies are not held by it. */
          noticesPerHour: z.number().int().min(1).default(20),
          /** A notice waits this long for others to fold into the same message (a burst becomes one digest). */
          gatherSeconds: z.number().min(0).default(10),
          /** A send that has not finished after this long counts as failed (a notice is tried again). */
          timeoutSeconds: z.number().min(1).default(30),
        })
        .prefault({}),
      /** Whose chats are customers' (scope, tags, a date, contacts to ignore). */
      customers: customersSchema.prefault({}),
      /** The salesperson's own mobile numbers: never taken as a customer's mobile. */
      selfMobiles: z.array(mobile).default([]),
      /**
       * Several salespeople's accounts in one process (docs/architecture.md, accounts). Absent: one
       * account, configured by the keys above and the WECHATY_PUPPET_SERVICE_* variables.
       */
      accounts: z
        .array(accountSchema)
        .min(1)
        .optional()
        .superRefine((accounts, ctx) => {
          const seen = new Set<string>();
          accounts?.forEach((account, index) => {
            if (seen.has(account.id))
              ctx.addIssue({ code: "custom", path: [index, "id"], message: `account id ${account.id} is listed twice` });
            seen.add(account.id);
          });
        }),
      /**
       * The accounts of wechat.accounts this process logs in (absent: all). A team that spreads its
       * accounts over several processes on one database gives every process the same wechat.accounts,
       * in the same order, and each its own runAccounts (or WXERP_RUN_ACCOUNTS=wang,li): a job
       * another process queued still finds its account's ERP user, and every process keys the first
       * account's conversations alike.
       */
      runAccounts: z.array(z.string().min(1)).min(1).optional(),
    })
    .prefault({}),
  scorer: z
    .strictObject({
      provider: z.enum(["heuristic", "openai"]).default("heuristic"),
      model: z.string().min(1).default("gpt-4o-mini"),
      timeoutMs: z.number().int().min(100).default(30_000),
      idleSeconds: z.number().int().min(0).default(120),
      maxPendingMessages: z.number().int().min(1).default(20),
      /** Messages quoted verbatim in the prompt; older ones are represented by the summary. */
      recentMessages: z.number().int().min(1).default(30),
      maxSummaryChars: z.number().int().min(100).default(1000),
      /** Replace mobile numbers by 138****8000 in what is sent to the LLM. */
      maskMobiles: z.boolean().default(true),
      /**
       * Placeholders (⟨姓名1⟩, ⟨邮箱1⟩…) for names, addresses, emails and personal numbers in what
       * is sent to the LLM, restored in its answer; amounts are never masked. `true`/`false` is
       * short for `{ enabled }`; `companies` masks company names too.
       */
      maskPersonalData: z
        .preprocess(
          (value) => (typeof value === "boolean" ? { enabled: value } : value),
          z.strictObject({ enabled: z.boolean().default(true), companies: z.boolean().default(false) }),
        )
        .prefault({}),
      /** Use the endpoint's JSON-schema structured output; false for servers that lack it. */
      structuredOutput: z.boolean().default(true),
      /**
       * The LLM's score never exceeds the offline score of the same messages by more than
       * this: customer text that talks the model into a score gains at most this much.
       */
      maxAboveOffline: z.number().int().min(0).max(100).default(10),
      concurrency: z.number().int().min(1).default(2),
      /**
       * Photos of business cards read by a vision-capable OpenAI-compatible model (qwen-vl,
       * gpt-4o-mini…). Off by default: with it off no image leaves the machine. Only images a
       * customer sends in their own 1:1 chat are sent; never the salesperson's, a colleague's or a group's.
       */
      vision: z
        .strictObject({
          enabled: z.boolean().default(false),
          model: z.string().min(1).default("gpt-4o-mini"),
          timeoutMs: z.number().int().min(100).default(30_000),
          /** Larger images are not sent (the endpoint would refuse or charge for them). */
          maxImageBytes: z.number().int().min(1024).default(5_000_000),
        })
        .prefault({}),
    })
    .prefault({}),
  admission: z.strictObject({ scoreThreshold: z.number().int().min(0).max(100).default(60) }).prefault({}),
  assignment: z
    .strictObject({
      /**
       * `tiers`: each tier's users in turn. `owner`: the ERP user of the account that chats with
       * the customer (tiers still set 价值评估 and may send low scores to the public pool).
       */
      mode: z.enum(["tiers", "owner"]).default("tiers"),
      tiers: z
        .array(tierSchema)
        .min(1)
        .default([
          { minScore: 80, users: ["123"], name: "gold" },
          { minScore: 60, users: ["456"], name: "normal" },
          { minScore: 0, public: true, name: "public" },
        ]),
    })
    .superRefine((value, ctx) => {
      if (value.mode !== "tiers") return;
      value.tiers.forEach((tier, index) => {
        if (tier.users === undefined && tier.public !== true)
          ctx.addIssue({
            code: "custom",
            path: ["tiers", index, "users"],
            message: "with assignment.mode tiers a tier has users: [ids] or public: true",
          });
      });
    })
    .prefault({}),
  erp: z
    .strictObject({
      /** `embedded` = the emulator started in-process on a free loopback port. */
      baseUrl: z
        .union([z.literal("embedded"), z.url({ protocol: /^https?$/, error: "expected embedded or an http(s):// URL" })])
        .default("embedded"),
      khidPrefix: z
        .string()
        .regex(/^[A-Za-z]{1,8}$/, "1 to 8 letters")
        .default("WX"),
      khidDigits: z.number().int().min(4).max(12).default(6),
      /**
       * Minutes between scans for a customer number of ours that someone else also holds (an ERP
       * that does not refuse a khid in use); 0 = never. See plugins/zhibang-erp/sync/khid-conflict-scan.ts.
       */
      khidScanMinutes: z.number().min(0).default(60),
      source: z.number().int().positive().default(171),
      sort1: z
        .strictObject({ category: z.number().int().positive().default(17), stage: z.number().int().positive().default(146) })
        .prefault({}),
      serialnum: z
        .string()
        .regex(/^[A-Za-z0-9-]{1,20}$/, "up to 20 letters or digits")
        .default("wxerp-bot-0001"),
      timeoutMs: z.number().int().min(100).default(15_000),
      retries: z.number().int().min(0).max(10).default(3),
      retryBaseMs: z.number().int().min(1).default(300),
      retryMaxMs: z.number().int().min(1).default(10_000),
      pageSize: z.number().int().min(1).max(500).default(100),
      /**
       * 跟进程度 names (the list's sort1name) that count as outcomes in `wxerp report calibration`:
       * `progressed` and `won` both count as progress, `won` also as a deal; any other stage
       * (潜在客户, the stage wxerp creates customers in) counts as not yet.
       */
      stages: z
        .strictObject({
          progressed: z.array(z.string().min(1)).default(["多次接触", "重点客户"]),
          won: z.array(z.string().min(1)).default(["已成交", "已签约"]),
        })
        .prefault({}),
      /**
       * ERP requests in flight at once, over every wxerp process on one database (advisory-lock
       * slots on PostgreSQL): the ERP is one IIS server.
       */
      maxConcurrentCalls: z.number().int().min(1).max(256).default(8),
      /** ERP requests started per second at most, over every process; unset = no bound. */
      maxCallsPerSecond: z.number().positive().max(10_000).optional(),
      /** Options for the embedded emulator (ignored for a real ERP). */
      emulator: z
        .strictObject({
          latencyMs: z.number().int().min(0).default(0),
          jitterMs: z.number().int().min(0).default(0),
          sessionTtlSeconds: z.number().int().min(1).default(3600),
        })
        .prefault({}),
    })
    .prefault({}),
  sync: z
    .strictObject({
      auto: z.boolean().default(true),
      concurrency: z.number().int().min(1).max(64).default(4),
      maxAttempts: z.number().int().min(1).default(8),
      backoffBaseMs: z.number().int().min(1).default(2_000),
      backoffMaxMs: z.number().int().min(1).default(300_000),
      /**
       * PostgreSQL (several processes): how long a process holds a job it took. When the process
       * dies, another one takes the job over this long after it was taken, from its checkpoint.
       * Longer than any one job runs (ERP calls time out well before). A job sends no ERP write
       * after half of it (docs/architecture.md §1.12): keep erp.timeoutMs under that half.
       */
      leaseSeconds: z.number().int().min(5).max(86_399).default(300),
      /** PostgreSQL: how often expired leases are looked for (by one of the processes). */
      leaseCheckSeconds: z.number().int().min(1).max(3_600).default(30),
    })
    .prefault({}),
  followup: z
    .strictObject({
      minIntervalMinutes: z.number().min(0).default(60),
      /** 跟进方式: 484 = 其他 (other). */
      sort: z.number().int().positive().default(484),
    })
    .prefault({}),
  commands: z
    .strictObject({
      prefix: z.string().regex(/^\S+$/, "no spaces").default("/erp"),
      /** WeChat contact ids allowed to run commands, besides the bot's own account. */
      staff: z.array(z.string().min(1)).default([]),
      /** Where replies and notes go: File Transfer, a chat only the salesperson reads. */
      controlChat: z.string().min(1).default("filehelper"),
      /**
       * Staff-only group chats (room id or exact topic) where commands run; replies still go
       * to the control chat. A group with any member who is not staff takes no commands.
       */
      rooms: z.array(z.string().min(1)).default([]),
      /** How long a 名片 or message forwarded into the control chat picks the customer for the next command. */
      pickMinutes: z.number().int().min(1).max(1440).default(10),
    })
    .prefault({}),
  dashboard: z
    .strictObject({
      enabled: z.boolean().default(true),
      host: z.string().min(1).default("127.0.0.1"),
      /** 0 = a free port, printed at start. */
      port: z.number().int().min(0).max(65535).default(7788),
      /** How long a browser stays logged in after opening the login URL. */
      sessionHours: z.number().positive().max(720).default(12),
      /** `Secure` on the session cookie: true behind HTTPS, "auto" when the proxy sends X-Forwarded-Proto: https. */
      secureCookies: z.union([z.boolean(), z.literal("auto")]).default("auto"),
    })
    .prefault({}),
  alerts: z
    .strictObject({
      minSuccessRate: z.number().min(0).max(1).default(0.8),
      maxAvgLatencyMs: z.number().min(0).default(5000),
      maxFailuresPerHour: z.number().int().min(0).default(10),
      maxDuplicatesPerDay: z.number().int().min(0).default(5),
      maxSessionExpiriesPerHour: z.number().int().min(0).default(3),
      /** How often the thresholds are checked. */
      checkIntervalSeconds: z.number().int().min(1).default(60),
    })
    .prefault({}),
});

export type FileConfig = z.infer<typeof configSchema>;
export type Tier = z.infer<typeof tierSchema>;

/** Secrets: read from the environment only, never from a file. */
export interface Secrets {
  erpUsername?: string;
  erpPassword?: string;
  openaiApiKey?: string;
  openaiBaseUrl?: string;
  /** The vision model's own endpoint and key (`scorer.vision`); OPENAI_* when unset. */
  visionApiKey?: string;
  visionBaseUrl?: string;
  puppetToken?: string;
  puppetEndpoint?: string;
  dashboardToken?: string;
  /** A WeCom, DingTalk or Feishu group robot's webhook for alerts that must not need WeChat. */
  alertWebhookUrl?: string;
  /** WXERP_DATABASE_URL: PostgreSQL holds the store, the audit log and the figures; unset = lowdb files. */
  databaseUrl?: string;
  /** Each account's gateway token, read from the variable its `tokenEnv` names (by account id). */
  accountTokens?: Record<string, string>;
}

export type AppConfig = FileConfig & { secrets: Secrets; configFiles: string[] };
