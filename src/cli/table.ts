import stringWidth from "string-width";

/**
 * A plain-text table whose columns line up in a terminal: widths are terminal columns
 * (string-width), so Chinese names, full-width digits and emoji sequences count as two.
 */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => padToWidth(cell, widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** `text` followed by spaces up to `width` terminal columns (nothing added when it is wider). */
export function padToWidth(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - stringWidth(text)));
}
