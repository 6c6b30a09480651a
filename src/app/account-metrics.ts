import { Gauge, type Registry } from "prom-client";
import type { AccountWiring } from "./account-wiring.ts";

/**
 * `wxerp_wechat_account_logged_in{account}`: 1 while an account's WeChat is logged in. The
 * other WeChat figures are the first account's (their names are the same for every account);
 * this one covers all of them, so a monitor sees the second salesperson's WeChat go down too.
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
