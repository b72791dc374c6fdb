import { fillTaskView, type MutableTaskView } from '../task-view-fill.js';
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
import { BitCursor, BorgCandidateSets } from '../../algorithms/preemption/borg-candidate-sets.js';
import { LevelTaskLists } from '../../algorithms/preemption/level-task-lists.js';
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
 * lost. Under kube those nodes come from a feasibility index over that room
 * (preemptible-room-index.ts) in the same circular order from the offset: a search costs
 * O(nodes dry-run · log n), and one that cannot succeed O(log n). Under Borg (one priority per
 * level) the bound is exact: the candidates of a request shape are a bitset kept up to date from
 * the nodes that changed (algorithms/preemption/borg-candidate-sets.ts), a node's fewest victims
 * and highest victim priority are bounded from its level sums and computed exactly from its
 * per-level task lists, newest first (level-task-lists.ts), and only the chosen node is dry-run.
 * None of it changes a choice (test/preemption-equivalence.test.ts runs both ways). Searches,
 * nodes dry-run and candidates judged without a dry run are counted in the report.
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
  private view!: MutableTaskView;
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
  /** Borg: candidate nodes per request shape, kept between searches (read by tests). */
  candidateSets = new BorgCandidateSets(1);
  private readonly cursor = new BitCursor();
  /** Borg: each node's running tasks per priority level, newest first. */
  private lists = new LevelTaskLists(1);
  private rebuildScratch = new Int32Array(64);
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
    this.candidateSets = new BorgCandidateSets(this.D);
    this.lists = new LevelTaskLists(this.levels.maxLevels);
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
    this.touch(node);
  }

  nodeRemoved(node: number): void {
    this.touch(node);
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
    this.lists.ensureTasks(task + 1);
    this.lists.add(node, this.levels.levelOf(p), task);
    this.touch(node);
  }

  stopped(task: number, node: number, _t: number, cause: StopCause, lost: number): void {
    const p = this.host.tasks.priority[task];
    this.levels.add(node, p, this.host.admissionVectors(), task * this.D, -1);
    this.lists.remove(node, this.levels.levelOf(p), task);
    this.touch(node);
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
    const view = this.fillView(task);
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
    const found = this.mode === 'borg' && this.levels.exact ? this.searchBorg(view, k, numCandidates, offset) : this.searchIndexed(view, k, numCandidates, offset);
    if (!found) {
      this.noCandidate++;
      return false;
    }
    return this.execute(task);
  }

  /**
   * The candidate search over the room index: nodes that could make room, circularly from the
   * offset, dry-run until enough candidates (DryRunPreemption). Leaves the choice in `best`.
   */
  private searchIndexed(view: TaskView, k: number, numCandidates: number, offset: number): boolean {
    const host = this.host;
    const cluster = host.cluster;
    const n = cluster.nodeCount;
    const req = view.request;
    const admits = this.policy.admitsIgnoringResources;
    let nonViolating = 0;
    let violating = 0;
    let found = false;
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
        if (!this.dryRun(node, view)) continue;
        if (!found || (this.mode === 'kube' ? preferKube(this.cand, this.best) : preferBorg(this.cand, this.best))) this.best.copyFrom(this.cand);
        found = true;
        if (this.cand.pdbViolations === 0) nonViolating++;
        else violating++;
        if (enoughCandidates(nonViolating, violating, numCandidates)) {
          done = true;
          break;
        }
      }
      if (got < CHUNK || covered >= n) break; // the index went all the way round
      pos = this.chunk[got - 1] + 1;
      if (pos >= n) pos = 0;
    }
    return found;
  }

  /**
   * Borg with one priority per level: the same sample, in the same order, but the nodes that could
   * make room come from the shape's candidate set (BorgCandidateSets: a bitset kept up to date from
   * the nodes that changed), a node's figures (fewest victims, highest victim priority) from its
   * level sums, and only a node that could beat the best so far — or has a victim of ours still
   * terminating, which the sums cannot see — is dry-run. A best of one victim of priority h cannot
   * be beaten when no node at all could make room from the levels below h (that shape's candidate
   * set is empty; always so for the lowest priority running): ties keep the first, so the search
   * ends there with the choice the whole sample would give.
   */
  private searchBorg(view: TaskView, k: number, numCandidates: number, offset: number): boolean {
    const host = this.host;
    const cluster = host.cluster;
    const n = cluster.nodeCount;
    const set = this.candidateSets.set(k, view.request, n, cluster.up, cluster.free, this.levels);
    if (set.size === 0) return false;
    const admits = this.policy.admitsIgnoringResources;
    const unbeatable = this.levels.lowestRunning();
    const fig = this.figures;
    const cursor = this.cursor;
    let candidates = 0;
    let found = false;
    // The best so far: its node and figures; its victims are known once it was dry-run.
    let bestNode = -1;
    let bestCount = 0;
    let bestHigh = 0;
    let bestDry = false;
    cursor.reset(set.bits, n, offset);
    for (let node = cursor.next(); node >= 0; node = cursor.next()) {
      if (!host.isNodeReady(node)) continue;
      if (admits !== undefined && !admits.call(this.policy, view, cluster, node)) continue;
      let dry = false;
      if (this.terminatingOn[node] > 0) {
        if (!this.dryRun(node, view)) continue;
        dry = true;
      } else {
        if (found) {
          this.candidateSets.figures(set, node, this.levels, cluster.free, this.roomScratch, fig);
          if (!(fig[0] < bestCount || (fig[0] === bestCount && fig[1] < bestHigh))) {
            this.candidatesFromSums++;
            if (++candidates >= numCandidates) break;
            continue;
          }
        }
        const exact = this.borgExact(node, k, view.request, fig);
        if (exact === 0) continue;
        if (exact < 0) {
          if (!this.dryRun(node, view)) continue;
          dry = true;
        } else this.candidatesFromSums++;
      }
      const count = dry ? this.cand.count : fig[0];
      const high = dry ? this.cand.highestPriority : fig[1];
      let improved = false;
      if (!found || count < bestCount || (count === bestCount && high < bestHigh)) {
        bestNode = node;
        bestCount = count;
        bestHigh = high;
        bestDry = dry;
        if (dry) this.best.copyFrom(this.cand);
        improved = true;
      }
      found = true;
      if (++candidates >= numCandidates) break;
      if (improved && bestCount === 1 && this.cannotBeBeaten(bestHigh, view.request, unbeatable)) break;
    }
    if (found && !bestDry) {
      // The victims of the chosen node (its figures came from the lists: the same greedy).
      // (A disagreement would be a bug; the dry run's victims are the truth either way.)
      if (this.dryRun(bestNode, view)) this.best.copyFrom(this.cand);
      else return false;
    }
    return found;
  }

  /**
   * Borg's exact figures on a node from its level lists, without gathering and sorting its pods:
   * every task of the levels below the first level that makes room, then that level's tasks newest
   * first — at equal start the higher task number first — until the task fits (BorgVictimSelector's
   * order; tasks starting in one pass join the list in queue order, so ties are usually in order
   * already). Into `out`: [0] victims, [1] highest
   * victim priority. Returns 1, 0 when the node is no candidate, −1 when that level's list is out
   * of start order (a moved start time): dry-run the node instead.
   */
  private borgExact(node: number, k: number, req: Float64Array, out: Float64Array): number {
    const levels = this.levels;
    const room = this.roomScratch;
    const l = levels.firstLevelThatFits(node, k, this.host.cluster.free, node * this.D, req, 0, room);
    if (l < 0) return 0;
    const D = this.D;
    const vec = this.host.admissionVectors();
    const start = this.host.tasks.start;
    let taken = 0;
    let fitted = false;
    let prev = -1;
    for (let t = this.lists.first(node, l); t >= 0; t = this.lists.next(t)) {
      if (prev >= 0 && !(start[prev] > start[t] || (start[prev] === start[t] && prev > t))) return -1;
      prev = t;
      if (fitted) continue;
      taken++;
      fitted = true;
      for (let d = 0; d < D; d++) {
        room[d] += vec[t * D + d];
        if (req[d] > room[d]) fitted = false;
      }
    }
    if (!fitted) return -1;
    out[0] = levels.below + taken;
    out[1] = levels.bound(l);
    return 1;
  }

  /** Borg: can no node make room for `req` from the levels below priority `high` (so one victim of `high` is the best there is)? */
  private cannotBeBeaten(high: number, req: Float64Array, lowest: number): boolean {
    if (high <= lowest) return true;
    const below = this.levels.prefix(high, this.nonProduction);
    if (below === 0) return true;
    const c = this.host.cluster;
    return this.candidateSets.set(below, req, c.nodeCount, c.up, c.free, this.levels).size === 0;
  }

  /** SelectVictimsOnNode / Borg's victims on one node into `cand`; false = no candidate. */
  private dryRun(node: number, view: TaskView): boolean {
    const tasks = this.host.tasks;
    const free = this.host.cluster.free;
    const D = this.D;
    this.nodesExamined++;
    const k = this.gather(node, view.priority);
    if (this.mode === 'kube') {
      if (!this.kube.select(this.potential, k, free, node * D, view.request, 0, this.cols, this.budgets)) return false;
      this.cand.set(node, this.kube.victims, this.kube.count, this.kube.pdbViolations, tasks.priority, tasks.start);
    } else {
      if (!this.borg.select(this.potential, k, free, node * D, view.request, 0, this.cols)) return false;
      this.cand.set(node, this.borg.victims, this.borg.count, 0, tasks.priority, tasks.start);
    }
    return true;
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
    this.lists.clear();
    const start = host.tasks.start;
    for (let node = 0; node < cluster.nodeCount; node++) {
      if (!cluster.up[node]) continue;
      // Oldest first into the lists, so each ends newest first.
      let m = 0;
      if (this.rebuildScratch.length < host.countOn(node)) this.rebuildScratch = new Int32Array(host.countOn(node) * 2);
      for (let v = host.firstOn(node); v >= 0; v = host.nextOn(v)) {
        this.levels.add(node, prio[v], vec, v * D, 1);
        this.rebuildScratch[m++] = v;
      }
      const order = this.rebuildScratch.subarray(0, m).sort((a, b) => start[a] - start[b] || a - b);
      for (let i = 0; i < m; i++) {
        this.lists.ensureTasks(order[i] + 1);
        this.lists.add(node, this.levels.levelOf(prio[order[i]]), order[i]);
      }
    }
    this.room.invalidate();
    this.candidateSets.clear();
  }

  /** A node's tasks or room changed: the room index and Borg's candidate sets hear of it. */
  private touch(node: number): void {
    this.room.changed(node);
    this.candidateSets.touched(node);
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
      if (!same) this.touch(node);
    }
  }

  private graceFor(victim: number): number {
    const ctl = this.workload.controllers?.[this.host.tasks.job[victim]];
    if (this.mode === 'borg') return ctl && ctl.kind !== 'BorgJob' ? ctl.terminationGracePeriod : 0;
    return ctl ? ctl.terminationGracePeriod : DEFAULT_TERMINATION_GRACE;
  }

  private fillView(task: number): TaskView {
    return fillTaskView(this.view, this.host.tasks, this.host.admissionVectors(), this.workload.jobConstraints, task);
  }

  private ensureNodes(n: number): void {
    this.levels.ensureNodes(n);
    this.lists.ensureNodes(n);
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
