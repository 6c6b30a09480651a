import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A tiny real HTTP server on 127.0.0.1 whose replies a test scripts, for reply shapes the
 * emulator does not produce (a missing login page, a captcha on the first try…).
 */

export interface ScriptedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  /** datas as a map (zsml bodies). */
  datas: Record<string, string>;
}

export type ScriptedReply =
  | { status?: number; body: string | object; contentType?: string; headers?: Record<string, string> }
  | "reset"
  | "hang";

export interface ScriptedServer {
  url: string;
  port: number;
  requests: ScriptedRequest[];
  close(): Promise<void>;
}

export async function startScriptedServer(reply: (request: ScriptedRequest) => ScriptedReply, port = 0): Promise<ScriptedServer> {
  const requests: ScriptedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      const datas = Object.fromEntries(((body.datas as Array<{ id: string; val: string }>) ?? []).map((d) => [d.id, d.val]));
      const request: ScriptedRequest = { path: req.url ?? "", headers: req.headers, body, datas };
      requests.push(request);
      const answer = reply(request);
      if (answer === "reset") {
        req.socket.destroy();
        return;
      }
      if (answer === "hang") return; // closeAllConnections() ends it

      const payload = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status ?? 200, {
        "Content-Type": answer.contentType ?? "application/json; charset=utf-8",
        ...answer.headers,
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const LOGIN_OK = {
  header: { status: 0, message: "ok", session: "TOKEN-1" },
  body: { model: "init", action: "sys", sys: { info: { ratebit: 600 } } },
};

export const SAVED = {
  header: { status: 0, message: "ok", session: "TOKEN-1" },
  body: { model: "message", message: { text: "保存成功" } },
};
