import type { ChartSpec } from './chart-spec.js';
import { baseSpec, round6 } from './vega-lite-base.js';

/**
 * The Omega paper's architecture figures (Schwarzkopf et al., EuroSys'13, Figures 5–8) from one
 * `experiment architectures` sweep: per architecture, a line over the service scheduler's t_job
 * (log axis) of its busyness, of the service jobs left unscheduled, and of the conflict fraction.
 * Structural input so reports/ needs nothing of harness/.
 */
export interface ArchitecturesSweep {
  points: ReadonlyArray<{ variant: string; serviceTJob: number; serviceBusyness: number; serviceUnscheduled: number; serviceConflictFraction: number; batchWaitFirst: number }>;
}

function line(name: string, title: string, caption: string, yTitle: string, values: object[], yFormat = '%'): ChartSpec {
  return {
    name,
    title,
    caption,
    spec: baseSpec(title, values, {
      width: 420,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 't_job', type: 'quantitative', title: 'service scheduler t_job (s, log scale)', scale: { type: 'log' } },
        y: { field: 'y', type: 'quantitative', title: yTitle, axis: yFormat === '' ? {} : { format: yFormat } },
        color: { field: 'architecture', type: 'nominal', title: 'architecture' },
        tooltip: [{ field: 'architecture' }, { field: 't_job' }, { field: 'y', title: yTitle }],
      },
    }),
  };
}

export function architecturesCharts(r: ArchitecturesSweep): ChartSpec[] {
  // A log axis cannot show 0 s: such points are left out of the charts (they stay in the table).
  const pts = r.points.filter((p) => p.serviceTJob > 0);
  const of = (f: (p: ArchitecturesSweep['points'][number]) => number) => pts.filter((p) => Number.isFinite(f(p))).map((p) => ({ architecture: p.variant, t_job: p.serviceTJob, y: round6(f(p)) }));
  return [
    line('architectures-busyness', 'Service scheduler busyness', 'Share of the window the scheduler that decides service jobs spends deciding (Omega Figures 5–8, left): the monolithic scheduler saturates first.', 'busyness', of((p) => p.serviceBusyness)),
    line('architectures-unscheduled', 'Service jobs left unscheduled', 'Service jobs not fully placed by the end (abandoned after the retry limit, or still waiting), as a share of those submitted (Omega Figures 5–8, right).', 'unscheduled service jobs', of((p) => p.serviceUnscheduled)),
    line('architectures-conflicts', 'Conflict fraction', 'Share of the service scheduler’s transactions that conflicted (shared state only; the other architectures never conflict).', 'conflict fraction', of((p) => p.serviceConflictFraction)),
    line('architectures-batch-wait', 'Batch job wait', 'Mean wait of a batch job until its first task is placed: head-of-line blocking behind slow service decisions (monolithic) or held offers (two-level).', 'mean wait to first task (s)', of((p) => p.batchWaitFirst), ''),
  ];
}
