import { chartConfig } from './palette.js';

/**
 * The common frame of every schedlab chart: the Vega-Lite v6 schema, the title, the data inline
 * (a spec is one self-contained file) and the theme of palette.ts.
 */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export function baseSpec(title: string, values: readonly object[], rest: Record<string, unknown>): Record<string, unknown> {
  return { $schema: VEGA_LITE_SCHEMA, title, data: { values }, ...rest, config: chartConfig() };
}

/** Seconds → hours, rounded to the microsecond-hour so specs stay short and stable. */
export const toHours = (s: number): number => Math.round((s / 3600) * 1e6) / 1e6;

/** Rounds a chart value to 6 significant digits (far below what a chart can show; keeps the JSON small). */
export const round6 = (x: number): number => (x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(6)));

/**
 * The runs' labels made unique: a label two runs share gets ` (seed N)` / ` (#k)` so two series
 * never merge into one line.
 */
export function uniqueLabels(runs: ReadonlyArray<{ label: string; record?: { seed?: number } }>): string[] {
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.label, (count.get(r.label) ?? 0) + 1);
  const seen = new Map<string, number>();
  return runs.map((r) => {
    if (count.get(r.label) === 1) return r.label;
    const k = (seen.get(r.label) ?? 0) + 1;
    seen.set(r.label, k);
    return `${r.label} (#${k}${r.record?.seed !== undefined ? `, seed ${r.record.seed}` : ''})`;
  });
}
