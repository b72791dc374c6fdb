import { allocationAt, type FgdExperimentResult } from './fgd-experiment.js';

/** Per policy: mean (min–max) allocated GPU share at 100% and 130% arrived demand, GPUs left unallocated. */
export function fgdSummaryRows(res: FgdExperimentResult): Array<{
  policy: string;
  at100: { mean: number; min: number; max: number };
  atEnd: { mean: number; min: number; max: number };
  unallocatedGpus: number;
  failedPods: number;
  secondsPerRun: number;
}> {
  return res.results.map((r) => {
    const atEnd = allocationAt(r, res.maxPercent);
    return {
      policy: r.policy,
      at100: allocationAt(r, 100),
      atEnd,
      unallocatedGpus: (1 - atEnd.mean) * res.gpus,
      failedPods: r.failedPods.reduce((a, b) => a + b, 0) / r.failedPods.length,
      secondsPerRun: r.seconds.reduce((a, b) => a + b, 0) / r.seconds.length,
    };
  });
}

/** The summary rows without timings, as summary.json and --json hold them (timings: timing.json only). */
export function fgdResultRows(res: FgdExperimentResult): Array<Omit<ReturnType<typeof fgdSummaryRows>[number], 'secondsPerRun'>> {
  return fgdSummaryRows(res).map(({ secondsPerRun: _timing, ...row }) => row);
}
