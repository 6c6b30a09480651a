/**
 * The ERP client's error hierarchy (one class per failure kind, as openai-node does in
 * `src/core/error.ts`). Every error says which operation failed, whether trying again later
 * can help (`retryable`) and whether a write may already have happened (`maybeApplied`: the
 * outbox must look before it writes again).
 */

export interface ErpErrorOptions {
  operation: string;
  cause?: unknown;
  retryable?: boolean;
  maybeApplied?: boolean;
}

export class ErpError extends Error {
  override readonly name: string = "ErpError";
  readonly operation: string;
  readonly retryable: boolean;
  /** Set by the client once it knows the call was a write that may have reached the ERP. */
  maybeApplied: boolean;

  constructor(message: string, options: ErpErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.operation = options.operation;
    this.retryable = options.retryable ?? false;
    this.maybeApplied = options.maybeApplied ?? false;
  }
}

/** The ERP refused the username/password, or wants a captcha: fix the credentials, do not retry. */
export class ErpAuthError extends ErpError {
  override readonly name = "ErpAuthError";
  readonly erpMessage: string;
  /**
   * The ERP asks for a captcha (more than 3 failed logins, docs/zhibang-protocol.md §4.1): a person must log
   * in once by hand.
   */
  readonly captchaRequired: boolean;
  constructor(message: string, options: ErpErrorOptions & { erpMessage: string; captchaRequired?: boolean }) {
    super(message, { ...options, retryable: false });
    this.erpMessage = options.erpMessage;
    this.captchaRequired = options.captchaRequired ?? false;
  }
}

/** The session expired again right after a fresh login (docs/zhibang-protocol.md §4.3). */
export class ErpSessionError extends ErpError {
  override readonly name = "ErpSessionError";
  readonly erpMessage: string;
  constructor(message: string, options: ErpErrorOptions & { erpMessage: string }) {
    super(message, { retryable: true, ...options });
    this.erpMessage = options.erpMessage;
  }
}

/** The ERP answered, and said no: the text is the ERP's own (e.g. `合同编号已被使用，不能保存！`). */
export class ErpValidationError extends ErpError {
  override readonly name = "ErpValidationError";
  readonly erpMessage: string;
  constructor(message: string, options: ErpErrorOptions & { erpMessage: string }) {
    super(message, { ...options, retryable: false });
    this.erpMessage = options.erpMessage;
  }
}

/** HTTP 5xx, an HTML error page, or the ERP's script-crash envelope. */
export class ErpServerError extends ErpError {
  override readonly name = "ErpServerError";
  readonly httpStatus: number;
  /** A short, masked excerpt of what the server sent. */
  readonly excerpt: string;
  /** The reply was an HTML page (IIS/ASP error page, a login portal, a wrong base URL). */
  readonly html: boolean;
  constructor(message: string, options: ErpErrorOptions & { httpStatus: number; excerpt: string; html?: boolean }) {
    super(message, options);
    this.httpStatus = options.httpStatus;
    this.excerpt = options.excerpt;
    this.html = options.html ?? false;
  }
}

export class ErpTimeoutError extends ErpError {
  override readonly name = "ErpTimeoutError";
  readonly timeoutMs: number;
  constructor(message: string, options: ErpErrorOptions & { timeoutMs: number }) {
    super(message, { retryable: true, ...options });
    this.timeoutMs = options.timeoutMs;
  }
}

/** A reply we cannot read: not JSON, truncated, or a shape (body.model) we do not know. */
export class ErpProtocolError extends ErpError {
  override readonly name = "ErpProtocolError";
  readonly excerpt: string;
  constructor(message: string, options: ErpErrorOptions & { excerpt?: string }) {
    super(message, options);
    this.excerpt = options.excerpt ?? "";
  }
}

/** The ERP said the write succeeded, but reading it back shows it was not stored (docs/zhibang-protocol.md §3.4). */
export class ErpWriteNotVerifiedError extends ErpError {
  override readonly name = "ErpWriteNotVerifiedError";
  constructor(message: string, options: ErpErrorOptions) {
    super(message, { retryable: true, ...options });
  }
}

/**
 * The ERP answered with a redirect (HTTP 3xx). The client follows none: a 307 or 308 would
 * make it send the same body, the login's password included, to wherever the redirect
 * points. A redirect means the base URL is not the ERP's root (http instead of https, a
 * portal or a proxy in front): a person fixes the address, retrying cannot help.
 */
export class ErpRedirectError extends ErpError {
  override readonly name = "ErpRedirectError";
  readonly httpStatus: number;
  /** Where the ERP pointed, without query or credentials; undefined when it sent no Location. */
  readonly location: string | undefined;
  constructor(message: string, options: ErpErrorOptions & { httpStatus: number; location: string | undefined }) {
    super(message, { ...options, retryable: false });
    this.httpStatus = options.httpStatus;
    this.location = options.location;
  }
}

/** No usable connection: refused, reset, DNS failure. */
export class ErpNetworkError extends ErpError {
  override readonly name = "ErpNetworkError";
  /** The Node error code, e.g. ECONNREFUSED, ECONNRESET. */
  readonly code: string;
  constructor(message: string, options: ErpErrorOptions & { code: string }) {
    super(message, { retryable: true, ...options });
    this.code = options.code;
  }
}

/** Codes that prove the request never reached the ERP, so even a non-repeatable write may be retried. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * Could this failure have left a write applied on the ERP? Only a reply that clearly
 * refused the call (auth, session, validation) or a connection that never opened says no.
 */
export function requestMayHaveReachedErp(error: unknown): boolean {
  if (error instanceof ErpNetworkError) return !NOT_SENT_CODES.has(error.code);
  if (error instanceof ErpAuthError || error instanceof ErpSessionError || error instanceof ErpValidationError) return false;
  if (error instanceof ErpWriteNotVerifiedError) return false;
  return true;
}
