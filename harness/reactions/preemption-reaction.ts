import { StopCause, type Reaction, type ReactionHost } from './reaction-host.js';
import type { Workload } from '../../model/workload.js';
import type { Policy } from '../../algorithms/policy.js';
import type { TaskView } from '../../model/task-view.js';
import { TaskStatus } from '../../model/task-status.js';
import { BAND_NAMES, bandOf, isProductionBand, type PriorityBand } from '../../model/priority-bands.js';
import { QOS_NAMES } from '../../model/qos-class.js';
import { Rng } from '../../model/rng.js';
import { UsageError } from '../../model/errors.js';
import { ReactionCause, type ReactionsResults } from '../../reports/reaction-results.js';
import { enoughCandidates, numCandidatesToFind } from '../../algorithms/preemption/candidate-sampling.js';
import { KubeVictimSelector, type VictimColumns } from '../../algorithms/preemption/kube-victims.js';
import { BorgVictimSelector, borgMayPreempt } from '../../algorithms/preemption/borg-victims.js';
import { PreemptionCandidate, preferBorg, preferKube } from '../../algorithms/preemption/candidate-choice.js';
import type { DisruptionBudgetView } from '../../algorithms/preemption/pdb-violations.js';
import { PriorityLevelSums } from '../../algorithms/preemption/priority-level-sums.js';
import { PreemptibleRoomIndex } from './preemptible-room-index.js';

export type PreemptionMode = 'kube' | 'borg';

