/**
 * Masking of personal data before it reaches a log, an audit record or a chat reply.
 * Mobile numbers keep the first 3 and last 4 digits (138****8000), bank accounts the
 * last 4 (****1234): enough for a person to recognise a record, not enough to call or pay.
 */

// A mainland mobile inside any text: not part of a longer digit run, +86/86 prefixes allowed.
const MOBILE_IN_TEXT = /(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)/g;
// Bank card / account numbers: 12 to 30 digits, possibly grouped by spaces or dashes.
const LONG_DIGITS_IN_TEXT = /(?<!\d)\d(?:[ -]?\d){11,29}(?!\d)/g;
// A secret written as text: a lenient-JSON body `{session:"…"}` (docs/zhibang-protocol.md §2.1), a header
// line `ZBAPI-Token: …`, a query string `?session=…`. The name and separator stay, the value goes.
const SECRET_IN_TEXT =
  /((?<![\w-])["']?_*(?:session|password|passwd|pwd|token|access_?token|zbapi-token|api[-_]?key|authorization|secret)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|(?:bearer\s+|basic\s+)?[^\s,&;}"'\]]+)/gi;
// The same for a datas pair in text: `{id:"password", val:"txt:…"}`.
const SECRET_PAIR_IN_TEXT =
  /(["']?id["']?\s*:\s*["'](?:password|passwd|pwd|session|token)["']\s*,\s*["']?val["']?\s*:\s*)("[^"]*"|'[^']*')/gi;

export function maskMobile(mobile: string): string {
  const digits = mobile.replace(/\D/g, "");
  if (digits.length < 7) return "****";
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

export function maskBankAccount(account: string): string {
  const digits = account.replace(/\D/g, "");
  return `****${digits.slice(-4)}`;
}

/** Masks secrets written as `name: value`, every mobile number and long account-like digit run in free text. */
export function maskText(text: string): string {
  return text
    .replace(SECRET_IN_TEXT, hideSecretValue)
    .replace(SECRET_PAIR_IN_TEXT, hideSecretValue)
    .replace(MOBILE_IN_TEXT, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(LONG_DIGITS_IN_TEXT, (m) => maskBankAccount(m));
}

/** Keeps the name and the quotes (a masked JSON text stays JSON), drops the value. */
function hideSecretValue(_match: string, name: string, value: string): string {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : "";
  return `${name}${quote}[secret]${quote}`;
}

/** Field names whose whole value is a secret: never printed, not even masked. */
const SECRET_KEYS =
  /^_*(password|passwd|pwd|token|access_?token|refresh_?token|apikey|api[-_]key|x-api-key|authorization|cookie|set-cookie|session|session_?id|secret|zbapi-token)$/i;
/** ERP fields that carry bank accounts (bank_3 = 账号, bank2_3 = second account). */
const BANK_KEYS = /^bank2?_3$/i;

/**
 * Deep copy with secrets replaced and personal data masked. Handles the ERP's
 * `{id, val}` datas pairs, so `{id:"password", val:"txt:x"}` is hidden too.
 */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (depth > 12) return "[deep]";
  if (typeof value === "string") return maskText(value);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return maskError(value, depth);
  const record = value as Record<string, unknown>;
  const idField = typeof record.id === "string" ? record.id : undefined;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) {
    if (SECRET_KEYS.test(key)) out[key] = "[secret]";
    else if (BANK_KEYS.test(key) && typeof v === "string") out[key] = maskBankAccount(v);
    else if (key === "val" && idField !== undefined && SECRET_KEYS.test(idField)) out[key] = "[secret]";
    else if (key === "val" && idField !== undefined && BANK_KEYS.test(idField) && typeof v === "string")
      out[key] = maskBankAccount(v);
    else out[key] = maskDeep(v, depth + 1);
  }
  return out;
}

/** Errors keep their name, message, code, stack and cause chain, all masked. */
function maskError(error: Error, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: maskText(error.message) };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (error.stack) out.stack = maskText(error.stack);
  if (error.cause !== undefined) out.cause = maskDeep(error.cause, depth + 1);
  return out;
}
