import type { JobController } from '../../model/workload-controllers.js';

/**
 * The controller of a Borg job read from a trace (or drawn by the generator): Borg keeps a job's
 * tasks running, putting preempted and evicted ones back in the pending queue (Verma et al.,
 * EuroSys'15 §3.2, §4); the harness's controllers resubmit a lost task after a delay drawn from
 * the trace's own EVICT→SUBMIT gaps (Workload.resubmitDelays). `desired` = the job's tasks (its
 * distinct task indices). No notice period is modelled (the trace records an eviction at one
 * instant): grace 0. Borg jobs have no namespace; `name` is the job's id.
 */
export function borgJobController(name: string, desired: number): JobController {
  return {
    kind: 'BorgJob',
    name,
    namespace: '',
    desired,
    restartPolicy: 'Always',
    terminationGracePeriod: 0,
    preemptionPolicy: 'PreemptLowerPriority',
    movable: true,
  };
}

/** Quantile q (0..1) of ascending values, linear between order statistics; NaN when empty. */
export function sortedQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const x = (n - 1) * q;
  const i = Math.floor(x);
  return i + 1 < n ? sorted[i] + (sorted[i + 1] - sorted[i]) * (x - i) : sorted[n - 1];
}
