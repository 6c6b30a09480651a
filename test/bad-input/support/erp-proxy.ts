import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the proxy saw it: the path (lower-cased, no query) and the JSON body text. */
export interface SeenRequest {
  path: string;
  query: string;
  body: string;
}

export interface UpstreamReply {
  status: number;
  contentType: string;
  text: string;
}

export interface TamperRule {
  /** Which request's reply to break (the first one that matches, once). */
  match(request: SeenRequest): boolean;
  change(reply: UpstreamReply): UpstreamReply;
  /** Filled in when the rule fired. */
  firedOn?: SeenRequest;
}

export interface TamperingProxy {
  url: string;
  /** Breaks the reply of the next matching request; rules fire in the order given, once each. */
  tamper(rule: TamperRule): TamperRule;
  close(): Promise<void>;
}

/**
 * A loopback proxy in front of the ERP emulator that rewrites chosen replies: the operation
 * still happens in the ERP, only its answer is broken (the hard case, docs/zhibang-protocol.md §3.4).
 */
export async function startTamperingProxy(targetUrl: string): Promise<TamperingProxy> {
  const target = new URL(targetUrl);
  const rules: TamperRule[] = [];
  const server = createServer((req, res) => {
    void readAll(req).then(async (body) => {
      const url = new URL(req.url ?? "/", "http://proxy.invalid");
      const seen: SeenRequest = { path: url.pathname.toLowerCase(), query: url.search, body };
      let reply = await forward(target, req, body);
      const rule = rules.find((r) => !r.firedOn && r.match(seen));
      if (rule) {
        rule.firedOn = seen;
        reply = rule.change(reply);
      }
      res.writeHead(reply.status, { "Content-Type": reply.contentType, "Content-Length": Buffer.byteLength(reply.text) });
      res.end(reply.text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tamper(rule) {
      rules.push(rule);
      return rule;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function forward(target: URL, req: IncomingMessage, body: string): Promise<UpstreamReply> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host, "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        void readAll(response).then((text) =>
          resolve({ status: response.statusCode ?? 502, contentType: String(response.headers["content-type"] ?? ""), text }),
        );
      },
    );
    upstream.on("error", reject);
    upstream.end(body);
  });
}

function readAll(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    stream.on("error", reject);
  });
}
