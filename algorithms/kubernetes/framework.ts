import type { ClusterView } from '../../model/cluster-view.js';
import type { Policy, PolicyOptions } from '../policy.js';
import type { TaskView } from '../../model/task-view.js';
import { numFeasibleNodesToFind } from '../nodes-to-score.js';
import type { Rng } from '../../model/rng.js';
import { Cycle, SharedState, type FilterPlugin, type ScorePlugin } from './plugin.js';
import { podInfo } from './pod-info.js';
import { instantiate, type Profile } from './profile.js';
import { DEFAULT_FIT_ARGS, FitRequest } from './node-resources-fit.js';
import { insufficientResources, resourceReasonLabels } from '../insufficient-resources.js';
import { filterReason } from './unschedulable-reasons.js';

/** schedlab's count for a node where a pending pod would now pass every filter (it waits for the next pass). */
export const REASON_PASSED_FILTERS = 'node(s) passed every filter';

/** Smallest chunk asked of the feasibility index when filters reject nodes (amortizes the tree walk). */
const MIN_CHUNK = 64;

/** Scores of one decision, per plugin (normalized, unweighted) and in total, for tests and reports. */
export interface Explanation {
  feasible: number[];
  /** Plugin name → score per feasible node (same order), 0–100 before weights and legacy scaling. */
  plugins: Record<string, number[]>;
  totals: number[];
}

/**
 * kube-scheduler's scheduling cycle over a profile (pkg/scheduler/schedule_one.go):
 *
 * 1. PreFilter every filter plugin once; those with nothing to check for this pod are skipped.
 * 2. Find feasible nodes: the cluster's feasibility index yields nodes whose free resources fit
 *    the request (NodeResourcesFit: only requested, non-ignored resources are compared — see
 *    FitRequest), in circular order from where the previous search stopped;
 *    the remaining filters run on those only, until numFeasibleNodesToFind nodes passed
 *    (percentageOfNodesToScore) or every node was tried. No full-cluster scan per pod.
 * 3. PreScore / Score / NormalizeScore each score plugin on the feasible nodes, weighted sum.
 * 4. Highest total wins; ties at random (one uniform draw, selectHost's distribution) or round robin.
 *
 * Running pods are tracked through onBind / onUnbind for the stateful plugins (and for the CPU /
 * memory defaults of pods without requests, kube's NonZeroRequested).
 */
export class FrameworkPolicy implements Policy {
  readonly name: string;
  readonly profile: Profile;
  readonly shared = new SharedState();
  private readonly filters: FilterPlugin[];
  private readonly scorers: Array<{ plugin: ScorePlugin; weight: number }>;
  private readonly active: FilterPlugin[] = [];
  private activeCount = 0;
  private readonly cycle: Cycle;
  private readonly fit: FitRequest;
  private readonly rng: Rng;
  private readonly percentage: number | undefined;
  private candidates = new Int32Array(0);
  private chunk = new Int32Array(0);
  private scores = new Float64Array(0);
  private totals = new Float64Array(0);
  private nextStart = 0;
  private readonly fitPosition: number;
  private roundRobin = 0;
  /** Set while explaining: per-plugin scores are recorded. */
  private record: Record<string, number[]> | undefined;
  /** admitsIgnoringResources' own cycle, and for which task and state its PreFilter results hold. */
  private readonly probe: Cycle;
  private readonly probeActive: FilterPlugin[] = [];
  private probeCount = 0;
  private probeRejected = false;
  private probeTask = -1;
  private probeEpoch = -1;
  private probeGeneration = -1;
  /** Bumped by every bind and unbind (the running pods the stateful filters count changed). */
  private epoch = 0;

  constructor(name: string, profile: Profile, options: PolicyOptions) {
    this.name = name;
    this.profile = profile;
    this.rng = options.rng;
    this.percentage = options.percentageOfNodesToScore ?? profile.percentageOfNodesToScore;
    const { filters, scores } = instantiate(profile, this.shared);
    this.filters = filters;
    this.scorers = scores;
    this.cycle = new Cycle(this.shared);
    this.probe = new Cycle(this.shared);
    this.fit = new FitRequest(profile.args.NodeResourcesFit ?? DEFAULT_FIT_ARGS);
    // Where NodeResourcesFit sits among the filters (first when the profile leaves it out: the
    // feasibility index checks resources anyway), for the order of failure reasons.
    const at = profile.filters.indexOf('NodeResourcesFit');
    this.fitPosition = at < 0 ? 0 : filters.filter((f) => profile.filters.indexOf(f.name) < at).length;
  }

