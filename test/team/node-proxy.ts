import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/** One ERP request as a node sent it. */
export interface SentRequest {
  /** Lower-case path without the query, e.g. /sysa/mobilephone/systemmanage/reply.asp. */
  path: string;
  body: string;
}

const ASSIGN = "/sysa/mobilephone/systemmanage/order.asp";
const FOLLOWUP = "/sysa/mobilephone/systemmanage/reply.asp";

/**
 * What one node of a team sends the ERP: an HTTP proxy in front of the shared emulator that
 * records each request. The emulator cannot tell the nodes apart (they log in as one user);
 * each node talking to its own proxy can.
 */
export async function nodeProxy(erpUrl: string) {
  const sent: SentRequest[] = [];
  const server = createServer((incoming, reply) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(incoming.url ?? "/", erpUrl);
      sent.push({ path: url.pathname.toLowerCase(), body: body.toString("utf8") });
      const upstream = request(url, { method: incoming.method, headers: incoming.headers }, (answer) => {
        reply.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(reply);
      });
      upstream.on("error", () => reply.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Requests so far: a mark for `assignmentsAndFollowupsSince`. */
    get count() {
      return sent.length;
    },
    /** Assignments and follow-ups this node sent from the mark on. */
    assignmentsAndFollowupsSince(mark: number): SentRequest[] {
      return sent.slice(mark).filter((r) => r.path === ASSIGN || r.path === FOLLOWUP);
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((closed) => server.close(() => closed()));
    },
  };
}
