import type { Logger } from "../logging/logger.ts";
import type { StopReason } from "./stop-triggers.ts";

/**
 * The longest a stop may take before the process exits anyway. Saving normally takes well under
 * a second; the bound is for a part that hangs (a WeChat gateway that does not answer). It stays
 * at Docker's default grace period so `docker stop` never has to SIGKILL a bot that is still
 * saving. A stop cut short loses nothing: unfinished outbox jobs resume at the next start and the
 * stale lock of a gone process is taken over.
 */
export const SHUTDOWN_BOUND_MS = 10_000;

export interface GracefulStopOptions {
  /** Closes everything that is open (the dashboard, then the app). */
  close: () => Promise<void>;
  say: (zh: string, en: string) => void;
  logger: Logger;
  boundMs?: number;
  /** Tests pass a spy. */
  exit?: (code: number) => void;
}

export interface GracefulStop {
  /** True once a stop was asked for (the start sequence stops starting things). */
  readonly requested: boolean;
  /** Starts the stop; repeated requests (a second Ctrl+C, npm passing the signal on) join the first. */
  request(reason: StopReason): Promise<void>;
}

export function gracefulStop(options: GracefulStopOptions): GracefulStop {
  const { say, logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const boundMs = options.boundMs ?? SHUTDOWN_BOUND_MS;
  let stopping: Promise<void> | undefined;

  async function stop(reason: StopReason): Promise<void> {
    announce(reason, say);
    logger.info({ reason }, "stopping");
    // Not unref'd: if a close hangs with nothing else pending, this timer is what ends the process.
    const bound = setTimeout(() => {
      logger.error({ reason, boundMs }, "stopping took too long: exiting without waiting for the rest");
      say(
        `停止超过 ${boundMs / 1000} 秒，强制退出（未完成的 ERP 任务会在下次启动时继续）。`,
        `Stopping took longer than ${boundMs / 1000} s: exiting anyway (unfinished ERP jobs resume at the next start).`,
      );
      void flush(logger).then(() => exit(1));
    }, boundMs);
    try {
      await options.close();
    } catch (error) {
      logger.error({ err: error }, "error while stopping");
    }
    clearTimeout(bound);
    logger.info({ reason }, "stopped");
    say("已停止，数据已保存。", "Stopped; data saved.");
    await flush(logger);
    exit(0);
  }

  return {
    get requested() {
      return stopping !== undefined;
    },
    request(reason) {
      stopping ??= stop(reason);
      return stopping;
    },
  };
}

function announce(reason: StopReason, say: (zh: string, en: string) => void): void {
  if (reason === "parent exited")
    say(
      "\n启动机器人的进程（npm）已退出，正在停止（保存数据）…",
      "\nThe process that started the bot (npm) has exited: stopping (saving data)…",
    );
  else say(`\n收到 ${reason}，正在停止（保存数据）…`, `\n${reason}: stopping (saving data)…`);
}

/** Lets the log file receive the last lines before the process exits (bounded: a stuck disk must not hold the exit). */
function flush(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 1_000);
    logger.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
