import type { Reaction, ReactionHost } from './reaction-host.js';
import type { Workload } from '../../model/workload.js';
import type { DisruptionBudget, IntOrPercent } from '../../model/workload-controllers.js';
import { UsageError } from '../../model/errors.js';
import type { DisruptionBudgetView } from '../../algorithms/preemption/pdb-violations.js';

export type { DisruptionBudgetView } from '../../algorithms/preemption/pdb-violations.js';

/** Per-task state bits. */
const HEALTHY = 1;
/** Being deleted (preemption, drain): never healthy again in this attempt. */
const TERMINATING = 2;
/** Started at least once (counts toward a budget's expected pods when its job has no controller). */
const SEEN = 4;

/**
 * PodDisruptionBudgets at run time, as upstream's disruption controller keeps their status
 * (kubernetes pkg/controller/disruption, disruption.go: getExpectedPodCount, countHealthyPods,
 * updatePdbStatus):
 * - expected pods = Σ desired of the controllers of the jobs the budget selects (their scale;
 *   a job with no known controller counts the pods of it that have started);
 * - desiredHealthy = minAvailable (an integer), or ⌈minAvailable% · expected⌉, or
 *   expected − maxUnavailable (an integer, or ⌈maxUnavailable% · expected⌉), not below 0
 *   (intstr.GetScaledValueFromIntOrPercent rounds up);
 * - currentHealthy = pods of those jobs running (Ready) on a node that is not down and not being
 *   deleted (a pod asked to terminate stops counting at once, as a DeletionTimestamp does);
 * - disruptionsAllowed = currentHealthy − desiredHealthy (upstream clamps it at 0 in the status;
 *   both give the same preemption and drain decisions), 0 when nothing is expected.
 * Each started / stopped / nodeDown event costs O(budgets of the task's job): the job → budgets
 * table is built once.
 */
export class DisruptionBudgets implements Reaction, DisruptionBudgetView {
  readonly name = 'disruption-budgets';
  private host?: ReactionHost;
  private readonly budgets: DisruptionBudget[];
  private readonly byJob: Array<readonly number[] | undefined> = [];
  private readonly healthy: Int32Array;
  /** Started pods per budget of jobs without a controller (their expected count). */
  private readonly seenWithoutController: Int32Array;
  private state = new Uint8Array(0);
  private readonly workload: Workload;
  private expectedCache: Int32Array;
  private expectedFor = -1;

  constructor(workload: Workload) {
    this.workload = workload;
    this.budgets = workload.disruptionBudgets ?? [];
    const n = this.budgets.length;
    this.healthy = new Int32Array(n);
    this.seenWithoutController = new Int32Array(n);
    this.expectedCache = new Int32Array(n);
    const empty: string[] = [];
    this.budgets.forEach((b, i) => {
      checkBudget(b);
      if (b.jobs.length === 0) empty.push(b.name);
      for (const job of b.jobs) {
        const list = (this.byJob[job] as number[] | undefined) ?? [];
        if (!list.includes(i)) list.push(i);
        this.byJob[job] = list;
      }
    });
    if (empty.length > 0) {
      workload.notes.push(
        `warning: ${empty.length} PodDisruptionBudget(s) select no pods (accepted, as the API server does; they protect nothing): ${empty.slice(0, 5).join(', ')}${empty.length > 5 ? ', …' : ''}`,
      );
    }
  }

  /** How many budgets there are. */
  get count(): number {
    return this.budgets.length;
  }

  start(host: ReactionHost): void {
    this.host = host;
  }

  budgetsOf(task: number): readonly number[] {
    if (this.budgets.length === 0 || !this.host) return NONE;
    return this.byJob[this.host.tasks.job[task]] ?? NONE;
  }

  allowed(budget: number): number {
    const expected = this.expected(budget);
    const desired = this.desiredHealthy(budget, expected);
    const allowed = this.healthy[budget] - desired;
    return expected <= 0 ? Math.min(0, allowed) : allowed;
  }

  /** currentHealthy of a budget now. */
  currentHealthy(budget: number): number {
    return this.healthy[budget];
  }

  /** desiredHealthy of a budget now. */
  desired(budget: number): number {
    return this.desiredHealthy(budget, this.expected(budget));
  }

