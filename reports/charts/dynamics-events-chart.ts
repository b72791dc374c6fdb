import type { ChartSpec } from './chart-spec.js';
import type { EventsColumns } from '../loaded-run.js';
import { baseSpec, round6, toHours } from './vega-lite-base.js';

export interface LabelledEvents {
  label: string;
  events: Pick<EventsColumns, 'length' | 'timeS' | 'cause' | 'qos'> | null;
}

/**
 * The events.csv causes that end an attempt (README § Results folder): kubelet evictions, OOM kills,
 * preemption, failure. Throttling and pressure transitions end nothing and are not counted here.
 */
export const KILLING_CAUSES = ['eviction-memory-pressure', 'eviction-disk-pressure', 'oom-limit', 'oom-node', 'preemption', 'failure'] as const;

/** Bin widths offered, hours: the smallest giving at most ~48 bins over the window. */
const BIN_HOURS = [1 / 60, 5 / 60, 0.25, 0.5, 1, 2, 3, 6, 12, 24, 48, 168];

export function binHoursFor(windowHours: number): number {
  for (const b of BIN_HOURS) if (windowHours / b <= 48) return b;
  return Math.ceil(windowHours / 48 / 168) * 168;
}

/**
 * Evictions and OOM kills over time, by cause (colour, stacked) and QoS class (one panel each),
 * one row of panels per run: counts of events.csv rows per time bin over the replayed window
 * (`windowStartHours` onward: trace time of a mid-trace slice). Only runs with node dynamics
 * have events; the others are left out (and named in the caption).
 */
export function evictionsChart(runs: readonly LabelledEvents[], windowHours: number, windowStartHours = 0): ChartSpec {
  const bin = binHoursFor(windowHours);
  const endHours = windowStartHours + windowHours;
  const counts = new Map<string, { run: string; bin_start_h: number; bin_end_h: number; cause: string; qos: string; events: number }>();
  const withDynamics = runs.filter((r) => r.events !== null);
  for (const r of withDynamics) {
    const e = r.events!;
    for (let i = 0; i < e.length; i++) {
      const cause = e.cause[i]!;
      if (!(KILLING_CAUSES as readonly string[]).includes(cause)) continue;
      // Binned in seconds (exact for the offered widths), then shown in hours.
      const start = Math.floor(e.timeS[i] / (bin * 3600)) * bin * 3600;
      const b = toHours(start);
      const qos = e.qos[i] ?? 'none';
      const key = `${r.label}\u0000${b}\u0000${cause}\u0000${qos}`;
      const c = counts.get(key);
      if (c) c.events++;
      else counts.set(key, { run: r.label, bin_start_h: b, bin_end_h: toHours(start + bin * 3600), cause, qos, events: 1 });
    }
  }
  const values = [...counts.values()];
  const left = runs.filter((r) => r.events === null).map((r) => r.label);
  const binText = bin >= 1 ? `${bin} h` : `${Math.round(bin * 60)} min`;
  return {
    name: 'evictions-over-time',
    title: 'Evictions and OOM kills over time',
    caption:
      `Attempts ended by kubelet evictions, OOM kills, preemption or failure per ${binText}, by cause and QoS class, per run` +
      (values.length === 0 ? '; none happened in these runs' : '') +
      (left.length > 0 ? `; without node dynamics (no events): ${left.join(', ')}` : '') + '.',
    spec: baseSpec('Evictions and OOM kills over time', values, {
      facet: {
        row: { field: 'run', type: 'nominal', title: 'run', sort: withDynamics.map((r) => r.label) },
        column: { field: 'qos', type: 'nominal', title: 'QoS class', sort: ['Guaranteed', 'Burstable', 'BestEffort'] },
      },
      spec: {
        width: 220,
        height: 160,
        mark: 'bar',
        encoding: {
          x: { field: 'bin_start_h', type: 'quantitative', title: 'time (h)', scale: { domain: [round6(Math.floor(windowStartHours / bin) * bin), round6(Math.ceil(endHours / bin) * bin)] } },
          x2: { field: 'bin_end_h' },
          y: { aggregate: 'sum', field: 'events', type: 'quantitative', title: `attempts ended / ${binText}`, stack: 'zero', axis: { tickMinStep: 1, format: 'd' } },
          color: { field: 'cause', type: 'nominal', title: 'cause', scale: { domain: [...KILLING_CAUSES] } },
        },
      },
    }),
  };
}
