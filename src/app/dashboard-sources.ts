import { Registry } from "prom-client";
import { accountIdOfThread } from "../accounts/accounts.ts";
import { qrAsSvg } from "../bot/login-qr.ts";
import type { AccountView, DashboardSources, HealthVerdict, WechatView } from "../dashboard/sources.ts";
import { mergeSnapshots } from "../monitoring/merge-snapshots.ts";
import { Monitoring } from "../monitoring/monitoring.ts";
import { nodeName } from "../monitoring/postgres-snapshots.ts";
import type { JobState } from "../outbox/index.ts";
import type { DashboardContribution } from "../plugins/types.ts";
import type { Thread } from "../store/types.ts";
import { AccountsRegistry } from "./account-metrics.ts";
import type { App } from "./app.ts";

/** The dashboard's view of a running app. */
export function dashboardSources(app: App): DashboardSources {
  const { store, outbox, config } = app;
  // What the plugins add: the tier of a score, the names of the people ids stand for.
  const contributions = [...app.plugins.instances.values()].flatMap((p) => (p.dashboard ? [p.dashboard] : []));
  const tierNamer = contributions.find((c) => c.tierName);
  const namers = contributions.filter((c) => c.userNames);
  const calibrator = contributions.find((c) => c.calibration);
  const accountOf = (thread: Thread) => accountIdOfThread(config, thread);
  const withContact = async (threadId: string) => {
    const thread = await store.getThread(threadId);
    return thread ? { thread, contact: await store.getContact(thread.contactId) } : undefined;
  };
  return {
    locale: config.locale,
    async listThreads(limit, filter = {}) {
      const all = await store.listThreads(filter.account === undefined ? { limit } : {});
      const threads = filter.account === undefined ? all : all.filter((t) => accountOf(t) === filter.account).slice(0, limit);
      // Newest conversation first: what a sales manager looks for.
      threads.sort((a, b) => (b.lastMessageAt ?? "").localeCompare(a.lastMessageAt ?? ""));
      return Promise.all(threads.map(async (thread) => ({ thread, contact: await store.getContact(thread.contactId) })));
    },
    getThread: withContact,
    async jobs(filter) {
      return outbox.list({
        ...(filter.states ? { states: filter.states as JobState[] } : {}),
        ...(filter.key ? { key: filter.key } : {}),
        ...(filter.limit ? { limit: filter.limit } : {}),
      });
    },
    jobCounts: () => outbox.counts(),
    async retryFailed(filter) {
      const count = await outbox.retryFailed(filter.ids ? { ids: filter.ids } : {});
      app.sync.kick();
      return count;
    },
    recentAudit: (limit) => app.audit.recent(limit) as Promise<Array<Record<string, unknown>>>,
    monitoring: app.monitoring,
    async teamMonitoring() {
      const others = await app.figures.readOthers();
      if (others.length === 0) return app.monitoring;
      return new Monitoring(new Registry(), Date.now, mergeSnapshots([app.monitoring.snapshot(), ...others]));
    },
    alerts: () => app.alerts.activeAlerts(),
    thresholds: config.alerts,
    // Several accounts: every account's WeChat and send series, labelled account="<id>".
    registry:
      app.accounts.length > 1
        ? new AccountsRegistry(
            app.registry,
            app.accounts.map((a) => a.registry),
          )
        : app.registry,
    wechat: (account) => wechatView(app, account),
    health: () => healthOf(app),
    tierName: (score) => (score === undefined ? "" : (tierNamer?.tierName?.(score) ?? "")),
    ...(namers.length > 0 ? { erpUserNames: () => userNamesOf(namers) } : {}),
    ...(calibrator
      ? {
          async calibration(days: number) {
            const threads = await store.listThreads();
            const withContacts = await Promise.all(
              threads.map(async (thread) => ({ thread, contact: await store.getContact(thread.contactId) })),
            );
            return calibrator.calibration!({ threads: withContacts, days, now: new Date() });
          },
        }
      : {}),
    accountOf,
    accounts: () => accountViews(app),
  };
}

