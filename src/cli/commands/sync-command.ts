import { createApp } from "../../app/app.ts";
import { DirectoryInUseError } from "../../locking/errors.ts";
import type { PluginCatalog } from "../../plugins/types.ts";
import { cliLogger } from "../cli-logger.ts";
import { CliFailure } from "../exit.ts";
import { configFromOptions, type GlobalOptions } from "../options.ts";

/**
 * `wxerp sync`: one pass for cron, without WeChat. Every admitted thread not
 * yet in the ERP gets a job, failed jobs are released, and the outbox runs with back-off
 * timers ignored (each job at most once in this pass). Exit 1 when jobs are still failing.
 */
export async function runSync(options: GlobalOptions, plugins: PluginCatalog): Promise<void> {
  // Scores and writes to the ERP; never opens WeChat.
  const config = configFromOptions(options, ["erp", "llm"]);
  const { logger } = cliLogger(config);
  const en = config.locale === "en";
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(config, { logger, mode: "sync", plugins });
  } catch (error) {
    if (error instanceof DirectoryInUseError) throw new CliFailure(inUseMessage(error, config.dataDir, en));
    throw error;
  }
  try {
    await app.start();
    const { enqueued, scored } = await app.sync.syncPending("cli");
    const summary = await app.sync.drain({ ignoreBackoff: true });
    const counts = await app.outbox.counts();
    const line = en
      ? `sync: ${scored ? `${scored} unscored thread(s) scored first; ` : ""}${enqueued} thread(s) queued; jobs done ${summary.done}, failed ${summary.failed}, to retry ${summary.retried}; outbox now ${counts.pending} pending, ${counts.failed} failed`
      : `同步：${scored ? `先为 ${scored} 个未评分的会话评分；` : ""}新排队 ${enqueued} 个会话；任务完成 ${summary.done}，失败 ${summary.failed}，待重试 ${summary.retried}；队列剩余 待处理 ${counts.pending}，失败 ${counts.failed}`;
    process.stdout.write(`${line}\n`);
    if (counts.failed > 0 || counts.pending > 0) process.exitCode = 1;
  } finally {
    await app.stop();
  }
}

/** Who holds the data directory, and what to do: the bot → `/erp sync` in WeChat; another run → wait for it. */
function inUseMessage(error: DirectoryInUseError, dataDir: string, en: boolean): string {
  const { holder } = error;
  if (!holder) {
    const seconds = Math.ceil(error.staleAfterMs / 1000);
    return en
      ? `${dataDir} is in use by another process (the queue is locked); if no wxerp runs there, the lock expires by itself within ${seconds} s`
      : `${dataDir} 正被另一个进程使用（队列已锁定）；如果没有 wxerp 在运行，锁会在 ${seconds} 秒内自动失效`;
  }
  const who = `\`${holder.command}\`, pid ${holder.pid}`;
  if (holder.command === "wxerp start") {
    return en
      ? `the bot is running on ${dataDir} (the queue is locked by ${who}): use /erp sync in WeChat, or stop the bot first`
      : `机器人正在使用 ${dataDir}（队列已锁定：${who}）：请在微信里发送 /erp sync，或先停止机器人`;
  }
  return en
    ? `${dataDir} is in use by ${who} (the queue is locked): wait until it finishes, or stop it, then run wxerp sync again`
    : `${dataDir} 正被 ${who} 使用（队列已锁定）：等它结束或先停止它，再运行 wxerp sync`;
}