  /**
   * Policy.unschedulableReasons: kube-scheduler's diagnosis of a pod that fits nowhere
   * (schedule_one.go findNodesThatFitPod → FitError): every up node runs the filters in profile
   * order until the first that rejects it, and that filter's reasons count for the node (all the
   * resources NodeResourcesFit finds short, one reason each). Runs the same PreFilter / Filter code
   * as scheduling, without moving the search. schedlab's one PreFilter rejection (NodeName, for a
   * node that is not there) is a plain Filter in kube, so its filter runs per node here too.
   */
  unschedulableReasons(task: TaskView, cluster: ClusterView, out: Map<string, number>): void {
    const bump = (r: string) => out.set(r, (out.get(r) ?? 0) + 1);
    this.shared.facts.sync(cluster);
    const cy = this.cycle;
    cy.reset(task, cluster, podInfo(task.constraints));
    const active = this.filters.map((f) => f.preFilter(cy) !== 'skip');
    const labels = resourceReasonLabels(cluster.resources);
    // What NodeResourcesFit compares: the requested (> 0), non-ignored resources.
    const request = this.fit.request(task, cluster);
    const lacks: string[] = [];
    for (let node = 0; node < cluster.nodeCount; node++) {
      if (!cluster.up[node]) continue;
      let failed = false;
      for (let k = 0; k <= this.filters.length && !failed; k++) {
        if (k === this.fitPosition) {
          lacks.length = 0;
          if (insufficientResources(cluster, request, node, labels, lacks) > 0) {
            lacks.forEach(bump);
            failed = true;
            break;
          }
        }
        if (k < this.filters.length && active[k] && !this.filters[k].filter(cy, node)) {
          bump(filterReason(this.filters[k], cy, node));
          failed = true;
        }
      }
      if (!failed) bump(REASON_PASSED_FILTERS);
    }
  }

  select(task: TaskView, cluster: ClusterView): number {
    const found = this.findFeasible(task, cluster);
    if (found === 0) return -1;
    if (found === 1) return this.candidates[0];
    this.scoreAll(found);
    return this.selectHost(found);
  }

  /**
   * Policy.admitsIgnoringResources, for preemption's candidate nodes (kube's PostFilter runs every
   * filter on the node, pkg/scheduler/framework/preemption): PreFilter then every active Filter
   * but NodeResourcesFit, on the cluster as it is (the victims still there). PreFilter runs once
   * per task and cluster state, in a cycle of its own, so scheduling's state is untouched and a
   * search over many nodes pays the per-pod work once.
   */
  admitsIgnoringResources(task: TaskView, cluster: ClusterView, node: number): boolean {
    this.shared.facts.sync(cluster);
    const cy = this.probe;
    if (task.id !== this.probeTask || this.epoch !== this.probeEpoch || this.shared.facts.generation !== this.probeGeneration) {
      cy.reset(task, cluster, podInfo(task.constraints));
      this.probeTask = task.id;
      this.probeEpoch = this.epoch;
      this.probeGeneration = this.shared.facts.generation;
      this.probeRejected = false;
      let n = 0;
      for (const f of this.filters) {
        const s = f.preFilter(cy);
        if (s === 'reject') {
          this.probeRejected = true;
          break;
        }
        if (s === 'active') this.probeActive[n++] = f;
      }
      this.probeCount = n;
    }
    if (this.probeRejected || !cluster.up[node]) return false;
    if (cy.onlyNodes && !cy.onlyNodes.includes(node)) return false;
    for (let i = 0; i < this.probeCount; i++) if (!this.probeActive[i].filter(cy, node)) return false;
    return true;
  }

  onBind(task: TaskView, node: number, cluster: ClusterView): void {
    this.epoch++;
    this.shared.tracker.bind(task, node);
    this.shared.nonZero.bind(task, node, cluster);
    this.fit.noteBind(node, cluster);
  }

  onUnbind(task: TaskView, node: number, cluster: ClusterView): void {
    this.epoch++;
    this.shared.tracker.unbind(task, node);
    this.shared.nonZero.unbind(task, node, cluster);
  }

  /** Runs filters and scores for one task without choosing; the search position still advances. */
  explain(task: TaskView, cluster: ClusterView): Explanation {
    const found = this.findFeasible(task, cluster);
    this.record = {};
    if (found > 0) this.scoreAll(found);
    const out: Explanation = {
      feasible: Array.from(this.candidates.subarray(0, found)),
      plugins: this.record,
      totals: Array.from(this.totals.subarray(0, found)),
    };
    this.record = undefined;
    return out;
  }

