import type { ChartSpec } from './chart-spec.js';
import type { EventsColumns } from '../loaded-run.js';
import { baseSpec, round6, toHours } from './vega-lite-base.js';
import { binHoursFor } from './dynamics-events-chart.js';

/** A run's events.csv with its label, and whether the cluster's reactions were modeled (run.json summary.reactions). */
export interface LabelledReactionEvents {
  label: string;
  events: Pick<EventsColumns, 'length' | 'timeS' | 'cause'> | null;
  reactions: boolean;
}

/**
 * The events.csv causes of the cluster acting on pods and nodes (reports/reaction-results.ts
 * REACTION_CAUSE_NAMES): a preemption victim, a taint-based eviction from a NotReady node, a node
 * the autoscaler asked for / removed, a pod admission refused. One row each in events.csv.
 */
export const REACTION_EVENT_CAUSES = ['preemption', 'taint-eviction', 'scale-up', 'scale-down', 'admission-rejected'] as const;

const isReactionEvent = (cause: string | null): boolean => cause !== null && (REACTION_EVENT_CAUSES as readonly string[]).includes(cause);

/** Whether a run's events hold a row of REACTION_EVENT_CAUSES (the chart is drawn only then). */
export function hasReactionEvents(events: Pick<EventsColumns, 'length' | 'cause'> | null): boolean {
  if (events === null) return false;
  for (let i = 0; i < events.length; i++) if (isReactionEvent(events.cause[i])) return true;
  return false;
}

/**
 * The cluster's reactions over time: counts of events.csv rows of REACTION_EVENT_CAUSES per time
 * bin (the width binHoursFor gives the window, as the evictions chart: the smallest of its widths
 * giving at most ~48 bins), by cause (colour, stacked), one panel per run, over the replayed
 * window (`windowStartHours` onward). Runs whose reactions were off are left out and named in
 * the caption.
 */
export function reactionEventsChart(runs: readonly LabelledReactionEvents[], windowHours: number, windowStartHours = 0): ChartSpec {
  const bin = binHoursFor(windowHours);
  const binS = bin * 3600;
  const endHours = windowStartHours + windowHours;
  const counts = new Map<string, { run: string; bin_start_h: number; bin_end_h: number; cause: string; events: number }>();
  const shown = runs.filter((r) => r.reactions && r.events !== null);
  for (const r of shown) {
    const e = r.events!;
    for (let i = 0; i < e.length; i++) {
      const cause = e.cause[i];
      if (!isReactionEvent(cause)) continue;
      // Binned in seconds (exact for the offered widths), then shown in hours.
      const start = Math.floor(e.timeS[i] / binS) * binS;
      const key = `${r.label}\u0000${start}\u0000${cause}`;
      const c = counts.get(key);
      if (c) c.events++;
      else counts.set(key, { run: r.label, bin_start_h: toHours(start), bin_end_h: toHours(start + binS), cause: cause!, events: 1 });
    }
  }
  const values = [...counts.values()];
  const left = runs.filter((r) => !r.reactions || r.events === null).map((r) => r.label);
  const binText = bin >= 1 ? `${bin} h` : `${Math.round(bin * 60)} min`;
  const title = "The cluster's reactions over time";
  return {
    name: 'reaction-events-over-time',
    title,
    caption:
      `Preemption victims, taint-based evictions from NotReady nodes, nodes the autoscaler added (scale-up) and removed (scale-down), and pods refused by admission, per ${binText}, from events.csv, per run` +
      (values.length === 0 ? '; none happened in these runs' : '') +
      (left.length > 0 ? `; reactions off: ${left.join(', ')}` : '') + '.',
    spec: baseSpec(title, values, {
      facet: { row: { field: 'run', type: 'nominal', title: 'run', sort: shown.map((r) => r.label) } },
      spec: {
        width: 560,
        height: 160,
        mark: 'bar',
        encoding: {
          x: { field: 'bin_start_h', type: 'quantitative', title: 'time (h)', scale: { domain: [round6(Math.floor(windowStartHours / bin) * bin), round6(Math.ceil(endHours / bin) * bin)] } },
          x2: { field: 'bin_end_h' },
          y: { aggregate: 'sum', field: 'events', type: 'quantitative', title: `events / ${binText}`, stack: 'zero', axis: { tickMinStep: 1, format: 'd' } },
          color: { field: 'cause', type: 'nominal', title: 'cause', scale: { domain: [...REACTION_EVENT_CAUSES] } },
        },
      },
    }),
  };
}
