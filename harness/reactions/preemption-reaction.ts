import { StopCause, type Reaction, type ReactionHost } from './reaction-host.js';
import type { Workload } from '../../model/workload.js';
import type { Policy } from '../../algorithms/policy.js';
import type { TaskView } from '../../model/task-view.js';
import { TaskStatus } from '../../model/task-status.js';
import { BAND_NAMES, PriorityBand } from '../../model/priority-bands.js';
import { QOS_NAMES } from '../../model/qos-class.js';
import { Rng } from '../../model/rng.js';
import { UsageError } from '../../model/errors.js';
import { ReactionCause, type ReactionsResults } from '../../reports/reaction-results.js';
import { enoughCandidates, numCandidatesToFind } from '../../algorithms/preemption/candidate-sampling.js';
import { KubeVictimSelector, type VictimColumns } from '../../algorithms/preemption/kube-victims.js';
import { BorgVictimSelector, borgMayPreempt } from '../../algorithms/preemption/borg-victims.js';
import { PreemptionCandidate, preferBorg, preferKube } from '../../algorithms/preemption/candidate-choice.js';
import type { DisruptionBudgetView } from '../../algorithms/preemption/pdb-violations.js';

export type PreemptionMode = 'kube' | 'borg';

/** kube's default terminationGracePeriodSeconds (30 s), µs. */
export const DEFAULT_TERMINATION_GRACE = 30e6;
const BANDS = BAND_NAMES.length;
/** Failed searches remembered per instant (see PreemptionReaction). */
const MEMO_SIZE = 8;
/** Seed salt of the preemption's own random stream (candidate offsets). */
const RNG_SALT = 0x70726565;

/** Per-task flags. */
const NEVER_COUNTED = 1;
const VICTIM = 2;

/**
 * Priority preemption as a reaction: when the policy finds no node for a pending task
 * (`unplaced`), look for a node where stopping lower-priority tasks makes room.
 *
 * `kube` — kube-scheduler's DefaultPreemption PostFilter (pkg/scheduler/framework/preemption,
 * plugins/defaultpreemption; ../shared/docs/models.md § Kubernetes scheduling):
 * - eligibility (PodEligibleToPreemptOthers): preemptionPolicy Never never preempts (counted once
 *   per pod); a pod whose earlier victims are still terminating does not preempt again (here it
 *   is held out of the queue until they are gone); victims have strictly lower priority;
 * - candidates (findCandidates / DryRunPreemption): from a seeded random node offset, nodes are
 *   dry-run in turn until numCandidates = max(10 % of the up nodes, 100) (capped at the nodes) are
 *   found and one of them violates no PodDisruptionBudget (algorithms/preemption/
 *   candidate-sampling.ts); a node is a candidate when removing all its lower-priority pods lets
 *   the pod fit and the policy's other filters pass (Policy.admitsIgnoringResources), with its
 *   victims reprieved as SelectVictimsOnNode does (algorithms/preemption/kube-victims.ts);
 * - the node by pickOneNodeForPreemption (algorithms/preemption/candidate-choice.ts);
 * - the victims terminate gracefully (their controller's terminationGracePeriod, default 30 s;
 *   the DisruptionTarget condition makes them unhealthy for their budgets at once) and the
 *   preemptor is nominated: it leaves the queue and starts on the node when the last victim is
 *   gone, if it still fits there (else it goes back to the queue).
 *
 * `borg` — Borg (Verma et al., EuroSys'15 §2.5, §3.2; models.md § Borg): victims strictly lower
 * priority and never production or monitoring; per node lowest priority first until the task
 * fits, the node with the fewest victims then the lowest highest priority; the same candidate
 * sampling; victims stop at once (a trace records no notice period; a Kubernetes controller's
 * grace is kept) and go back to the queue through their controller, where they may preempt
 * lower work in turn — the cascade from high to low.
 *
 * Cost bound: before walking a node's pods, a node is pruned when its free room plus the
 * requests of every running task in the bands that could be victims (per-node sums by band,
 * kept in typed arrays from started / stopped) cannot hold the task — an upper bound on what
 * preemption could free there, so pruning never loses a candidate. A search where every node was
 * pruned is remembered for the rest of the instant (until a task stops or a node is added): a
 * later task of no higher band and no smaller request fails without a scan. Searches, nodes
 * dry-run and nodes pruned are counted in the report.
 */
export function createPreemption(mode: PreemptionMode, workload: Workload, budgets: DisruptionBudgetView, policy: Policy): Reaction {
  if (mode !== 'kube' && mode !== 'borg') throw new UsageError(`--preemption: expected kube, borg or none, got '${String(mode)}'`);
  return new PreemptionReaction(mode, workload, budgets, policy);
}