  /** Expected pods of a budget now (Σ desired of its jobs' controllers). */
  expected(budget: number): number {
    const ctl = this.workload.controllers;
    const version = ctl ? ctl.length : 0;
    if (version !== this.expectedFor) {
      // Controllers are appended while batches stream: recompute when the table grew.
      for (let b = 0; b < this.budgets.length; b++) {
        let sum = 0;
        for (const job of this.budgets[b].jobs) sum += ctl?.[job]?.desired ?? 0;
        this.expectedCache[b] = sum;
      }
      this.expectedFor = version;
    }
    return this.expectedCache[budget] + this.seenWithoutController[budget];
  }

  terminating(task: number): void {
    if (task >= this.state.length) return;
    const s = this.state[task];
    if (s & HEALTHY) this.add(task, -1);
    this.state[task] = (s & ~HEALTHY) | TERMINATING;
  }

  started(task: number, node: number): void {
    const of = this.budgetsOf(task);
    if (of.length === 0) return;
    this.ensure(task + 1);
    let s = this.state[task] & ~TERMINATING;
    if (!(s & SEEN)) {
      s |= SEEN;
      if (this.workload.controllers?.[this.host!.tasks.job[task]] === undefined) for (const b of of) this.seenWithoutController[b]++;
    }
    this.state[task] = s;
    if (!this.host!.isNodeDown(node)) {
      this.state[task] |= HEALTHY;
      this.add(task, 1);
    }
  }

  stopped(task: number): void {
    if (task >= this.state.length) return;
    const s = this.state[task];
    if (s & HEALTHY) this.add(task, -1);
    this.state[task] = s & SEEN;
  }

  nodeDown(node: number, _t: number, down: boolean): void {
    const host = this.host!;
    for (let task = host.firstOn(node); task >= 0; task = host.nextOn(task)) {
      if (task >= this.state.length || this.budgetsOf(task).length === 0) continue;
      const s = this.state[task];
      if (down && s & HEALTHY) {
        this.state[task] = s & ~HEALTHY;
        this.add(task, -1);
      } else if (!down && !(s & HEALTHY) && !(s & TERMINATING) && !host.isTerminating(task)) {
        this.state[task] = s | HEALTHY;
        this.add(task, 1);
      }
    }
  }

  private add(task: number, delta: number): void {
    for (const b of this.budgetsOf(task)) this.healthy[b] += delta;
  }

  private desiredHealthy(budget: number, expected: number): number {
    const b = this.budgets[budget];
    let desired: number;
    if (b.maxUnavailable) desired = expected - scaled(b.maxUnavailable, expected);
    else if (b.minAvailable) desired = b.minAvailable.percent ? scaled(b.minAvailable, expected) : b.minAvailable.value;
    else desired = 0;
    return desired < 0 ? 0 : desired;
  }

  private ensure(n: number): void {
    if (n <= this.state.length) return;
    const s = new Uint8Array(Math.max(n, this.state.length * 2, 1024));
    s.set(this.state);
    this.state = s;
  }
}

const NONE: readonly number[] = [];

/** intstr.GetScaledValueFromIntOrPercent with roundUp: an integer as is, a percentage of `total` rounded up. */
function scaled(v: IntOrPercent, total: number): number {
  return v.percent ? Math.ceil((v.value * total) / 100) : v.value;
}

/** policy/v1 validation (ValidatePodDisruptionBudgetSpec): one of the two, non-negative, a percentage at most 100. */
function checkBudget(b: DisruptionBudget): void {
  const both = b.minAvailable !== undefined && b.maxUnavailable !== undefined;
  const none = b.minAvailable === undefined && b.maxUnavailable === undefined;
  if (both || none) throw new UsageError(`PodDisruptionBudget ${b.name}: set exactly one of spec.minAvailable and spec.maxUnavailable`);
  for (const [field, v] of [
    ['minAvailable', b.minAvailable],
    ['maxUnavailable', b.maxUnavailable],
  ] as const) {
    if (!v) continue;
    if (!Number.isInteger(v.value) || v.value < 0 || (v.percent && v.value > 100)) {
      throw new UsageError(`PodDisruptionBudget ${b.name} (spec.${field}): expected a non-negative integer or a percentage 0–100%, got ${v.value}${v.percent ? '%' : ''}`);
    }
  }
}
