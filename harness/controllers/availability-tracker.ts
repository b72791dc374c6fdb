import type { JobController } from '../../model/workload-controllers.js';
import type { AvailabilityReport, WorkloadAvailability } from '../../reports/reaction-results.js';
import { US_PER_SECOND } from '../../model/units.js';
import { CONTROLLER_KINDS, type KindCode } from './controller-kinds.js';
import { StepSamples } from './availability-samples.js';

/** Sample grid of availability.csv (µs). */
export const AVAILABILITY_SAMPLE_PERIOD = 60 * US_PER_SECOND;
/** Workloads are listed one by one (availability.csv) up to this many; beyond, only per kind. */
export const MAX_LISTED_WORKLOADS = 1000;
/** Bound on the samples kept (rows × columns), after which the grid coarsens (availability-samples.ts). */
export const MAX_SAMPLE_CELLS = 1 << 22;

const K = CONTROLLER_KINDS.length;

/**
 * Availability per workload — a controller object (`namespace/name` and kind; a DaemonSet's
 * per-node jobs are one workload) — as ready replicas over desired, over time.
 *
 * - ready = its pods running on a node that is not down (the caller says when that changes);
 * - desired in effect = Σ over its jobs of min(desired, pods wanted now), where a pod is wanted
 *   from its arrival until it completes (finished, or ended by the source) or its controller
 *   gives it up (a failed Job, a DaemonSet pod whose node left): a finished Job, or a Borg job
 *   whose later tasks have not arrived yet, is not unavailable. A lost pod stays wanted (until
 *   recreated, or for good when nothing recreates it: a bare Pod);
 * - availability(t) = min(ready, desired)/desired; mean = ∫ availability dt / ∫ [desired > 0] dt
 *   (time-weighted over the time the workload wants pods), min = the lowest value held for a
 *   positive time, degraded = time with ready < desired.
 * Each change costs O(1): the integrals advance from the workload's last change (lastChange).
 * Samples for availability.csv on a 60-s grid, on change (availability-samples.ts).
 */
export class AvailabilityTracker {
  private wOf = new Int32Array(0);
  private jDesired = new Int32Array(0);
  private jWanted = new Int32Array(0);
  private readonly byName = new Map<string, number>();
  private names: string[] = [];
  private kinds: KindCode[] = [];
  private desired = new Int32Array(16);
  private eff = new Int32Array(16);
  private ready = new Int32Array(16);
  private lost = new Int32Array(16);
  private recreated = new Int32Array(16);
  private last = new Float64Array(16);
  private area = new Float64Array(16);
  private live = new Float64Array(16);
  private degraded = new Float64Array(16);
  private minRatio = new Float64Array(16);
  private readonly listed: number[] = [];
  private readonly kindEff = new Int32Array(K);
  private readonly kindReady = new Int32Array(K);
  private readonly samples: StepSamples;

  /** `listing`: sample each workload (else only per kind). */
  constructor(
    private readonly listing: boolean,
    period = AVAILABILITY_SAMPLE_PERIOD,
    maxCells = MAX_SAMPLE_CELLS,
  ) {
    this.samples = new StepSamples(period, () => this.snapshot(), maxCells);
  }

  get workloadCount(): number {
    return this.names.length;
  }

  /** Is the job part of a workload? */
  tracked(job: number): boolean {
    return job < this.wOf.length && this.wOf[job] >= 0;
  }

  /** The job's pods count toward its controller's workload from now on. */
  register(job: number, c: JobController, kind: KindCode, t: number): void {
    this.ensureJobs(job + 1);
    const key = `${c.kind}\u0000${c.name}`;
    let w = this.byName.get(key);
    if (w === undefined) {
      w = this.names.length;
      this.byName.set(key, w);
      this.names.push(c.name);
      this.kinds.push(kind);
      this.ensureWorkloads(w + 1);
      this.last[w] = t;
      this.minRatio[w] = NaN;
      if (this.listing && this.listed.length < MAX_LISTED_WORKLOADS) this.listed.push(w);
    }
    this.wOf[job] = w;
    const d = Math.max(0, Math.floor(c.desired));
    this.jDesired[job] = d;
    this.desired[w] += d;
  }

  /** A pod of the job arrived (is wanted). */
  arrive(job: number, t: number): void {
    this.setWanted(job, t, this.jWanted[job] + 1);
  }

  /** A pod of the job completed (finished, or ended by the source): no longer wanted. */
  complete(job: number, t: number): void {
    this.setWanted(job, t, Math.max(0, this.jWanted[job] - 1));
  }

  /** The job's controller gave up all its pods (a failed Job, a DaemonSet pod whose node is gone). */
  retire(job: number, t: number): void {
    const w = this.wOf[job];
    this.setWanted(job, t, 0);
    this.desired[w] -= this.jDesired[job];
    this.jDesired[job] = 0;
  }

  readyUp(job: number, t: number): void {
    this.change(this.wOf[job], t, 0, 1);
  }

  readyDown(job: number, t: number): void {
    this.change(this.wOf[job], t, 0, -1);
  }

  lostPod(job: number): void {
    this.lost[this.wOf[job]]++;
  }

  recreatedPod(job: number): void {
    this.recreated[this.wOf[job]]++;
  }

  private setWanted(job: number, t: number, wanted: number): void {
    const d = this.jDesired[job];
    const before = Math.min(d, this.jWanted[job]);
    this.jWanted[job] = wanted;
    const after = Math.min(d, wanted);
    if (after !== before) this.change(this.wOf[job], t, after - before, 0);
  }