export class PreemptionReaction implements Reaction {
  readonly name = 'preemption';
  readonly mode: PreemptionMode;
  private host!: ReactionHost;
  private readonly workload: Workload;
  private readonly budgets: DisruptionBudgetView;
  private readonly policy: Policy;
  private rng = new Rng(1);
  private D = 0;
  /** Σ admission vectors of the running tasks per node and band: `(node * BANDS + band) * D + d`. */
  private bandSum = new Float64Array(0);
  private nodeSlots = 0;
  /** Per task: victims still terminating for it as a preemptor; flags. */
  private waiting = new Int32Array(0);
  private flags = new Uint8Array(0);
  /** Grace given to each victim in flight (for its events.csv row). */
  private readonly graceOf = new Map<number, number>();
  private view!: { -readonly [K in keyof TaskView]: TaskView[K] };
  private cols!: VictimColumns;
  private potential = new Int32Array(64);
  private readonly kube = new KubeVictimSelector();
  private readonly borg = new BorgVictimSelector();
  private readonly cand = new PreemptionCandidate();
  private readonly best = new PreemptionCandidate();
  /** The preemptor whose victims are being told to stop (its own callbacks do not finish it). */
  private executing = -1;
  /** Bumped when room can grow (a task stopped, a node added or back): failed searches are forgotten. */
  private generation = 0;
  private memoTime = NaN;
  private memoGeneration = -1;
  private memoCount = 0;
  private memoBand = new Int32Array(MEMO_SIZE);
  private memoReq = new Float64Array(0);

  // Report.
  private preemptions = 0;
  private victims = 0;
  private readonly victimsByBand = new Array<number>(BANDS).fill(0);
  private readonly victimsByQos = new Array<number>(QOS_NAMES.length).fill(0);
  private readonly lostByBand = new Array<number>(BANDS).fill(0);
  private readonly preemptorsByBand = new Array<number>(BANDS).fill(0);
  private pdbViolations = 0;
  private nodesExamined = 0;
  private nodesPruned = 0;
  private searches = 0;
  private searchesRemembered = 0;
  private noCandidate = 0;
  private neverPolicySkipped = 0;

  constructor(mode: PreemptionMode, workload: Workload, budgets: DisruptionBudgetView, policy: Policy) {
    this.mode = mode;
    this.workload = workload;
    this.budgets = budgets;
    this.policy = policy;
  }

  start(host: ReactionHost): void {
    this.host = host;
    this.D = host.cluster.dims;
    this.rng = new Rng(host.seed).fork(RNG_SALT);
    this.view = { id: 0, request: new Float64Array(this.D), priority: 0, job: 0, user: 0, missingRequest: false, constraints: undefined, duration: NaN };
    this.memoReq = new Float64Array(MEMO_SIZE * this.D);
    const tasks = host.tasks;
    // Getters: the task table's columns are replaced when it grows.
    this.cols = {
      dims: this.D,
      get vectors() {
        return host.admissionVectors();
      },
      get priority() {
        return tasks.priority;
      },
      get start() {
        return tasks.start;
      },
    };
    this.ensureNodes(host.cluster.nodeCount);
  }

  nodeAdded(node: number): void {
    this.ensureNodes(node + 1);
    this.generation++;
  }

  nodeRemoved(): void {
    this.generation++;
  }

  nodeDown(_node: number, _t: number, down: boolean): void {
    if (!down) this.generation++;
  }

  started(task: number, node: number): void {
    this.ensureNodes(node + 1);
    this.addBand(task, node, 1);
  }

  stopped(task: number, node: number, _t: number, cause: StopCause, lost: number): void {
    this.addBand(task, node, -1);
    this.generation++;
    if (task < this.flags.length && this.flags[task] & VICTIM) {
      this.flags[task] &= ~VICTIM;
      const grace = this.graceOf.get(task) ?? 0;
      this.graceOf.delete(task);
      if (cause === StopCause.Preempted) {
        this.lostByBand[this.host.tasks.band[task]] += lost;
        this.host.logEvent(ReactionCause.Preempted, node, task, lost, grace / 1e6);
      }
    }
  }