/** kube's default terminationGracePeriodSeconds (30 s), µs. */
export const DEFAULT_TERMINATION_GRACE = 30e6;
const BANDS = BAND_NAMES.length;
/** Nodes asked of the room index at a time. */
const CHUNK = 64;
/** Sim time between checks for overcommit holds (Cluster.held) in use, µs. */
const HELD_CHECK_PERIOD = 300e6;
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
 * Cost bound: besides the sampling, a node's pods are walked only when its free room plus the
 * requests of every running task of a priority level that could hold victims can hold the task
 * — an upper bound on what preemption could free there (per-node sums by priority level, kept
 * from started / stopped: algorithms/preemption/priority-level-sums.ts), so no candidate is
 * lost. Those nodes come from a feasibility index over that room (preemptible-room-index.ts),
 * in the same circular order from the offset, so a search costs O(nodes dry-run · log n) and a
 * search that cannot succeed O(log n), never a scan of every node. Under Borg the first
 * candidate that cannot be beaten (one victim, of the lowest priority running) ends the search:
 * the same choice as the full sample, since ties keep the first. Searches and nodes dry-run are
 * counted in the report.
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
  /** Σ admission vectors of the running tasks per node and priority level (the pruning bound). */
  private levels = new PriorityLevelSums(1);
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
  /** The room index (read by tests: how much a search visited). */
  room!: PreemptibleRoomIndex;
  private chunk = new Int32Array(CHUNK);
  /** Per node: this reaction's victims still terminating there (Borg's figures from the level sums need none). */
  private terminatingOn = new Int32Array(0);
  private readonly figures = new Float64Array(2);
  private roomScratch = new Float64Array(0);
  /** Overcommit holds: whether any node holds beyond its requests, when that was last checked, and what each node held when last seen. */
  private heldInUse = false;
  private heldCheckedAt = -Infinity;
  private heldSeenAt = NaN;
  private heldSeen = new Float64Array(0);

  // Report.
  private preemptions = 0;
  private victims = 0;
  private readonly victimsByBand = new Array<number>(BANDS).fill(0);
  private readonly victimsByQos = new Array<number>(QOS_NAMES.length).fill(0);
  private readonly lostByBand = new Array<number>(BANDS).fill(0);
  private readonly preemptorsByBand = new Array<number>(BANDS).fill(0);
  private pdbViolations = 0;
  private nodesExamined = 0;
  private searches = 0;
  private candidatesFromSums = 0;
  private noCandidate = 0;
  private neverPolicySkipped = 0;

  /** `maxLevels`: priority levels kept exact (tests lower it to check that coarse levels choose the same). */
  constructor(mode: PreemptionMode, workload: Workload, budgets: DisruptionBudgetView, policy: Policy, private readonly maxLevels = 16) {
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
    this.levels = new PriorityLevelSums(this.D, this.maxLevels);
    this.roomScratch = new Float64Array(this.D);
    this.room = new PreemptibleRoomIndex(host.cluster, this.levels);
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
    this.room.changed(node);
  }

  nodeRemoved(node: number): void {
    this.room.changed(node);
  }

  started(task: number, node: number): void {
    this.ensureNodes(node + 1);
    const p = this.host.tasks.priority[task];
    if (this.levels.needsLevel(p)) {
      // A new priority: re-bucket every running task, this one included (rare: once per level).
      this.levels.addLevel(p);
      this.rebuildLevels();
      return;
    }
    this.levels.add(node, p, this.host.admissionVectors(), task * this.D, 1);
    this.room.changed(node);
  }

  stopped(task: number, node: number, _t: number, cause: StopCause, lost: number): void {
    const p = this.host.tasks.priority[task];
    this.levels.add(node, p, this.host.admissionVectors(), task * this.D, -1);
    this.room.changed(node);
    if (task < this.flags.length && this.flags[task] & VICTIM) {
      this.flags[task] &= ~VICTIM;
      this.terminatingOn[node]--;
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
    const prio = tasks.priority[task];
    this.searches++;
    const k = this.levels.prefix(prio, this.mode === 'borg' ? this.nonProduction : undefined);
    if (k === 0) {
      this.noCandidate++;
      return false; // nothing of lower priority runs anywhere
    }
    this.syncHeld(t);

    const n = cluster.nodeCount;
    const numCandidates = numCandidatesToFind(cluster.upCount);
    const offset = this.rng.int(n);
    const free = cluster.free;
    const admits = this.policy.admitsIgnoringResources;
    // Borg with one priority per level: a node's figures (fewest victims, highest victim
    // priority) are bounded from its level sums, and one victim of the lowest priority running
    // cannot be beaten (ties keep the first).
    const borgSums = this.mode === 'borg' && this.levels.exact;
    const unbeatable = borgSums ? this.levels.lowestRunning() : -Infinity;
    const fig = this.figures;
    let nonViolating = 0;
    let violating = 0;
    let found = false;
    // Nodes whose room with the first k levels freed holds the task, circularly from the offset.
    let pos = offset;
    let covered = 0;
    let done = false;
    while (!done) {
      const got = this.room.collect(k, req, pos, CHUNK, this.chunk);
      if (got === 0) break;
      for (let i = 0; i < got; i++) {
        const node = this.chunk[i];
        const dist = node >= offset ? node - offset : node - offset + n;
        if (dist < covered) {
          done = true; // wrapped round to nodes already seen
          break;
        }
        covered = dist + 1;
        if (cluster.runningCount[node] === 0 || !host.isNodeReady(node)) continue;
        if (admits !== undefined && !admits.call(this.policy, view, cluster, node)) continue;
        if (borgSums && found && this.terminatingOn[node] === 0) {
          // A candidate for sure (the room index's bound is exact here); walk its pods only if
          // it might beat the best so far.
          if (!this.levels.borgFigures(node, k, free, node * D, req, 0, this.roomScratch, fig)) continue;
          const best = this.best;
          if (!(fig[0] < best.count || (fig[0] === best.count && fig[1] < best.highestPriority))) {
            this.candidatesFromSums++;
            nonViolating++;
            if (enoughCandidates(nonViolating, violating, numCandidates)) {
              done = true;
              break;
            }
            continue;
          }
        }
        this.nodesExamined++;
        const kk = this.gather(node, prio);
        let ok: boolean;
        let pdb = 0;
        let victims: Int32Array;
        let count: number;
        if (this.mode === 'kube') {
          ok = this.kube.select(this.potential, kk, free, node * D, req, 0, this.cols, this.budgets);
          victims = this.kube.victims;
          count = this.kube.count;
          pdb = this.kube.pdbViolations;
        } else {
          ok = this.borg.select(this.potential, kk, free, node * D, req, 0, this.cols);
          victims = this.borg.victims;
          count = this.borg.count;
        }
        if (!ok) continue;
        this.cand.set(node, victims, count, pdb, tasks.priority, tasks.start);
        if (!found || (this.mode === 'kube' ? preferKube(this.cand, this.best) : preferBorg(this.cand, this.best))) this.best.copyFrom(this.cand);
        found = true;
        if (pdb === 0) nonViolating++;
        else violating++;
        if (enoughCandidates(nonViolating, violating, numCandidates) || (this.best.count === 1 && this.best.highestPriority <= unbeatable)) {
          done = true;
          break;
        }
      }
      if (got < CHUNK || covered >= n) break; // the index went all the way round
      pos = this.chunk[got - 1] + 1;
      if (pos >= n) pos = 0;
    }
    if (!found) {
      this.noCandidate++;
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
      searches: this.searches,
      candidatesFromSums: this.candidatesFromSums,
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
      this.terminatingOn[tasks.node[v]]++;
      const grace = this.graceFor(v);
      this.graceOf.set(v, grace);
      this.budgets.terminating?.(v);
      const asked = host.terminate(v, StopCause.Preempted, grace, () => this.victimGone(task, node));
      if (!asked) {
        // Already terminating for another reason: it will go without our callback.
        this.flags[v] &= ~VICTIM;
        this.terminatingOn[tasks.node[v]]--;
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

  /** Borg: a level whose lowest priority is production holds no possible victim. */
  private readonly nonProduction = (lowest: number): boolean => !isProductionBand(bandOf(lowest, this.host.workload.priorityScale ?? 'google-2011'));

  private rebuildLevels(): void {
    const host = this.host;
    const cluster = host.cluster;
    const prio = host.tasks.priority;
    const vec = host.admissionVectors();
    const D = this.D;
    for (let node = 0; node < cluster.nodeCount; node++) {
      if (!cluster.up[node]) continue;
      for (let v = host.firstOn(node); v >= 0; v = host.nextOn(v)) {
        this.levels.add(node, prio[v], vec, v * D, 1);
      }
    }
    this.room.invalidate();
  }

  /**
   * Overcommit holds (Cluster.held) change a node's free room with no task starting or stopping
   * there (the node dynamics' housekeeping, before an instant's pass). Whether any is in use is
   * checked every HELD_CHECK_PERIOD of sim time; once one is, each new instant compares every
   * node's hold with what the room index last saw and refreshes the nodes that changed.
   */
  private syncHeld(t: number): void {
    const c = this.host.cluster;
    const D = this.D;
    if (!this.heldInUse) {
      if (t - this.heldCheckedAt < HELD_CHECK_PERIOD) return;
      this.heldCheckedAt = t;
      const m = c.nodeCount * D;
      for (let i = 0; i < m; i++) {
        if (c.held[i] !== 0) {
          this.heldInUse = true;
          break;
        }
      }
      if (!this.heldInUse) return;
    }
    if (t === this.heldSeenAt) return;
    this.heldSeenAt = t;
    if (this.heldSeen.length < c.nodeCount * D) {
      const g = new Float64Array(Math.max(c.nodeCount * D, this.heldSeen.length * 2));
      g.set(this.heldSeen);
      this.heldSeen = g;
    }
    for (let node = 0; node < c.nodeCount; node++) {
      let same = true;
      for (let d = 0; d < D; d++) {
        if (c.held[node * D + d] !== this.heldSeen[node * D + d]) {
          same = false;
          this.heldSeen[node * D + d] = c.held[node * D + d];
        }
      }
      if (!same) this.room.changed(node);
    }
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
    this.levels.ensureNodes(n);
    if (n <= this.terminatingOn.length) return;
    const t = new Int32Array(Math.max(n, this.terminatingOn.length * 2, 16));
    t.set(this.terminatingOn);
    this.terminatingOn = t;
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
