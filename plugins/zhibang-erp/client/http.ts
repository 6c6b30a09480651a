import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from "axios";
import { ErpNetworkError, ErpRedirectError, ErpTimeoutError } from "./errors.ts";

/**
 * The one place that talks HTTP: one axios instance, every status accepted (we read the
 * envelope ourselves), the body kept as text (the ERP's JSON needs lenient parsing), and
 * a hard deadline per request. Connection failures become ErpNetworkError/ErpTimeoutError;
 * a redirect is never followed (it would resend the body, a login's password included, to
 * another address) and becomes ErpRedirectError.
 */

export interface HttpReply {
  httpStatus: number;
  text: string;
}

export interface HttpPost {
  operation: string;
  /** Path and query, e.g. `/sysa/mobilephone/salesmanage/custom/add.asp?intsort=1`. */
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /**
   * Send on a new connection. For writes that must not be repeated: a pooled keep-alive
   * socket the server has just closed fails with ECONNRESET, which we could not tell from a
   * reset after the ERP got the request; a new connection fails with ECONNREFUSED instead.
   */
  freshConnection?: boolean;
}

/** Idle pooled sockets are closed before a typical server would (Node 5 s, IIS 120 s) to avoid stale-socket resets. */
const IDLE_SOCKET_MS = 4_000;

export class ErpHttp {
  private readonly axios: AxiosInstance;
  private readonly pooled = {
    httpAgent: new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    httpsAgent: new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  private readonly unpooled = {
    httpAgent: new HttpAgent({ keepAlive: false }),
    httpsAgent: new HttpsAgent({ keepAlive: false }),
  };

  constructor(readonly baseUrl: string) {
    this.axios = axios.create({
      baseURL: baseUrl.replace(/\/+$/, ""),
      validateStatus: () => true,
      responseType: "text",
      responseEncoding: "utf8",
      // Keep the text as sent: axios would otherwise try JSON.parse, which rejects control characters.
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
    });
  }

  async post(request: HttpPost): Promise<HttpReply> {
    const signal = AbortSignal.timeout(request.timeoutMs);
    let response: AxiosResponse<string>;
    try {
      response = await this.axios.post<string>(request.url, request.body, {
        headers: request.headers,
        signal,
        timeout: request.timeoutMs,
        ...(request.freshConnection ? this.unpooled : this.pooled),
      });
    } catch (error) {
      throw connectionError(error, request, signal.aborted);
    }
    if (response.status >= 300 && response.status < 400) throw this.redirectError(request, response);
    return {
      httpStatus: response.status,
      text: typeof response.data === "string" ? response.data : String(response.data ?? ""),
    };
  }

  private redirectError(request: HttpPost, response: AxiosResponse<string>): ErpRedirectError {
    const requested = new URL(`${this.baseUrl.replace(/\/+$/, "")}${request.url}`);
    const header = response.headers.location;
    const location = typeof header === "string" && header !== "" ? shownAddress(header, requested) : undefined;
    const https = requested.protocol === "http:" && location?.startsWith("https:");
    const hint = https ? "the ERP wants HTTPS: use https:// in WXERP_ERP_BASE_URL" : "check WXERP_ERP_BASE_URL";
    return new ErpRedirectError(
      `the ERP redirected ${request.operation} (HTTP ${response.status}) to ${location ?? "an address it did not name"}: ${hint}`,
      { operation: request.operation, httpStatus: response.status, location },
    );
  }

  /** Closes pooled sockets (the process can exit without waiting for idle timeouts). */
  close(): void {
    this.pooled.httpAgent.destroy();
    this.pooled.httpsAgent.destroy();
  }
}

function connectionError(error: unknown, request: HttpPost, deadlinePassed: boolean): Error {
  const code = causeCode(error) ?? (isAxiosError(error) ? error.code : undefined);
  const target = `${request.operation} at ${request.url.split("?")[0]}`;
  if (deadlinePassed || code === "ECONNABORTED" || code === "ETIMEDOUT") {
    return new ErpTimeoutError(`the ERP did not answer ${target} within ${request.timeoutMs} ms`, {
      operation: request.operation,
      timeoutMs: request.timeoutMs,
      cause: error,
    });
  }
  const why =
    code === "ECONNREFUSED" ? "connection refused" : code === "ECONNRESET" ? "connection reset" : (code ?? "network error");
  return new ErpNetworkError(`cannot reach the ERP for ${target}: ${why}`, {
    operation: request.operation,
    code: code ?? "UNKNOWN",
    cause: error,
  });
}

/** The redirect target as a person may read it: no user, password or query (they may carry secrets). */
function shownAddress(location: string, requested: URL): string {
  try {
    const target = new URL(location, requested);
    return `${target.origin}${target.pathname}`;
  } catch {
    return "a malformed address";
  }
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "ERR_NETWORK" && code !== "ERR_BAD_RESPONSE") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
