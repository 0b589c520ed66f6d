/**
 * A small line chart as SVG text, written by hand so the benchmark needs no charting
 * dependency: categorical x axis (batch sizes), one line per series (in-flight
 * settings), optional horizontal reference lines (the emulator's ceiling).
 */

export interface ChartSeries {
  label: string;
  /** One y value per x category; null where it was not measured. */
  values: readonly (number | null)[];
}

export interface ReferenceLine {
  label: string;
  value: number;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  categories: readonly (string | number)[];
  series: readonly ChartSeries[];
  references?: readonly ReferenceLine[];
  width?: number;
  height?: number;
}

/** Colour-blind-safe palette (Okabe-Ito). */
const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

const MARGIN = { top: 40, right: 150, bottom: 50, left: 70 };

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A "nice" axis maximum and tick step (1, 2 or 5 x 10^n) covering `max`. */
export function niceScale(max: number, ticks = 5): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 0.2 };
  const rough = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  return { max: Math.ceil(max / step) * step, step };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export function lineChartSvg(chart: LineChart): string {
  const width = chart.width ?? 720;
  const height = chart.height ?? 400;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const allValues = [
    ...chart.series.flatMap((s) => s.values.filter((v): v is number => v !== null)),
    ...(chart.references ?? []).map((r) => r.value),
  ];
  const scale = niceScale(Math.max(0, ...allValues));
  const n = chart.categories.length;
  const x = (i: number) => MARGIN.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => MARGIN.top + plotH - (v / scale.max) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
  );
  // Grid and y ticks.
  for (let v = 0; v <= scale.max + scale.step / 2; v += scale.step) {
    const yy = y(v).toFixed(1);
    out.push(
      `<line x1="${MARGIN.left}" y1="${yy}" x2="${MARGIN.left + plotW}" y2="${yy}" stroke="#e0e0e0"/>`,
      `<text x="${MARGIN.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${fmt(v)}</text>`,
    );
  }
  chart.categories.forEach((category, i) => {
    out.push(
      `<text x="${x(i).toFixed(1)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${escapeXml(String(category))}</text>`,
    );
  });
  out.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 12}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
  );
  for (const reference of chart.references ?? []) {
    const yy = y(reference.value).toFixed(1);
    out.push(
      `<line x1="${MARGIN.left}" y1="${yy}" x2="${MARGIN.left + plotW}" y2="${yy}" stroke="#888" stroke-dasharray="6 4"/>`,
      `<text x="${MARGIN.left + plotW + 6}" y="${yy}" dominant-baseline="middle" fill="#555">${escapeXml(reference.label)}</text>`,
    );
  }
  chart.series.forEach((series, s) => {
    const colour = COLOURS[s % COLOURS.length]!;
    const points = series.values
      .map((v, i) => (v === null ? undefined : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
      .filter((p): p is string => p !== undefined);
    if (points.length > 1) {
      out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(" ")}"/>`);
    }
    for (const point of points) {
      const [px, py] = point.split(",");
      out.push(`<circle cx="${px}" cy="${py}" r="3.5" fill="${colour}"/>`);
    }
    const legendY = MARGIN.top + 10 + s * 18;
    out.push(
      `<line x1="${MARGIN.left + plotW + 10}" y1="${legendY}" x2="${MARGIN.left + plotW + 30}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${MARGIN.left + plotW + 36}" y="${legendY}" dominant-baseline="middle">${escapeXml(series.label)}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
