import { type Html, raw } from "../html.ts";

/** A tiny inline trend line of scores (0-100). */
export function sparkline(values: number[], width = 60, height = 16): Html {
  if (values.length < 2) return raw("");
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / 100) * height).toFixed(1)}`).join(" ");
  return raw(
    `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><polyline fill="none" stroke="#1f6f4a" stroke-width="1.5" points="${points}"/></svg>`,
  );
}

/** A small bar chart with a dashed threshold line; values are already numbers. */
export function barChart(
  values: Array<number | undefined>,
  threshold: number | undefined,
  badWhen: "above" | "below" = "above",
  width = 320,
  height = 80,
): Html {
  const max = Math.max(1e-9, threshold ?? 0, ...values.map((v) => v ?? 0)) * 1.1;
  const barWidth = width / Math.max(1, values.length);
  const bars = values
    .map((v, i) => {
      if (v === undefined) return "";
      const h = (v / max) * height;
      const over = threshold !== undefined && (badWhen === "above" ? v > threshold : v < threshold);
      return `<rect x="${(i * barWidth).toFixed(1)}" y="${(height - h).toFixed(1)}" width="${Math.max(1, barWidth - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${over ? "#c9302c" : "#4c9f70"}"/>`;
    })
    .join("");
  const line =
    threshold === undefined
      ? ""
      : `<line x1="0" x2="${width}" y1="${(height - (threshold / max) * height).toFixed(1)}" y2="${(height - (threshold / max) * height).toFixed(1)}" stroke="#c9302c" stroke-dasharray="4 3"/>`;
  return raw(`<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">${bars}${line}</svg>`);
}