  /** Steps 1–2; the feasible nodes are left in `this.candidates`. */
  private findFeasible(task: TaskView, cluster: ClusterView): number {
    this.shared.facts.sync(cluster);
    const cy = this.cycle;
    cy.reset(task, cluster, podInfo(task.constraints));
    let nActive = 0;
    for (const f of this.filters) {
      const s = f.preFilter(cy);
      if (s === 'reject') return 0;
      if (s === 'active') this.active[nActive++] = f;
    }
    this.activeCount = nActive;
    const request = this.fit.request(task, cluster);

    if (cy.onlyNodes) {
      if (this.candidates.length < cy.onlyNodes.length) this.candidates = new Int32Array(cy.onlyNodes.length);
      let found = 0;
      for (const node of cy.onlyNodes) if (cluster.fits(node, request) && this.passes(node)) this.candidates[found++] = node;
      return found;
    }

    const want = numFeasibleNodesToFind(cluster.upCount, this.percentage);
    if (this.candidates.length < want) this.candidates = new Int32Array(want);
    const n = cluster.nodeCount;
    if (this.nextStart >= n) this.nextStart = 0;
    const start = this.nextStart;
    if (nActive === 0) {
      const found = cluster.feasible(request, start, want, this.candidates);
      this.nextStart = cluster.lastStop();
      return found;
    }

    // Resource-feasible nodes in circular order from `start`, a chunk at a time, through the other
    // filters; `covered` is how far (circularly from start) the search has looked.
    let found = 0;
    let pos = start;
    let covered = 0;
    let stop = start;
    let done = false;
    while (!done && found < want) {
      const size = Math.max(want - found, MIN_CHUNK);
      if (this.chunk.length < size) this.chunk = new Int32Array(size);
      const k = cluster.feasible(request, pos, size, this.chunk);
      if (k === 0) break;
      for (let i = 0; i < k; i++) {
        const node = this.chunk[i];
        const d = node >= start ? node - start : node - start + n;
        if (d < covered) {
          done = true; // wrapped around to nodes already tried
          break;
        }
        covered = d + 1;
        if (this.passes(node)) {
          this.candidates[found++] = node;
          if (found === want) {
            stop = node + 1;
            break;
          }
        }
      }
      if (k < size) done = true; // the index went all the way round from pos
      else pos = (this.chunk[k - 1] + 1) % n;
      if (covered >= n) done = true;
    }
    this.nextStart = found === want ? stop : start;
    return found;
  }

  private passes(node: number): boolean {
    const cy = this.cycle;
    for (let i = 0; i < this.activeCount; i++) if (!this.active[i].filter(cy, node)) return false;
    return true;
  }

  /** Step 3: weighted sum of the normalized plugin scores into `this.totals`. */
  private scoreAll(found: number): void {
    if (this.totals.length < found) {
      this.totals = new Float64Array(this.candidates.length);
      this.scores = new Float64Array(this.candidates.length);
    }
    const totals = this.totals;
    const scores = this.scores;
    const cands = this.candidates;
    const cy = this.cycle;
    const legacy = this.profile.maxScore === 10;
    totals.fill(0, 0, found);
    let offset = 0;
    for (const { plugin, weight } of this.scorers) {
      const constant = plugin.preScore(cy, cands, found);
      if (constant !== undefined) {
        offset += weight * (legacy ? Math.trunc(constant / 10) : constant);
        if (this.record) this.record[plugin.name] = new Array<number>(found).fill(constant);
        continue;
      }
      plugin.scoreNodes(cy, cands, found, scores);
      if (plugin.normalize) plugin.normalize(cy, scores, found);
      if (this.record) this.record[plugin.name] = Array.from(scores.subarray(0, found));
      if (legacy) for (let i = 0; i < found; i++) totals[i] += weight * Math.trunc(scores[i] / 10);
      else for (let i = 0; i < found; i++) totals[i] += weight * scores[i];
    }
    if (offset !== 0) for (let i = 0; i < found; i++) totals[i] += offset;
  }

  /**
   * Step 4. 'random': one draw j = rng.int(c) over the c nodes at the highest total, the j-th in
   * sample order — uniform over the tied nodes, the distribution of kube-scheduler's selectHost
   * (reservoir sampling) on another random stream, and the draw kube-default makes
   * (algorithms/scored-policy.ts), so the two decide alike on workloads without constraints.
   * 'round-robin': the next tied node in turn, as older schedulers.
   */
  private selectHost(found: number): number {
    const totals = this.totals;
    const cands = this.candidates;
    let max = -Infinity;
    let ties = 0;
    for (let i = 0; i < found; i++) {
      if (totals[i] > max) {
        max = totals[i];
        ties = 1;
      } else if (totals[i] === max) ties++;
    }
    // No comparable total (NaN): the first candidate, as the loop over the sample would keep.
    if (ties === 0) return found > 0 ? cands[0] : -1;
    let pick = this.profile.tieBreak === 'round-robin' ? this.roundRobin++ % ties : ties > 1 ? this.rng.int(ties) : 0;
    for (let i = 0; i < found; i++) if (totals[i] === max && pick-- === 0) return cands[i];
    return -1;
  }
}
