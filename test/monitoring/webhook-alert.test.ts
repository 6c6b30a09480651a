/**
 * The group-robot alert channel against a local robot: the body shape each robot takes, a
 * busy robot retried, a refusal (wrong key, keyword mismatch) given up at once and logged
 * without the key.
 */
import { Writable } from "node:stream";
import { afterEach, expect, it } from "vitest";
import { createLogger } from "../../src/logging/logger.ts";
import { WebhookAlerter, webhookBody } from "../../src/monitoring/webhook-alert.ts";
import { type RobotWebhook, startRobotWebhook } from "../support/robot-webhook.ts";

let robot: RobotWebhook | undefined;

afterEach(async () => {
  await robot?.close();
  robot = undefined;
});

function alerter(url: string, lines: string[] = []) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return new WebhookAlerter({ url, logger: createLogger({ level: "info", stream }), retries: 2, retryBaseMs: 10 });
}

it("shapes the text for WeCom and DingTalk, and for Feishu/Lark by host or path", () => {
  expect(webhookBody("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "wxerp x")).toEqual({
    msgtype: "text",
    text: { content: "wxerp x" },
  });
  expect(webhookBody("https://oapi.dingtalk.com/robot/send?access_token=t", "wxerp x")).toEqual({
    msgtype: "text",
    text: { content: "wxerp x" },
  });
  for (const url of ["https://open.feishu.cn/open-apis/bot/v2/hook/h", "https://proxy.example.com/open-apis/bot/v2/hook/h"]) {
    expect(webhookBody(url, "wxerp x")).toEqual({ msg_type: "text", content: { text: "wxerp x" } });
  }
});

it("retries a busy robot and reports the alert sent", async () => {
  robot = await startRobotWebhook();
  robot.refuseNext(2, 200, 45009); // WeCom: too many messages
  expect(await alerter(`${robot.url}/cgi-bin/webhook/send?key=k`).send("微信已退出登录")).toBe(true);
  expect(robot.requests()).toBe(3);
  expect(robot.posts).toEqual([
    { path: "/cgi-bin/webhook/send?key=k", body: { msgtype: "text", text: { content: "wxerp 微信已退出登录" } } },
  ]);
});

it("gives up at once on a refusal, and logs the robot's host, never its key", async () => {
  robot = await startRobotWebhook();
  robot.refuseNext(3, 200, 93000); // WeCom: invalid webhook URL
  const lines: string[] = [];
  expect(await alerter(`${robot.url}/cgi-bin/webhook/send?key=secret-robot-key`, lines).send("x")).toBe(false);
  expect(robot.posts).toEqual([]);
  const log = lines.join("");
  expect(log).toContain("could not send the alert to WXERP_ALERT_WEBHOOK_URL");
  expect(log).toContain("code 93000");
  expect(log).not.toContain("secret-robot-key");
  expect(robot.requests()).toBe(1); // not retried: a wrong key stays wrong
});
