import { AggregatorRegistry, Gauge, Registry } from "prom-client";
import type { WechatAccount } from "../accounts/accounts.ts";
import type { AccountWiring } from "./account-wiring.ts";

/**
 * `wxerp_wechat_account_logged_in{account}`: 1 while an account's WeChat is logged in, one
 * series per account (also with one account, as before several existed).
 */
export function accountLoginGauge(registry: Registry, wirings: readonly AccountWiring[]): void {
  new Gauge({
    name: "wxerp_wechat_account_logged_in",
    help: "1 while the WeChat account is logged in, by account id",
    labelNames: ["account"],
    registers: [registry],
    collect() {
      for (const { account, runtime } of wirings) this.set({ account: account.id }, runtime?.isLoggedIn() ? 1 : 0);
    },
  });
}

/**
 * Where an account's WeChat and send figures are registered. One account: the process's
 * registry, unlabelled, as always. Several: a registry per account whose series all carry
 * `account="<id>"` (the first account's too, so every account is labelled the same way);
 * `/metrics` serves them together with the process's (`metricsOfAccounts`).
 */
export function accountRegistry(account: WechatAccount, several: boolean, main: Registry): Registry {
  if (!several) return main;
  const own = new Registry();
  own.setDefaultLabels({ account: account.id });
  return own;
}

/**
 * The process's registry plus the accounts' own, as one exposition: each metric name once,
 * one series per account. prom-client's AggregatorRegistry does the merge (it keeps series
 * with different labels apart; the names are the same in every account's registry).
 */
export class AccountsRegistry extends Registry {
  constructor(
    private readonly main: Registry,
    private readonly accounts: readonly Registry[],
  ) {
    super();
  }

  override async metrics(): Promise<string> {
    const all = await Promise.all([this.main, ...this.accounts].map((registry) => registry.getMetricsAsJSON()));
    return AggregatorRegistry.aggregate(all as never).metrics();
  }
}
