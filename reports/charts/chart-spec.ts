/**
 * A chart as schedlab makes it: a name (the file stem: NAME.vl.json, NAME.svg, NAME.png), a title
 * and a self-contained Vega-Lite spec (data inline as `data.values`, units in axis titles, the
 * colour-blind-safe palette of reports/charts/palette.ts). Builders in reports/charts/ turn results
 * records into ChartSpecs; reports/charts/render.ts renders them to SVG and PNG; the HTML report
 * embeds the specs themselves.
 */
export interface ChartSpec {
  /** File stem, lower-case with dashes, unique within a report, e.g. 'utilization-over-time'. */
  readonly name: string;
  readonly title: string;
  /** One sentence saying what the chart shows, for report.md and the HTML report. */
  readonly caption: string;
  /** A Vega-Lite v6 top-level spec (typed loosely so builders need not import vega-lite types). */
  readonly spec: Record<string, unknown>;
}
