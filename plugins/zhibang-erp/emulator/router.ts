import { param, type ZbRequest } from "./body-parser.ts";
import { zbMessage } from "./envelope.ts";
import { handleAssign } from "./routes/assign.ts";
import { handleContactForm, handleContactList, handleContactSave } from "./routes/contacts.ts";
import type { AuthedContext, Route } from "./routes/context.ts";
import { handleAllocate, handleCustomerSave, handleDetail } from "./routes/customers.ts";
import { handleCategoryList, handleEnumSource, handleGateList } from "./routes/enums.ts";
import { handleFollowup, handleFollowupList } from "./routes/followup.ts";
import { handleCustomerList } from "./routes/list.ts";
import { handleCaptchaImage, handleLogin, handleLogout } from "./routes/login.ts";
import { handleV3Add, handleV3Edit } from "./routes/v3.ts";

const SAVE_CMDKEY = "__sys_dosave";

const login: Route = { category: "login", auth: "none", handle: handleLogin };
const logout: Route = { category: "logout", auth: "none", handle: handleLogout };

/** cmdkeys the real add.asp knows but the emulator does not implement (protect, docs/zhibang-protocol.md §5.7). */
function unsupported(context: AuthedContext) {
  return zbMessage(context.session.token, `模拟器不支持该操作：${context.request.cmdkey}`);
}

/** custom/add.asp serves three calls: allocate (no cmdkey), detail (edit=1), save (__sys_dosave). */
function customerAddRoute(request: ZbRequest): Route {
  const cmdkey = request.cmdkey.toLowerCase();
  if (cmdkey === SAVE_CMDKEY) return { category: "save", auth: "zsml", handle: handleCustomerSave };
  if (cmdkey !== "") return { category: "unknown", auth: "zsml", handle: unsupported };
  if (param(request, "edit") === "1") return { category: "detail", auth: "zsml", handle: handleDetail };
  return { category: "allocate", auth: "zsml", handle: handleAllocate };
}

function contactAddRoute(request: ZbRequest): Route {
  if (request.cmdkey.toLowerCase() === SAVE_CMDKEY) return { category: "contact_add", auth: "zsml", handle: handleContactSave };
  return { category: "contact_detail", auth: "zsml", handle: handleContactForm };
}

/** Pages below /sysa/mobilephone/ (or /mobilephone/ when the site root is SYSA, docs/zhibang-protocol.md §1). */
const MOBILE_PAGES: Readonly<Record<string, (request: ZbRequest) => Route>> = {
  "login.asp": () => login,
  "logout.asp": () => logout,
  "getyzm.asp": () => ({ category: null, auth: "none", handle: handleCaptchaImage }),
  "salesmanage/custom/add.asp": customerAddRoute,
  "salesmanage/custom/list.asp": () => ({ category: "list", auth: "zsml", handle: handleCustomerList }),
  "systemmanage/order.asp": () => ({ category: "assign", auth: "zsml", handle: handleAssign }),
  "systemmanage/reply.asp": () => ({ category: "followup", auth: "zsml", handle: handleFollowup }),
  "systemmanage/replylist.asp": () => ({ category: "followup_list", auth: "zsml", handle: handleFollowupList }),
  "salesmanage/person/add.asp": contactAddRoute,
  "salesmanage/person/list.asp": () => ({ category: "contact_list", auth: "zsml", handle: handleContactList }),
  "source.asp": () => ({ category: "enum", auth: "zsml", handle: handleEnumSource }),
  "systemmanage/telsort_list.asp": () => ({ category: "enum", auth: "zsml", handle: handleCategoryList }),
  "systemmanage/gate_list.asp": () => ({ category: "gate_list", auth: "zsml", handle: handleGateList }),
};

const WEBAPI_PAGES: Readonly<Record<string, Route>> = {
  "/webapi/v3/ov1/login": login,
  "/webapi/v3/ov1/logout": logout,
  "/webapi/v3/sales/customer/edit": { category: "v3_edit", auth: "v3", handle: handleV3Edit },
  "/webapi/v3/sales/customer/add": { category: "v3_add", auth: "v3", handle: handleV3Add },
};

/** The mobile page of a path ("salesmanage/custom/add.asp"), or undefined outside /mobilephone/. */
export function mobilePage(path: string): string | undefined {
  const match = /^\/(?:sysa\/)?mobilephone\/(.+)$/.exec(path);
  return match?.[1];
}

/** The route of a call; undefined = unknown page (404). Paths are already lower-case. */
export function resolveRoute(request: ZbRequest): Route | undefined {
  const webapi = WEBAPI_PAGES[request.path.replace(/\/$/, "")];
  if (webapi) return webapi;
  const page = mobilePage(request.path);
  return page === undefined ? undefined : MOBILE_PAGES[page]?.(request);
}
