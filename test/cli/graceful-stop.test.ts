import { describe, expect, it, vi } from "vitest";
import { gracefulStop } from "../../src/cli/graceful-stop.ts";
import { installStopTriggers, type StopReason, startedByNpm } from "../../src/cli/stop-triggers.ts";
import { silentLogger } from "../../src/logging/logger.ts";

function harness(close: () => Promise<void>, boundMs?: number) {
  const said: string[] = [];
  const exit = vi.fn<(code: number) => void>();
  const stop = gracefulStop({
    close,
    say: (zh) => said.push(zh),
    logger: silentLogger(),
    exit,
    ...(boundMs === undefined ? {} : { boundMs }),
  });
  return { stop, said, exit };
}

describe("stopping wxerp start", () => {
  it("a second signal while stopping (Ctrl+C from the terminal and from npm) joins the first stop", async () => {
    let finishClose: () => void = () => undefined;
    const close = vi.fn(() => new Promise<void>((resolve) => (finishClose = resolve)));
    const { stop, said, exit } = harness(close);
    const first = stop.request("SIGINT");
    const second = stop.request("SIGINT");
    expect(stop.requested).toBe(true);
    finishClose();
    await Promise.all([first, second]);
    expect(close).toHaveBeenCalledTimes(1);
    expect(exit.mock.calls).toEqual([[0]]);
    expect(said).toEqual(["\n收到 SIGINT，正在停止（保存数据）…", "已停止，数据已保存。"]);
  });

  it("says why when npm, which started the bot, is gone", async () => {
    const { stop, said, exit } = harness(async () => undefined);
    await stop.request("parent exited");
    expect(said[0]).toContain("启动机器人的进程（npm）已退出");
    expect(exit.mock.calls).toEqual([[0]]);
  });

  it("a close that hangs ends the process at the bound, with exit 1 and a sentence saying so", async () => {
    const { stop, said, exit } = harness(() => new Promise<void>(() => undefined), 50);
    void stop.request("SIGTERM");
    await vi.waitFor(() => expect(exit).toHaveBeenCalled(), { timeout: 20_000 });
    expect(exit.mock.calls).toEqual([[1]]);
    expect(said.at(-1)).toContain("停止超过 0.05 秒，强制退出");
    expect(said).not.toContain("已停止，数据已保存。");
  });

  it("every SIGINT and SIGTERM reaches the stop, not only the first (no fall back to Node's default kill)", () => {
    const reasons: StopReason[] = [];
    const listenersBefore = process.listenerCount("SIGINT");
    const remove = installStopTriggers((reason) => reasons.push(reason), { watchParent: false });
    try {
      process.emit("SIGINT", "SIGINT");
      process.emit("SIGINT", "SIGINT");
      process.emit("SIGTERM", "SIGTERM");
    } finally {
      remove();
    }
    expect(reasons).toEqual(["SIGINT", "SIGINT", "SIGTERM"]);
    expect(process.listenerCount("SIGINT")).toBe(listenersBefore);
  });

  it("knows npm started it from the variable npm sets for its scripts", () => {
    expect(startedByNpm({ npm_lifecycle_event: "start" })).toBe(true);
    expect(startedByNpm({ npm_lifecycle_event: "npx" })).toBe(true);
    expect(startedByNpm({})).toBe(false);
  });
});
