import type { ChartSpec } from './chart-spec.js';
import type { AvailabilityColumns } from '../loaded-run.js';
import { baseSpec, round6, toHours } from './vega-lite-base.js';
import { MAX_SERIES_POINTS } from './timeseries-charts.js';

/** A run's availability.csv with the label it has in the figure (a LoadedRun fits). */
export interface LabelledAvailability {
  label: string;
  availability: Pick<AvailabilityColumns, 'length' | 'timeS' | 'workload' | 'kind' | 'desired' | 'ready'> | null;
}

/** One step of a run's availability: the value from `timeS` until the next step (null: no workload wants a pod). */
export interface AvailabilityStep {
  timeS: number;
  value: number | null;
}

/**
 * A run's availability over time from availability.csv (reports/availability-csv.ts: one step
 * function per workload — `namespace/name` and kind —, a row when its counts change, holding
 * until its next row): at each time a row changes something,
 *
 *   A(t) = Σ_w min(ready_w(t), desired_w(t)) / Σ_w desired_w(t),
 *
 * the share of the pods the workloads want that are ready, each pod weighted equally (the
 * controllers' definition of availability, harness/controllers/availability-tracker.ts, summed
 * over workloads; ready above desired — a surge — counts as desired). Null while no workload
 * wants a pod. Steps in time order; rows at one time all apply before the step is taken.
 */
export function availabilitySteps(a: NonNullable<LabelledAvailability['availability']>): AvailabilityStep[] {
  const order = Array.from({ length: a.length }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < a.length; i++) if (a.timeS[i] < a.timeS[i - 1]) sorted = false;
  if (!sorted) order.sort((x, y) => a.timeS[x] - a.timeS[y] || x - y);
  const slot = new Map<string, number>();
  const desired: number[] = [];
  const counted: number[] = [];
  let sumDesired = 0;
  let sumReady = 0;
  const steps: AvailabilityStep[] = [];
  for (let j = 0; j < order.length; ) {
    const t = a.timeS[order[j]];
    for (; j < order.length && a.timeS[order[j]] === t; j++) {
      const i = order[j];
      const key = `${a.kind[i]}\u0000${a.workload[i]}`;
      let s = slot.get(key);
      if (s === undefined) {
        slot.set(key, (s = desired.length));
        desired.push(0);
        counted.push(0);
      }
      const d = a.desired[i];
      const r = Math.min(a.ready[i], d);
      sumDesired += d - desired[s];
      sumReady += r - counted[s];
      desired[s] = d;
      counted[s] = r;
    }
    steps.push({ timeS: t, value: sumDesired > 0 ? sumReady / sumDesired : null });
  }
  return steps;
}

/**
 * At most `max` steps: runs of k consecutive steps become one, at the first one's time, whose
 * value is the time-weighted mean of theirs over the time they want pods (null when none does).
 * The last step lasts until `endS`.
 */
export function thinSteps(steps: readonly AvailabilityStep[], endS: number, max = MAX_SERIES_POINTS): { steps: AvailabilityStep[]; k: number } {
  const k = Math.max(1, Math.ceil(steps.length / max));
  if (k === 1) return { steps: [...steps], k };
  const out: AvailabilityStep[] = [];
  for (let j = 0; j < steps.length; j += k) {
    let area = 0;
    let time = 0;
    const end = Math.min(steps.length, j + k);
    for (let q = j; q < end; q++) {
      const v = steps[q].value;
      const dt = Math.max(0, (q + 1 < steps.length ? steps[q + 1].timeS : endS) - steps[q].timeS);
      if (v === null) continue;
      area += v * dt;
      time += dt;
    }
    // A run of zero-length steps (all at the window's end): their plain mean.
    if (time === 0) {
      const valid = steps.slice(j, end).filter((s) => s.value !== null);
      out.push({ timeS: steps[j].timeS, value: valid.length === 0 ? null : valid.reduce((x, s) => x + s.value!, 0) / valid.length });
    } else out.push({ timeS: steps[j].timeS, value: area / time });
  }
  return { steps: out, k };
}

/**
 * Availability over time, one line per run (the utilization chart's layout): A(t) of
 * availabilitySteps, drawn as the step function it is (each value holds until the next change,
 * the last until the window ends; a gap while no workload wants a pod), x in hours over the
 * replayed window (`windowStartHours` onward: trace time of a mid-trace slice). Runs without
 * availability.csv (controllers off, or too many workloads to list) are left out and named in the
 * caption. A run with more than MAX_SERIES_POINTS changes is drawn as time-weighted means of k
 * consecutive steps, and the caption says k.
 */
export function availabilityChart(runs: readonly LabelledAvailability[], windowHours: number, windowStartHours = 0): ChartSpec {
  const endS = (windowStartHours + windowHours) * 3600;
  const values: Array<{ run: string; seq: number; time_h: number; availability: number | null }> = [];
  let kMax = 1;
  let endH = windowStartHours + windowHours;
  for (const r of runs) {
    if (r.availability === null || r.availability.length === 0) continue;
    const raw = availabilitySteps(r.availability);
    const last = raw[raw.length - 1].timeS;
    const runEnd = Math.max(endS, last);
    const { steps, k } = thinSteps(raw, runEnd);
    kMax = Math.max(kMax, k);
    // A step-after line draws a value from its point to the next one: before a gap (null) and at
    // the end the value is repeated at the time it stops, so every step shows its whole length.
    let seq = 0;
    const push = (timeS: number, v: number | null) => values.push({ run: r.label, seq: seq++, time_h: toHours(timeS), availability: v === null ? null : round6(v) });
    for (let j = 0; j < steps.length; j++) {
      const prev = j > 0 ? steps[j - 1].value : null;
      if (steps[j].value === null && prev !== null) push(steps[j].timeS, prev);
      push(steps[j].timeS, steps[j].value);
    }
    const tail = steps[steps.length - 1];
    if (tail.value !== null && runEnd > tail.timeS) push(runEnd, tail.value);
    endH = Math.max(endH, toHours(runEnd));
  }
  const left = runs.filter((r) => r.availability === null || r.availability.length === 0).map((r) => r.label);
  const title = 'Availability over time';
  return {
    name: 'availability-over-time',
    title,
    caption:
      'Share of the pods the workloads want that are ready (running on a node that is up): Σ over workloads of min(ready, desired) / Σ desired, ' +
      'from availability.csv, each value holding until the next change; a gap where no workload wants a pod; per run' +
      (kMax > 1 ? `; lines show time-weighted means of ${kMax} consecutive changes` : '') +
      (left.length > 0 ? `; without availability.csv (controllers off, or too many workloads to list): ${left.join(', ')}` : '') + '.',
    spec: baseSpec(title, values, {
      width: 600,
      height: 260,
      mark: { type: 'line', interpolate: 'step-after', invalid: 'break-paths-show-domains' },
      encoding: {
        x: { field: 'time_h', type: 'quantitative', title: 'time (h)', scale: { domain: [round6(windowStartHours), round6(endH)] } },
        y: { field: 'availability', type: 'quantitative', title: 'availability (ready / desired pods)', scale: { domain: [0, 1] }, axis: { format: '%' } },
        color: { field: 'run', type: 'nominal', title: 'run', sort: null },
        order: { field: 'seq', type: 'quantitative' },
      },
    }),
  };
}