  unplaced(task: number, t: number): boolean {
    const host = this.host;
    const tasks = host.tasks;
    this.ensureTasks(task + 1);
    if (this.waiting[task] > 0) return false; // its victims are still terminating
    const ctl = this.workload.controllers?.[tasks.job[task]];
    if (ctl?.preemptionPolicy === 'Never') {
      if (!(this.flags[task] & NEVER_COUNTED)) {
        this.flags[task] |= NEVER_COUNTED;
        this.neverPolicySkipped++;
      }
      return false;
    }
    const cluster = host.cluster;
    if (cluster.upCount === 0) return false;
    const D = this.D;
    const view = this.fillView(task);
    const req = view.request;
    const band = this.boundBand(task);
    if (this.remembered(band, req, t)) {
      this.searchesRemembered++;
      return false;
    }
    this.searches++;

    const n = cluster.nodeCount;
    const numCandidates = numCandidatesToFind(cluster.upCount);
    const offset = this.rng.int(n);
    const prio = tasks.priority[task];
    const free = cluster.free;
    const admits = this.policy.admitsIgnoringResources;
    let boundPassed = false;
    let nonViolating = 0;
    let violating = 0;
    let found = false;
    for (let i = 0; i < n; i++) {
      const node = offset + i < n ? offset + i : offset + i - n;
      if (!cluster.up[node] || cluster.runningCount[node] === 0) continue;
      if (!this.boundFits(node, band, req)) {
        this.nodesPruned++;
        continue;
      }
      boundPassed = true;
      if (!host.isNodeReady(node)) continue;
      if (admits !== undefined && !admits.call(this.policy, view, cluster, node)) continue;
      this.nodesExamined++;
      const k = this.gather(node, prio);
      let ok: boolean;
      let pdb = 0;
      let victims: Int32Array;
      let count: number;
      if (this.mode === 'kube') {
        ok = this.kube.select(this.potential, k, free, node * D, req, 0, this.cols, this.budgets);
        victims = this.kube.victims;
        count = this.kube.count;
        pdb = this.kube.pdbViolations;
      } else {
        ok = this.borg.select(this.potential, k, free, node * D, req, 0, this.cols);
        victims = this.borg.victims;
        count = this.borg.count;
      }
      if (!ok) continue;
      this.cand.set(node, victims, count, pdb, tasks.priority, tasks.start);
      if (!found || (this.mode === 'kube' ? preferKube(this.cand, this.best) : preferBorg(this.cand, this.best))) this.best.copyFrom(this.cand);
      found = true;
      if (pdb === 0) nonViolating++;
      else violating++;
      if (enoughCandidates(nonViolating, violating, numCandidates)) break;
    }
    if (!found) {
      this.noCandidate++;
      if (!boundPassed) this.remember(band, req, t);
      return false;
    }
    return this.execute(task);
  }

  finish(_horizon: number, out: ReactionsResults): void {
    out.preemption = {
      mode: this.mode,
      preemptions: this.preemptions,
      victims: this.victims,
      victimsByBand: [...this.victimsByBand],
      victimsByQos: [...this.victimsByQos],
      lostWorkSecondsByBand: [...this.lostByBand],
      preemptorsByBand: [...this.preemptorsByBand],
      pdbViolations: this.pdbViolations,
      nodesExamined: this.nodesExamined,
      nodesPruned: this.nodesPruned,
      searches: this.searches,
      searchesRemembered: this.searchesRemembered,
      noCandidate: this.noCandidate,
      neverPolicySkipped: this.neverPolicySkipped,
    };
  }

  /** Nominates the preemptor to the best candidate and tells its victims to stop. */
  private execute(task: number): boolean {
    const host = this.host;
    const tasks = host.tasks;
    const best = this.best;
    const node = best.node;
    const victims = Array.from(best.victims.subarray(0, best.count));
    this.preemptions++;
    this.preemptorsByBand[tasks.band[task]]++;
    this.pdbViolations += best.pdbViolations;
    this.waiting[task] = victims.length;
    this.executing = task;
    for (const v of victims) {
      this.ensureTasks(v + 1);
      this.victims++;
      this.victimsByBand[tasks.band[v]]++;
      this.victimsByQos[tasks.qos[v]]++;
      this.flags[v] |= VICTIM;
      const grace = this.graceFor(v);
      this.graceOf.set(v, grace);
      this.budgets.terminating?.(v);
      const asked = host.terminate(v, StopCause.Preempted, grace, () => this.victimGone(task, node));
      if (!asked) {
        // Already terminating for another reason: it will go without our callback.
        this.flags[v] &= ~VICTIM;
        this.graceOf.delete(v);
        this.waiting[task]--;
      }
    }
    this.executing = -1;
    if (this.waiting[task] > 0) return true; // nominated: held until the victims are gone
    // Every victim stopped at once (no grace): bind now, or leave it waiting in the queue.
    return this.bindIfFits(task, node);
  }

  /** A victim of `task`'s preemption is gone: when it was the last, the preemptor goes to the node. */
  private victimGone(task: number, node: number): void {
    if (--this.waiting[task] > 0 || this.executing === task) return;
    if (this.host.tasks.status[task] !== TaskStatus.Pending) return; // killed, or placed otherwise
    if (!this.bindIfFits(task, node)) this.host.enqueue(task);
  }

