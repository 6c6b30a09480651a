import { mock, PuppetMock } from "wechaty-puppet-mock";
import type { WechatAccount } from "../accounts/accounts.ts";
import type { AppConfig } from "../config/schema.ts";
import type { Logger } from "../logging/logger.ts";
import { GatewayPuppet } from "./gateway-puppet.ts";

export type PuppetKind = "mock" | "service";

export interface BuiltPuppet {
  // The puppet packages each bring their own wechaty-puppet typings; Wechaty takes any of them.
  puppet: unknown;
  kind: PuppetKind;
  mocker?: mock.Mocker;
  /** The gateway's host:port (service puppet), for messages and the reconnect logic. */
  endpoint?: string;
}

/** A configured puppet could not be built (missing token...); names what to set. */
export class PuppetConfigError extends Error {
  override readonly name = "PuppetConfigError";
}

/**
 * `mock`: an offline WeChat that the demo, the replay and the tests drive through the mocker.
 * `service`: wechaty-puppet-service with the token from the environment. The endpoint
 * (WECHATY_PUPPET_SERVICE_ENDPOINT, host:port) should be given: without it the client asks
 * the `wechaty://` discovery resolver, which crashes with the installed @grpc/grpc-js
 * ("Cannot use 'in' operator to search for 'port' in undefined"). TLS follows the gateway:
 * WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_CLIENT=true for a gateway started without TLS.
 */
export function buildPuppet(config: AppConfig, logger: Logger, account?: WechatAccount): BuiltPuppet {
  if (config.wechat.puppet === "mock") {
    const mocker = new mock.Mocker();
    return { puppet: new PuppetMock({ mocker }), kind: "mock", mocker };
  }
  const listed = account && config.wechat.accounts?.find((entry) => entry.id === account.id);
  const token = listed ? account.token : config.secrets.puppetToken;
  const endpoint = listed ? account.endpoint : config.secrets.puppetEndpoint;
  // Which setting to fix: the single-account variable, or the one an account's tokenEnv names.
  const tokenName = listed ? `${listed.tokenEnv ?? "tokenEnv"} (token of account ${listed.id})` : "WECHATY_PUPPET_SERVICE_TOKEN";
  if (!token) throw new PuppetConfigError(`${tokenName} is not set (needed because wechat.puppet is service)`);
  if (!/^.+_.+$/.test(token)) {
    throw new PuppetConfigError(`${tokenName} needs a prefix before "_" (e.g. puppet_padlocal_xxx, insecure_xxx)`);
  }
  if (token.startsWith("puppet_workpro_")) {
    throw new PuppetConfigError(
      `${tokenName} is a WorkPro (企业微信) token: wxerp works with personal WeChat only (WorkPro logs in with a verify code this bot cannot enter, has no File Transfer for replies, and names groups differently); use a PadLocal-style token (puppet_padlocal_…)`,
    );
  }
  if (!endpoint) {
    logger.warn(
      listed
        ? `wechat.accounts: account ${listed.id} has no endpoint: using token discovery, which crashes with current gRPC libraries; set host:port`
        : "WECHATY_PUPPET_SERVICE_ENDPOINT is not set: using token discovery, which crashes with current gRPC libraries; set host:port",
    );
  }
  const puppet = new GatewayPuppet({
    token,
    ...(endpoint ? { endpoint } : {}),
    timeoutSeconds: config.wechat.timeoutSeconds,
  });
  return { puppet, kind: "service", endpoint: endpoint ?? `token discovery (${token.split("_")[0]}_…)` };
}
