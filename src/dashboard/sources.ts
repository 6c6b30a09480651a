import type { Registry } from "prom-client";
import type { ActiveAlert } from "../monitoring/alerts.ts";
import type { Monitoring } from "../monitoring/monitoring.ts";
import type { Contact, Thread } from "../store/types.ts";

/** A job as the dashboard shows it (the outbox's own type has more). */
export interface DashboardJob {
  id: string;
  kind: string;
  key: string;
  state: string;
  attempts: number;
  nextRunAt?: string;
  updatedAt?: string;
  lastError?: string;
}

/** WeChat's session and gateway connection as the dashboard shows them. */
export interface WechatView {
  /** Which account's facts these are (several accounts). */
  account?: string;
  puppet: string;
  loggedIn: boolean;
  selfId?: string;
  loginAt?: string;
  lastEventAt?: string;
  logoutAt?: string;
  logoutReason?: string;
  /** The login QR code's text and its picture, while a scan is awaited. */
  qrcode?: string;
  qrSvg?: string;
  gateway?: { endpoint: string; state: string; since: string; reconnects: number; lastGapMs?: number; lastError?: string };
  verdict: HealthVerdict;
}

export interface HealthVerdict {
  ok: boolean;
  /** With several accounts: the account that is down. */
  account?: string;
  reason?: string;
  since?: string;
}

/** A row of the calibration page: customers, how many progressed or were won, and the rates. */
export interface CalibrationTierView {
  tier: string;
  /** The tier's score range in the configuration ("≥ 80", "60–79"); "" for a tier no longer configured. */
  scores: string;
  /** Customers found in the ERP list (not-found ones are left out of every rate). */
  customers: number;
  progressed: number;
  won: number;
  notFound: number;
  /** progressed / customers (won included); null without customers. */
  precision: number | null;
  winRate: number | null;
}

/**
 * What the /calibration page shows: how the customers handed to the ERP N+ days ago have
 * fared per score tier and band, and a suggested admission threshold (the ERP plugin
 * computes it; `wxerp report calibration` prints the same).
 */
export interface CalibrationView {
  days: number;
  cutoff: string;
  stages: { progressed: string[]; won: string[] };
  evaluated: number;
  tooRecent: number;
  notFound: number;
  /** Of the evaluated, how many were already in the ERP when wxerp linked them. */
  existing: number;
  overall: { customers: number; progressed: number; won: number; rate: number | null };
  tiers: CalibrationTierView[];
  bands: Array<{ from: number; to: number; customers: number; progressed: number; rate: number | null }>;
  stageCounts: Record<string, number>;
  suggestion: {
    current: number;
    suggested?: number;
    /** English; `basis` holds the figures for other languages. */
    reason: string;
    basis:
      | { kind: "too few"; evaluated: number; needed: number }
      | { kind: "no progress"; evaluated: number }
      | { kind: "unranked"; evaluated: number; average: number }
      | { kind: "suggested"; evaluated: number; average: number; stoppedAt?: { from: number; to: number; rate: number } };
  };
}

/** One WeChat account of the process, as the dashboard lists it. */
export interface AccountView {
  id: string;
  erpUser?: string;
  controlChat: string;
  loggedIn: boolean;
  selfId?: string;
  /** The login QR code's text while the account waits for a scan (this process's accounts only). */
  qrcode?: string;
  /** On PostgreSQL: the process running the account, and false once it stopped or its heartbeat is stale. */
  process?: string;
  running?: boolean;
}

/**
 * Everything the dashboard reads, behind one small interface so the page code does not
 * know about lowdb, the outbox implementation or the ERP plugin.
 */
export interface DashboardSources {
  locale: "zh" | "en";
  /** Newest first; `account`: only that WeChat account's conversations. */
  listThreads(limit: number, filter?: { account?: string }): Promise<Array<{ thread: Thread; contact: Contact | undefined }>>;
  /**
   * The WeChat accounts and whether each is logged in (several accounts only): the process's,
   * and on PostgreSQL every account of the team whichever process runs it.
   */
  accounts?(): Promise<AccountView[]>;
  /** The id of the account a thread's conversation is on. */
  accountOf?(thread: Thread): string;
  getThread(id: string): Promise<{ thread: Thread; contact: Contact | undefined } | undefined>;
  jobs(filter: { states?: string[]; key?: string; limit?: number }): Promise<DashboardJob[]>;
  jobCounts(): Promise<Record<string, number>>;
  retryFailed(filter: { ids?: string[] }): Promise<number>;
  recentAudit(limit: number): Promise<Array<Record<string, unknown>>>;
  monitoring: Monitoring;
  /** The team's figures (every process's on PostgreSQL, this one's live); absent: `monitoring` alone. */
  teamMonitoring?: () => Promise<Monitoring>;
  alerts(): ActiveAlert[];
  thresholds: {
    minSuccessRate: number;
    maxAvgLatencyMs: number;
    maxFailuresPerHour: number;
    maxDuplicatesPerDay: number;
    maxSessionExpiriesPerHour: number;
  };
  registry: Registry;
  /** WeChat's state (the /wechat page); undefined when the app runs without WeChat. */
  wechat?(account?: string): Promise<WechatView | undefined>;
  /** What /healthz answers: ok, or why WeChat is down. Always ok when absent. */
  health?(): HealthVerdict;
  /** Tier name for a score ("gold", "normal", "public"). */
  tierName(score: number | undefined): string;
  /** ERP user id → name, to show beside the owner ids; absent or empty shows ids only. */
  erpUserNames?(): Promise<ReadonlyMap<string, string>>;
  /** The calibration report for customers linked at least `days` ago (reads the ERP's list); absent: no page. */
  calibration?(days: number): Promise<CalibrationView>;
}
