import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { FaultPlan } from "./faults.ts";
import type { RenderedReply } from "./render.ts";

/** The headers an IIS/ASP host sends with its error pages. */
const IIS_HEADERS = { Server: "Microsoft-IIS/8.5", "X-Powered-By": "ASP.NET" };

const IIS_500_PAGE = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"/>
<title>500 - 内部服务器错误。</title></head><body><div id="header"><h1>服务器错误</h1></div>
<div id="content"><div class="content-container"><fieldset>
<h2>500 - 内部服务器错误。</h2><h3>您查找的资源存在问题，因而无法显示。</h3></fieldset></div></div></body></html>`;

function aspErrorPage(path: string): string {
  return `<font face="Arial" size=2>
<p>Microsoft VBScript 运行时错误</font> <font face="Arial" size=2>错误 '800a000d'</font>
<p><font face="Arial" size=2>类型不匹配: 'CLng'</font>
<p><font face="Arial" size=2>${path}</font><font face="Arial" size=2>，行 37</font>`;
}

/** A ZBDocument cut in half stands in when a "before" fault has no real reply to cut. */
const PLACEHOLDER_REPLY = Buffer.from(
  JSON.stringify({
    header: { status: 0, message: "ok", language: "cn" },
    body: { model: "message", message: { title: "系统提示", text: "ok" } },
  }),
  "utf8",
);

export interface FaultDelivery {
  response: ServerResponse;
  socket: Socket;
  plan: FaultPlan;
  /** The real reply when the operation ran first ("after" phase). */
  rendered: RenderedReply | undefined;
  path: string;
  hangMs: number;
  random: () => number;
  /** Registers a hang so close() can end it. */
  trackHang(timer: NodeJS.Timeout): void;
  untrackHang(timer: NodeJS.Timeout): void;
}

/** Sends (or withholds) the broken reply of an injected failure. */
export function deliverFault(delivery: FaultDelivery): void {
  const { response, socket, plan } = delivery;
  switch (plan.kind) {
    case "http500":
      response.writeHead(500, { ...IIS_HEADERS, "Content-Type": "text/html; charset=gb2312" }).end(IIS_500_PAGE);
      return;
    case "html":
      // Both are seen in the wild: the ASP error page with 500, and with 200.
      response
        .writeHead(delivery.random() < 0.5 ? 200 : 500, { ...IIS_HEADERS, "Content-Type": "text/html" })
        .end(aspErrorPage(delivery.path));
      return;
    case "reset":
      socket.resetAndDestroy();
      return;
    case "hang":
      hang(delivery);
      return;
    case "truncated":
      truncate(delivery);
      return;
  }
}

/** Holds the request past the client's timeout, then drops the connection without a reply. */
function hang(delivery: FaultDelivery): void {
  const { socket } = delivery;
  const timer = setTimeout(() => {
    delivery.untrackHang(timer);
    socket.destroy();
  }, delivery.hangMs);
  delivery.trackHang(timer);
  socket.once("close", () => {
    clearTimeout(timer);
    delivery.untrackHang(timer);
  });
}

/**
 * A valid reply cut in half: either a complete HTTP response whose JSON ends midway, or the
 * full Content-Length announced and the connection dropped after half the bytes.
 */
function truncate(delivery: FaultDelivery): void {
  const { response, socket } = delivery;
  const full = delivery.rendered?.body ?? PLACEHOLDER_REPLY;
  const half = full.subarray(0, Math.floor(full.length / 2));
  const contentType = delivery.rendered?.contentType ?? "application/json; charset=utf-8";
  if (delivery.random() < 0.5) {
    response.writeHead(200, { "Content-Type": contentType, "Content-Length": half.length }).end(half);
    return;
  }
  response.writeHead(200, { "Content-Type": contentType, "Content-Length": full.length });
  response.write(half, () => socket.destroy());
}
