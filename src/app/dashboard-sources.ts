import { Registry } from "prom-client";
import { calibrationReport } from "../../plugins/zhibang-erp/calibration/calibration-report.ts";
import { ErpUserNames } from "../../plugins/zhibang-erp/erp-user-names.ts";
import { tierForScore } from "../../plugins/zhibang-erp/mapping/erp-mapping.ts";
import { accountOfThread } from "../accounts/accounts.ts";
import { qrAsSvg } from "../bot/login-qr.ts";
import type { DashboardSources, WechatView } from "../dashboard/sources.ts";
import { mergeSnapshots } from "../monitoring/merge-snapshots.ts";
import { Monitoring } from "../monitoring/monitoring.ts";
import type { JobState } from "../outbox/index.ts";
import type { Thread } from "../store/types.ts";
import type { App } from "./app.ts";

/** The dashboard's view of a running app. */
export function dashboardSources(app: App): DashboardSources {
  const { store, outbox, config } = app;
  // Read from the ERP's user list now and then, not per page.
  const userNames = new ErpUserNames(() => app.erp.client.listUsers(), { logger: app.logger });
  const accountOf = (thread: Thread) => accountOfThread(config, thread).id;
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
      await app.erpControl.kick();
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
    registry: app.registry,
    wechat: () => wechatView(app),
    health: () => app.wechat?.health.verdict() ?? { ok: true },
    tierName: (score) => (score === undefined ? "" : (tierForScore(config.assignment.tiers, score)?.tier.name ?? "")),
    erpUserNames: () => userNames.current(),
    async calibration(days) {
      const threads = await store.listThreads();
      const withContacts = await Promise.all(
        threads.map(async (thread) => ({ thread, contact: await store.getContact(thread.contactId) })),
      );
      return calibrationReport({ threads: withContacts, client: app.erp.client, config, now: new Date(), days });
    },
    accountOf,
    ...(app.accounts.length > 1
      ? {
          accounts: () =>
            app.accounts.map(({ account, runtime }) => ({
              id: account.id,
              ...(account.erpUser ? { erpUser: account.erpUser } : {}),
              controlChat: account.controlChat,
              loggedIn: runtime?.isLoggedIn() ?? false,
              ...(runtime?.selfId() ? { selfId: runtime.selfId()! } : {}),
            })),
        }
      : {}),
  };
}

async function wechatView(app: App): Promise<WechatView | undefined> {
  const { runtime, wechat } = app;
  if (!runtime || !wechat) return undefined;
  const status = runtime.status();
  const gateway = runtime.gateway?.status();
  const iso = (date: Date | undefined) => date?.toISOString();
  const view: WechatView = { puppet: runtime.puppetKind, loggedIn: status.loggedIn, verdict: wechat.health.verdict() };
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
