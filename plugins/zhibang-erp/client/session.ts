/**
 * The session token and its renewal (docs/zhibang-protocol.md §4.3). Logins are single-flight: any
 * number of concurrent calls that find the session expired share one login, and a call
 * that was sent with an older token than the current one retries with the current token
 * without logging in again.
 */
export class SessionKeeper {
  private token: string | undefined;
  private pending: Promise<string> | undefined;

  /**
   * @param login performs one login and returns the new token
   * @param onLogin told after each successful login, `relogin` = caused by an expired session
   */
  constructor(
    private readonly login: () => Promise<string>,
    private readonly onLogin: (relogin: boolean) => void,
  ) {}

  get currentToken(): string | undefined {
    return this.token;
  }

  /** The current token, logging in first if there is none. */
  async current(): Promise<string> {
    if (this.token !== undefined) return this.token;
    return this.loginOnce(false);
  }

  /** A fresh login, even if a token is held (`erp check`, explicit `login()`). */
  async fresh(): Promise<string> {
    return this.loginOnce(false, true);
  }

  /** Called with the token a rejected call was sent with; logs in again only if that is still current. */
  async renew(staleToken: string | undefined): Promise<string> {
    if (this.token !== undefined && this.token !== staleToken) return this.token;
    return this.loginOnce(true, true);
  }

  clear(): void {
    this.token = undefined;
  }

  private loginOnce(relogin: boolean, dropToken = false): Promise<string> {
    if (this.pending) return this.pending;
    if (dropToken) this.token = undefined;
    this.pending = this.login()
      .then((token) => {
        this.token = token;
        this.onLogin(relogin);
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
