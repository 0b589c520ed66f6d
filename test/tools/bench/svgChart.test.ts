import { describe, expect, it } from "vitest";
import { escapeXml, lineChartSvg, niceScale } from "../../../tools/bench/svgChart";

describe("niceScale", () => {
  it("rounds the axis up to a 1-2-5 step", () => {
    expect(niceScale(6667)).toEqual({ max: 8000, step: 2000 });
    expect(niceScale(95)).toEqual({ max: 100, step: 20 });
    expect(niceScale(0)).toEqual({ max: 1, step: 0.2 });
  });
});

describe("lineChartSvg", () => {
  const svg = lineChartSvg({
    title: "Throughput <b> & co",
    xLabel: "batch",
    yLabel: "msg/s",
    categories: [10, 50, 100],
    series: [
      { label: "1 in flight", values: [100, 400, null] },
      { label: "4 in flight", values: [300, 1200, 1500] },
    ],
    references: [{ label: "ceiling", value: 2000 }],
  });

  it("is one well-formed svg element with escaped text", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("Throughput &#60;b&#62; &#38; co");
    expect(svg).not.toContain("<b>");
  });

  it("draws one line per series, skipping unmeasured points, and a point per value", () => {
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(5);
    expect(svg).toContain("1 in flight");
    expect(svg).toContain("ceiling");
  });

  it("places higher values higher on the page (smaller y)", () => {
    const line = /points="([^"]+)"/.exec(svg.split("4 in flight")[0]!.split("<polyline").at(-1)!)![1]!;
    const ys = line.split(" ").map((p) => Number(p.split(",")[1]));
    expect(ys[0]).toBeGreaterThan(ys[1]!);
  });

  it("escapes every XML special character", () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe("&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
  });
});