  private bindIfFits(task: number, node: number): boolean {
    const host = this.host;
    const cluster = host.cluster;
    const view = this.fillView(task);
    if (!cluster.fits(node, view.request) || !host.isNodeReady(node)) return false;
    const admits = this.policy.admitsIgnoringResources;
    if (admits !== undefined && !admits.call(this.policy, view, cluster, node)) return false;
    host.startOn(task, node);
    return true;
  }

  /** The potential victims on a node into `this.potential`; returns how many. Terminating tasks are left alone. */
  private gather(node: number, prio: number): number {
    const host = this.host;
    const tasks = host.tasks;
    if (this.potential.length < host.countOn(node)) this.potential = new Int32Array(Math.max(host.countOn(node), this.potential.length * 2));
    let k = 0;
    for (let v = host.firstOn(node); v >= 0; v = host.nextOn(v)) {
      if (host.isTerminating(v)) continue;
      const p = tasks.priority[v];
      if (this.mode === 'kube' ? p < prio : borgMayPreempt(prio, p, tasks.band[v] as PriorityBand)) this.potential[k++] = v;
    }
    return k;
  }

  /** Highest band whose tasks could be victims (bands are monotone in priority). */
  private boundBand(task: number): number {
    const b = this.host.tasks.band[task];
    return this.mode === 'borg' && b > PriorityBand.Mid ? PriorityBand.Mid : b;
  }

  /** Could the node, freed of every running task in bands ≤ `band`, hold `req`? */
  private boundFits(node: number, band: number, req: Float64Array): boolean {
    const D = this.D;
    const free = this.host.cluster.free;
    const sums = this.bandSum;
    const base = node * BANDS * D;
    for (let d = 0; d < D; d++) {
      let room = free[node * D + d];
      for (let b = 0; b <= band; b++) room += sums[base + b * D + d];
      if (req[d] > room) return false;
    }
    return true;
  }

  private addBand(task: number, node: number, sign: 1 | -1): void {
    const D = this.D;
    const vec = this.host.admissionVectors();
    const o = (node * BANDS + this.host.tasks.band[task]) * D;
    for (let d = 0; d < D; d++) this.bandSum[o + d] += sign * vec[task * D + d];
  }

  /** Does a failed search of this instant already show that `req` at `band` fits nowhere? */
  private remembered(band: number, req: Float64Array, t: number): boolean {
    if (t !== this.memoTime || this.generation !== this.memoGeneration) {
      this.memoTime = t;
      this.memoGeneration = this.generation;
      this.memoCount = 0;
      return false;
    }
    const D = this.D;
    for (let m = 0; m < Math.min(this.memoCount, MEMO_SIZE); m++) {
      if (band > this.memoBand[m]) continue;
      let covers = true;
      for (let d = 0; d < D; d++) {
        if (req[d] < this.memoReq[m * D + d]) {
          covers = false;
          break;
        }
      }
      if (covers) return true;
    }
    return false;
  }

  private remember(band: number, req: Float64Array, t: number): void {
    if (t !== this.memoTime || this.generation !== this.memoGeneration) {
      this.memoTime = t;
      this.memoGeneration = this.generation;
      this.memoCount = 0;
    }
    const m = this.memoCount++ % MEMO_SIZE;
    this.memoBand[m] = band;
    this.memoReq.set(req, m * this.D);
  }

  private graceFor(victim: number): number {
    const ctl = this.workload.controllers?.[this.host.tasks.job[victim]];
    if (this.mode === 'borg') return ctl && ctl.kind !== 'BorgJob' ? ctl.terminationGracePeriod : 0;
    return ctl ? ctl.terminationGracePeriod : DEFAULT_TERMINATION_GRACE;
  }

  private fillView(task: number): TaskView {
    const tasks = this.host.tasks;
    const view = this.view;
    const D = this.D;
    const adm = this.host.admissionVectors();
    for (let d = 0; d < D; d++) view.request[d] = adm[task * D + d];
    view.id = task;
    view.priority = tasks.priority[task];
    view.job = tasks.job[task];
    view.user = tasks.user[task];
    view.missingRequest = tasks.missing[task] === 1;
    view.constraints = this.workload.jobConstraints?.[tasks.job[task]];
    view.duration = tasks.duration[task];
    return view;
  }

  private ensureNodes(n: number): void {
    if (n <= this.nodeSlots) return;
    const size = Math.max(n, this.nodeSlots * 2, 16);
    const b = new Float64Array(size * BANDS * this.D);
    b.set(this.bandSum);
    this.bandSum = b;
    this.nodeSlots = size;
  }

  private ensureTasks(n: number): void {
    if (n <= this.waiting.length) return;
    const size = Math.max(n, this.waiting.length * 2, 1024);
    const w = new Int32Array(size);
    w.set(this.waiting);
    this.waiting = w;
    const f = new Uint8Array(size);
    f.set(this.flags);
    this.flags = f;
  }
}
