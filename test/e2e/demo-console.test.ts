import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleReporter } from "../../src/app/console-reporter.ts";
import { playDemo } from "../../src/demo/demo-player.ts";
import { type AppFixture, SALES, startAppFixture, waitFor } from "../support/app-fixture.ts";

/**
 * The demo of `npm start` as its console shows it: each command the salesperson types in the
 * bundled conversations appears with the reply the control chat received right after it.
 */
describe("the demo's console", () => {
  let fx: AppFixture;
  const printed: string[] = [];

  beforeAll(async () => {
    fx = await startAppFixture({ mode: "live" });
    fx.app.host.activityFeed.subscribe(consoleReporter(fx.app.store, (line) => printed.push(line)));
    await playDemo(fx.app, { pauseMs: 0 });
  }, 180_000);

  afterAll(async () => {
    await fx?.stop();
  }, 120_000);

  /** The index of the first printed line at or after `from` that contains `text` (-1: none yet). */
  const lineOf = (text: string, from = 0) => printed.findIndex((line, i) => i >= from && line.includes(text));
  /** Waits until such a line is printed (the console prints in order, a little after the event). */
  const printedLine = async (text: string, from = 0) => {
    await waitFor(() => lineOf(text, from) >= 0, `"${text}" on the console`, 60_000);
    return lineOf(text, from);
  };

  it("prints each command the salesperson types in 文件传输助手, naming the customer, then the reply", async () => {
    const verify = await printedLine(`${SALES.name}: /erp verify 137****6666 钱九-瑞丰物流`);
    await printedLine("→ filehelper: ✅ 已确认 钱九-瑞丰物流 的手机号 137****6666", verify + 1);

    const status = await printedLine(`${SALES.name}: /erp status 钱九-瑞丰物流`, verify + 1);
    await printedLine("→ filehelper: 钱九-瑞丰物流(WX", status + 1);
    // The habit the demo shows: no command in a customer's chat, so no reminder about one.
    expect(printed.join("\n")).not.toContain("的聊天里输入了");
  });

  it("shows on the console every message the control chat received, reply lines joined", async () => {
    const received = fx.controlReplies();
    expect(received.length).toBeGreaterThanOrEqual(2);
    for (const text of received) await printedLine(`→ filehelper: ${text.replace(/\n/g, " ⏎ ")}`);
    expect(printed.join("")).not.toContain("13755556666");
  });

  it("prints a command typed in the control chat, naming the customer, with its reply", async () => {
    const from = printed.length;
    const [reply] = await fx.command("/erp status 钱九-瑞丰物流");
    expect(reply?.text).toContain("钱九-瑞丰物流(WX");
    const typed = await printedLine(`${SALES.name}: /erp status 钱九-瑞丰物流`, from);
    await printedLine(`→ filehelper: ${reply!.text.split("\n")[0]}`, typed + 1);
  });
});
