import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import axios, { type AxiosInstance, isAxiosError } from "axios";
import { ErpNetworkError, ErpTimeoutError } from "./errors.ts";

/**
 * The one place that talks HTTP: one axios instance, every status accepted (we read the
 * envelope ourselves), the body kept as text (the ERP's JSON needs lenient parsing), and
 * a hard deadline per request. Connection failures become ErpNetworkError/ErpTimeoutError.
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
      maxRedirects: 3,
    });
  }

  async post(request: HttpPost): Promise<HttpReply> {
    const signal = AbortSignal.timeout(request.timeoutMs);
    try {
      const response = await this.axios.post<string>(request.url, request.body, {
        headers: request.headers,
        signal,
        timeout: request.timeoutMs,
        ...(request.freshConnection ? this.unpooled : this.pooled),
      });
      return {
        httpStatus: response.status,
        text: typeof response.data === "string" ? response.data : String(response.data ?? ""),
      };
    } catch (error) {
      throw connectionError(error, request, signal.aborted);
    }
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

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "ERR_NETWORK" && code !== "ERR_BAD_RESPONSE") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