  private change(w: number, t: number, dEff: number, dReady: number): void {
    this.samples.beforeChange(t);
    this.integrate(w, t);
    const k = this.kinds[w] - 1;
    const capBefore = Math.min(this.ready[w], this.eff[w]);
    this.eff[w] += dEff;
    this.ready[w] += dReady;
    this.kindEff[k] += dEff;
    this.kindReady[k] += Math.min(this.ready[w], this.eff[w]) - capBefore;
    this.samples.afterChange(t);
  }

  private integrate(w: number, t: number): void {
    const dt = t - this.last[w];
    this.last[w] = t;
    const e = this.eff[w];
    if (!(dt > 0) || e <= 0) return;
    const r = this.ready[w] >= e ? 1 : this.ready[w] / e;
    this.area[w] += r * dt;
    this.live[w] += dt;
    if (r < 1) this.degraded[w] += dt;
    if (!(this.minRatio[w] <= r)) this.minRatio[w] = r;
  }

  /** [ready per listed workload..., desired per listed..., capped ready per kind..., desired per kind...]. */
  private snapshot(): Int32Array {
    const L = this.listed.length;
    const row = new Int32Array(2 * L + 2 * K);
    for (let i = 0; i < L; i++) {
      const w = this.listed[i];
      row[i] = this.ready[w];
      row[L + i] = this.eff[w];
    }
    row.set(this.kindReady, 2 * L);
    row.set(this.kindEff, 2 * L + K);
    return row;
  }

  /** Closes every integral at `horizon` and builds the report. */
  report(horizon: number, jobsSucceeded: number, jobsFailed: number): AvailabilityReport {
    const n = this.names.length;
    for (let w = 0; w < n; w++) this.integrate(w, horizon);
    this.samples.finish(horizon);
    const row = (w: number): WorkloadAvailability => ({
      name: this.names[w],
      kind: CONTROLLER_KINDS[this.kinds[w] - 1],
      desired: this.desired[w],
      meanAvailability: this.live[w] > 0 ? this.area[w] / this.live[w] : NaN,
      minAvailability: this.minRatio[w],
      degradedSeconds: this.degraded[w] / US_PER_SECOND,
      lost: this.lost[w],
      recreated: this.recreated[w],
    });
    // More workloads than can be listed (some came after the start): only the per-kind rows.
    const workloads = n <= MAX_LISTED_WORKLOADS ? this.listed.map(row) : [];
    const byKind: WorkloadAvailability[] = [];
    const kindsPresent: number[] = [];
    for (let k = 0; k < K; k++) {
      let count = 0;
      let desired = 0;
      let area = 0;
      let live = 0;
      let degraded = 0;
      let min = NaN;
      let lost = 0;
      let recreated = 0;
      for (let w = 0; w < n; w++) {
        if (this.kinds[w] - 1 !== k) continue;
        count++;
        desired += this.desired[w];
        area += this.area[w];
        live += this.live[w];
        degraded += this.degraded[w];
        const m = this.minRatio[w];
        if (m === m && !(min <= m)) min = m;
        lost += this.lost[w];
        recreated += this.recreated[w];
      }
      if (count === 0) continue;
      kindsPresent.push(k);
      byKind.push({
        name: `${count} workload${count === 1 ? '' : 's'}`,
        kind: CONTROLLER_KINDS[k],
        desired,
        meanAvailability: live > 0 ? area / live : NaN,
        minAvailability: min,
        degradedSeconds: degraded / US_PER_SECOND,
        lost,
        recreated,
      });
    }
    const S = this.samples.times.length;
    const W = workloads.length;
    const P = kindsPresent.length;
    const sampleTimes = Float64Array.from(this.samples.times);
    const ready = new Int32Array(S * W);
    const desiredNow = new Int32Array(S * W);
    const kindReady = new Int32Array(S * P);
    const kindDesired = new Int32Array(S * P);
    for (let s = 0; s < S; s++) {
      const r = this.samples.rows[s];
      const L = (r.length - 2 * K) / 2;
      for (let i = 0; i < Math.min(L, W); i++) {
        ready[s * W + i] = r[i];
        desiredNow[s * W + i] = r[L + i];
      }
      for (let p = 0; p < P; p++) {
        kindReady[s * P + p] = r[2 * L + kindsPresent[p]];
        kindDesired[s * P + p] = r[2 * L + K + kindsPresent[p]];
      }
    }
    return {
      workloads,
      byKind,
      sampleTimes,
      ready,
      desiredNow,
      kindReady,
      kindDesired,
      samplePeriodSeconds: this.samples.period / US_PER_SECOND,
      jobsSucceeded,
      jobsFailed,
    };
  }

  private ensureJobs(n: number): void {
    if (n <= this.wOf.length) return;
    const size = Math.max(n, this.wOf.length * 2, 64);
    const w = new Int32Array(size).fill(-1);
    w.set(this.wOf);
    this.wOf = w;
    this.jDesired = growI32(this.jDesired, size);
    this.jWanted = growI32(this.jWanted, size);
  }

  private ensureWorkloads(n: number): void {
    if (n <= this.desired.length) return;
    const size = Math.max(n, this.desired.length * 2);
    this.desired = growI32(this.desired, size);
    this.eff = growI32(this.eff, size);
    this.ready = growI32(this.ready, size);
    this.lost = growI32(this.lost, size);
    this.recreated = growI32(this.recreated, size);
    this.last = growF64(this.last, size);
    this.area = growF64(this.area, size);
    this.live = growF64(this.live, size);
    this.degraded = growF64(this.degraded, size);
    this.minRatio = growF64(this.minRatio, size);
  }
}

function growI32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

function growF64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
