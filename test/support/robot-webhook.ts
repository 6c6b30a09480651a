/**
 * A group robot's webhook on 127.0.0.1, as WeCom, DingTalk and Feishu run them: it takes a
 * JSON POST and answers `{"errcode":0}` (Feishu: `{"code":0}`), or a refusal when told to.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RobotPost {
  path: string;
  body: Record<string, unknown>;
}

export interface RobotWebhook {
  /** The base URL (http://127.0.0.1:port); add the robot's path. */
  url: string;
  /** Accepted posts. */
  posts: RobotPost[];
  /** Every request, accepted or refused. */
  requests(): number;
  /** The next `count` posts are answered with this HTTP status and code. */
  refuseNext(count: number, status: number, code: number): void;
  close(): Promise<void>;
}

export async function startRobotWebhook(): Promise<RobotWebhook> {
  const posts: RobotPost[] = [];
  let refusals: Array<{ status: number; code: number }> = [];
  let requests = 0;
  const server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => {
      raw += chunk;
    });
    request.on("end", () => {
      requests++;
      const path = request.url ?? "/";
      const feishu = path.startsWith("/open-apis/");
      const refusal = refusals.shift();
      if (!refusal) posts.push({ path, body: JSON.parse(raw) as Record<string, unknown> });
      const code = refusal?.code ?? 0;
      response.writeHead(refusal?.status ?? 200, { "content-type": "application/json" });
      response.end(
        JSON.stringify(feishu ? { code, msg: code ? "refused" : "success" } : { errcode: code, errmsg: code ? "refused" : "ok" }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    requests: () => requests,
    refuseNext(count, status, code) {
      refusals = Array.from({ length: count }, () => ({ status, code }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
