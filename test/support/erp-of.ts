import type { ErpConnection } from "../../plugins/zhibang-erp/connect.ts";
import { ZHIBANG_ERP, type ZhibangErpHandle } from "../../plugins/zhibang-erp/index.ts";
import type { ZhibangErpControl } from "../../plugins/zhibang-erp/plugin.ts";
import type { App } from "../../src/app/app.ts";

/** The ERP connection of an app running the 智邦 ERP plugin (its client, its embedded emulator). */
export function erpOf(app: App): ErpConnection {
  return erpHandle(app).connection;
}

/** What the app drives of the 智邦 ERP plugin besides its hooks (drain, syncPending, the khid scan). */
export function erpControlOf(app: App): ZhibangErpControl {
  return erpHandle(app).control;
}

function erpHandle(app: App): ZhibangErpHandle {
  const handle = app.plugins.instances.get(ZHIBANG_ERP)?.handle as ZhibangErpHandle | undefined;
  if (!handle) throw new Error(`the app runs no ${ZHIBANG_ERP} plugin (config.plugins: ${app.config.plugins.join(", ")})`);
  return handle;
}
