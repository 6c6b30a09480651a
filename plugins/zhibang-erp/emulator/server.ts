import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BodyParseError, buildRequest, isAcceptedContentType, parseBodyText, type ZbRequest } from "./body-parser.ts";
import { EmulatorCore } from "./emulator-core.ts";
import { methodNotAllowed, notFound, type Reply, zbServerError } from "./envelope.ts";
import { deliverFault } from "./fault-replies.ts";
import { type FaultPlan, latencyFor, planFault } from "./faults.ts";
import { handleInspection } from "./inspect.ts";
import { StatePersistence } from "./persistence.ts";
import { type RenderedReply, renderReply } from "./render.ts";
import { resolveRoute } from "./router.ts";
import type { Route } from "./routes/context.ts";
import type { AppliedCall, EmulatorFaults, EmulatorOptions, RunningEmulator } from "./types.ts";

const MAX_BODY_BYTES = 1_048_576;

class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new BodyTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`));
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** The HTTP side: body reading, latency, fault injection, hang tracking, shutdown. */
class EmulatorServer {
  readonly server: Server;
  private readonly hangs = new Set<NodeJS.Timeout>();
  private readonly delays = new Set<() => void>();
  private closing = false;

  constructor(readonly core: EmulatorCore) {
    this.server = createServer((request, response) => {
      this.onRequest(request, response).catch((error: unknown) => this.onUnexpected(response, error));
    });
  }

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://emulator.invalid");
    const bodyText = await readBody(request).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) response.writeHead(413).end();
      throw error;
    });
    const path = url.pathname.toLowerCase();
    if (path.startsWith("/__emulator/")) return handleInspection(this.core, request, response, path, bodyText);
    this.core.state.callStarted();
    try {
      await this.answer(url, request, response, bodyText);
    } finally {
      this.core.state.callEnded();
    }
  }

  private async answer(url: URL, request: IncomingMessage, response: ServerResponse, bodyText: string): Promise<void> {
    const { zbRequest, parseError } = this.parse(url, request, bodyText);
    const route = resolveRoute(zbRequest);
    const allowGet = route?.category === null;
    if (request.method !== "POST" && !(allowGet && request.method === "GET"))
      return this.send(response, renderReply(methodNotAllowed(), this.core.faults));
    const category = route ? route.category : "unknown";
    if (category !== null) this.core.state.countCall(category);
    await this.delay(latencyFor(this.core.faults, this.core.random));
    if (this.closing) return;
    const plan = category === null ? undefined : planFault(this.core.faults, category, this.core.random);
    if (plan?.phase === "before") return this.fault(request, response, plan, undefined, zbRequest.path);
    const reply = this.reply(route, zbRequest, parseError);
    if (this.core.onApplied && category !== null) {
      await this.core.onApplied(appliedCall(category, zbRequest, reply));
      if (this.closing) return;
    }
    const rendered = renderReply(reply, this.core.faults);
    if (plan) return this.fault(request, response, plan, rendered, zbRequest.path);
    this.send(response, rendered);
  }

  private parse(url: URL, request: IncomingMessage, bodyText: string): { zbRequest: ZbRequest; parseError?: string } {
    const empty = buildRequest(url, request.headers, {});
    if (!isAcceptedContentType(request.headers["content-type"]))
      return { zbRequest: empty, parseError: `不支持的CONTENT_TYPE：${request.headers["content-type"]}` };
    try {
      return { zbRequest: buildRequest(url, request.headers, parseBodyText(bodyText)) };
    } catch (error) {
      if (error instanceof BodyParseError) return { zbRequest: empty, parseError: error.message };
      throw error;
    }
  }

  private reply(route: Route | undefined, request: ZbRequest, parseError: string | undefined): Reply {
    if (!route) return notFound(request.path);
    if (parseError !== undefined) return zbServerError(parseError);
    return this.core.run(route, request);
  }

  private send(response: ServerResponse, rendered: RenderedReply): void {
    response
      .writeHead(rendered.status, { "Content-Type": rendered.contentType, "Content-Length": rendered.body.length })
      .end(rendered.body);
  }

  private fault(
    request: IncomingMessage,
    response: ServerResponse,
    plan: FaultPlan,
    rendered: RenderedReply | undefined,
    path: string,
  ): void {
    this.core.state.countFailure(plan.kind);
    deliverFault({
      response,
      socket: request.socket,
      plan,
      rendered,
      path,
      hangMs: this.core.faults.hangMs,
      random: this.core.random,
      trackHang: (timer) => this.hangs.add(timer),
      untrackHang: (timer) => this.hangs.delete(timer),
    });
  }

  private delay(ms: number): Promise<void> {
    if (ms <= 0 || this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.delays.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.delays.add(done);
    });
  }

  /** A bug in a handler answers like the runtime's crash template rather than killing the server. */
  private onUnexpected(response: ServerResponse, error: unknown): void {
    if (error instanceof BodyTooLargeError || response.headersSent || response.destroyed) return;
    const message = error instanceof Error ? error.message : String(error);
    this.send(response, renderReply(zbServerError(message), this.core.faults));
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops listening, ends pending delays and hangs, and destroys every open socket. */
  async close(): Promise<void> {
    this.closing = true;
    for (const done of [...this.delays]) done();
    for (const timer of this.hangs) clearTimeout(timer);
    this.hangs.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

/** The test hook's view of a handled call (types.ts `onApplied`). */
function appliedCall(operation: AppliedCall["operation"], request: ZbRequest, reply: Reply): AppliedCall {
  const fields = Object.fromEntries([...request.query, ...request.datas]);
  const ok =
    reply.kind === "zb"
      ? String(reply.doc.header.status) === "0" && reply.doc.body !== undefined
      : reply.kind === "json" && (reply.value as { Code?: unknown } | null)?.Code === 200;
  return { operation, path: request.path, fields, ok };
}

/** Starts the emulator on host:port (default 127.0.0.1 and a free port). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const core = new EmulatorCore(options);
  if (options.stateFile) StatePersistence.load(core.state, options.stateFile);
  const persistence = options.stateFile ? new StatePersistence(core.state, options.stateFile) : undefined;
  const http = new EmulatorServer(core);
  const host = options.host ?? "127.0.0.1";
  const port = await http.listen(host, options.port ?? 0);
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    state: core.state,
    snapshot: () => core.snapshot(),
    setFaults: (partial: Partial<EmulatorFaults>) => core.setFaults(partial),
    expireAllSessions: () => core.sessions.expireAll(),
    currentCaptcha: (username: string) => core.guard.currentCaptcha(username),
    unlockLogins: (username?: string) => core.guard.unlock(username),
    moveStage: (ref: string, stage: string) => core.moveStage(ref, stage),
    close: async () => {
      await http.close();
      persistence?.close();
    },
  };
}