async function userNamesOf(namers: DashboardContribution[]): Promise<ReadonlyMap<string, string>> {
  const merged = new Map<string, string>();
  for (const namer of namers) for (const [id, name] of (await namer.userNames?.()) ?? []) merged.set(id, name);
  return merged;
}

/**
 * The accounts' logins for the dashboard: this process's (with the QR code awaiting a scan),
 * and on PostgreSQL every other account of the team from the database. One account alone: none
 * (the pages then show no account column or filter, as before several accounts existed).
 */
async function accountViews(app: App): Promise<AccountView[]> {
  const own: AccountView[] = app.accounts.map(({ account, runtime }) => {
    const status = runtime?.status();
    return {
      id: account.id,
      ...(account.erpUser ? { erpUser: account.erpUser } : {}),
      controlChat: account.controlChat,
      loggedIn: runtime?.isLoggedIn() ?? false,
      ...(runtime?.selfId() ? { selfId: runtime.selfId()! } : {}),
      ...(status?.qrcode ? { qrcode: status.qrcode } : {}),
      ...(app.teamSessions ? { process: `${nodeName(app.config.dataDir)} (pid ${process.pid})`, running: true } : {}),
    };
  });
  const team = app.teamSessions ? await app.teamSessions().catch(() => []) : [];
  const others: AccountView[] = team
    .filter((s) => !own.some((a) => a.id === s.id))
    .map((s) => ({
      id: s.id,
      ...(s.erpUser ? { erpUser: s.erpUser } : {}),
      controlChat: s.controlChat,
      loggedIn: s.loggedIn,
      ...(s.selfId ? { selfId: s.selfId } : {}),
      process: `${s.node} (pid ${s.pid})`,
      running: s.running,
    }));
  const all = [...own, ...others];
  return all.length > 1 ? all : [];
}

/**
 * /healthz: not healthy while any account's WeChat is down, naming it (with several accounts)
 * so the supervisor's page says whose phone to pick up. Accounts of other processes are
 * those processes' own /healthz.
 */
function healthOf(app: App): HealthVerdict {
  for (const { account, wechat } of app.accounts) {
    const verdict = wechat?.health.verdict() ?? { ok: true };
    if (verdict.ok) continue;
    return app.accounts.length > 1
      ? { ...verdict, account: account.id, reason: `account ${account.id}: ${verdict.reason ?? "down"}` }
      : verdict;
  }
  return { ok: true };
}

/** The /wechat page's facts: the given account's (one of this process's), else the first's. */
async function wechatView(app: App, accountId?: string): Promise<WechatView | undefined> {
  const wiring = app.accounts.find((w) => w.account.id === accountId) ?? app.accounts[0];
  const runtime = wiring?.runtime;
  const wechat = wiring?.wechat;
  if (!runtime || !wechat) return undefined;
  const status = runtime.status();
  const gateway = runtime.gateway?.status();
  const iso = (date: Date | undefined) => date?.toISOString();
  const view: WechatView = {
    ...(app.accounts.length > 1 ? { account: wiring.account.id } : {}),
    puppet: runtime.puppetKind,
    loggedIn: status.loggedIn,
    verdict: wechat.health.verdict(),
  };
  const optional = {
    selfId: status.selfId,
    loginAt: iso(status.loginAt),
    lastEventAt: iso(status.lastHeartbeatAt),
    logoutAt: iso(status.logoutAt),
    logoutReason: status.logoutReason,
    qrcode: status.qrcode,
    qrSvg: status.qrcode ? await qrAsSvg(status.qrcode) : undefined,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(view, { [key]: value });
  if (gateway) {
    view.gateway = {
      endpoint: gateway.endpoint,
      state: gateway.state,
      since: gateway.since.toISOString(),
      reconnects: gateway.reconnects,
      ...(gateway.lastGapMs === undefined ? {} : { lastGapMs: gateway.lastGapMs }),
      ...(gateway.lastError === undefined ? {} : { lastError: gateway.lastError }),
    };
  }
  return view;
}
