/**
 * JSON as the ERP actually sends it (docs/zhibang-protocol.md §2.1): a UTF-8 BOM, and raw control
 * characters inside strings, which `JSON.parse` refuses. PY2 parses with Python's
 * `strict=False`; this is the same leniency: control characters inside strings are escaped,
 * stray ones between tokens are dropped. Everything else must still be valid JSON.
 */

const HAS_CONTROL_CHAR = /[\u0000-\u001f]/;

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses JSON text, tolerating the ERP's raw control characters. Throws SyntaxError. */
export function parseLenientJson(text: string): unknown {
  const clean = stripBom(text);
  try {
    return JSON.parse(clean);
  } catch (error) {
    if (!HAS_CONTROL_CHAR.test(clean)) throw error;
    return JSON.parse(escapeControlCharsInStrings(clean));
  }
}

/** Escapes U+0000..U+001F inside string literals as \uXXXX; drops them outside strings, except whitespace. */
export function escapeControlCharsInStrings(text: string): string {
  let out = "";
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (inString) {
      if (code < 0x20) {
        // After a lone backslash the escape is already open: complete it as \u00XX.
        out += `${escaped ? "" : "\\"}u${code.toString(16).padStart(4, "0")}`;
        escaped = false;
        continue;
      }
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
      out += ch;
      continue;
    }
    if (ch === '"') inString = true;
    if (code < 0x20 && ch !== "\n" && ch !== "\r" && ch !== "\t") continue;
    out += ch;
  }
  return out;
}
