/**
 * Failed logins a username may have without a captcha: the vendor's rndcode is "only needed
 * after more than 3 failed logins" (只有用户名和密码失败次数超过3次才会需要输入, docs/zhibang-protocol.md §4.1).
 * So the 4th failure draws a captcha, and the 5th attempt must carry it.
 */
export const FAILURES_WITHOUT_CAPTCHA = 3;

interface FailureRecord {
  failures: number;
  captcha?: string;
}

export type GuardVerdict = { ok: true } | { ok: false; message: "请输入验证码" | "验证码错误" };

/**
 * Counts failed logins per username. Once more than three have failed, a login must also
 * carry the current captcha code; every failed attempt draws a new code, a success (or an
 * unlock through the inspection API) clears all.
 */
export class LoginGuard {
  private readonly records = new Map<string, FailureRecord>();

  constructor(private readonly random: () => number) {}

  /** Checks the captcha when one is due; a wrong or missing code draws a new one. */
  checkCaptcha(username: string, rndcode: string): GuardVerdict {
    const record = this.records.get(username);
    if (!record?.captcha) return { ok: true };
    if (rndcode === "") return { ok: false, message: "请输入验证码" };
    if (rndcode.toLowerCase() === record.captcha.toLowerCase()) return { ok: true };
    record.captcha = this.drawCode();
    return { ok: false, message: "验证码错误" };
  }

  recordFailure(username: string): void {
    const record = this.records.get(username) ?? { failures: 0 };
    record.failures += 1;
    if (record.failures > FAILURES_WITHOUT_CAPTCHA) record.captcha = this.drawCode();
    this.records.set(username, record);
  }

  recordSuccess(username: string): void {
    this.records.delete(username);
  }

  captchaRequired(username: string): boolean {
    return this.records.get(username)?.captcha !== undefined;
  }

  currentCaptcha(username: string): string | undefined {
    return this.records.get(username)?.captcha;
  }

  captchas(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [username, record] of this.records) if (record.captcha) result[username] = record.captcha;
    return result;
  }

  /** Forgets the failures of one username, or of all; returns the usernames whose captcha was due. */
  unlock(username?: string): string[] {
    const names = username === undefined ? [...this.records.keys()] : [username];
    const locked = names.filter((name) => this.records.get(name)?.captcha !== undefined);
    for (const name of names) this.records.delete(name);
    return locked;
  }

  clear(): void {
    this.records.clear();
  }

  private drawCode(): string {
    return String(Math.floor(this.random() * 10_000)).padStart(4, "0");
  }
}
