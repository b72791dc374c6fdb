import type { ClusterView } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';
import { NodeFacts } from './node-facts.js';
import { PodTracker } from './pod-tracker.js';
import { NonZeroRequested } from './non-zero-requested.js';
import { NO_CONSTRAINTS, affinityTermMatches, type AffinityTerm, type PodInfo, type SpreadConstraint } from './pod-info.js';
import { matchesAnyTerm, matchesNodeSelector } from '../../model/node-selector-matching.js';
import { matchesLabelSelector } from '../../model/label-selector-matching.js';

/**
 * The plugin interfaces of schedlab's kube-scheduler framework (pkg/scheduler/framework): a
 * filter plugin says whether a node can take the pod, a score plugin ranks the nodes that passed
 * every filter (0–100, then weighted). PreFilter / PreScore run once per decision, so per-pod work
 * (selector parsing, counting pods by topology domain) is never repeated per node.
 */
export const MAX_NODE_SCORE = 100;

export type PreFilterStatus = 'skip' | 'active' | 'reject';

export interface FilterPlugin {
  readonly name: string;
  /** Once per decision: 'skip' when there is nothing to check (kube's Skip status), 'reject' when no node can pass. */
  preFilter(cy: Cycle): PreFilterStatus;
  filter(cy: Cycle, node: number): boolean;
  /**
   * Optional: kube's reason string for a node this filter rejected (called after `filter` returned
   * false, in the same cycle), where it depends on the node or the cycle. Without it the plugin's
   * fixed reason (unschedulable-reasons.ts) is used. Only asked for pods left pending.
   */
  reason?(cy: Cycle, node: number): string;
}

export interface ScorePlugin {
  readonly name: string;
  /**
   * Once per decision over the feasible nodes. Returns a number when every node gets that same
   * (normalized) score — e.g. 0 for kube's Skip — so the framework need not call `score`.
   */
  preScore(cy: Cycle, nodes: Int32Array, count: number): number | undefined;
  score(cy: Cycle, node: number): number;
  /**
   * Raw scores of `count` nodes into `out` — a loop inside each plugin class, so the per-node call
   * stays monomorphic (a shared loop calling seven plugin classes' `score` is several times slower).
   */
  scoreNodes(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void;
  /** Rescales the raw scores of `count` nodes in place to 0–100 (kube's NormalizeScore). */
  normalize?(cy: Cycle, scores: Float64Array, count: number): void;
}

/** State shared by the plugins of one policy instance: node facts, running pods, match caches. */
export class SharedState {
  readonly facts = new NodeFacts();
  readonly tracker = new PodTracker();
  /** CPU / memory defaults of running pods without requests (kube's NonZeroRequested). */
  readonly nonZero = new NonZeroRequested();
  private readonly nodeReq = new Map<string, { generation: number; memo: Uint8Array }>();
  private readonly selectorMatches = new WeakMap<object, Map<number, boolean>>();

  /** Does `node` satisfy the pod's nodeSelector and required node affinity? Memoized per requirement. */
  nodeRequirementMet(pod: PodInfo, node: number, cluster: ClusterView): boolean {
    if (pod.nodeRequirementKey === '') return true;
    let e = this.nodeReq.get(pod.nodeRequirementKey);
    if (!e || e.generation !== this.facts.generation || e.memo.length < cluster.nodeCount) {
      // Node set changed: start over (rare), sized with headroom for added nodes.
      if (this.nodeReq.size > 4096) this.nodeReq.clear();
      e = { generation: this.facts.generation, memo: new Uint8Array(Math.max(16, cluster.nodeCount * 2)) };
      this.nodeReq.set(pod.nodeRequirementKey, e);
    }
    const m = e.memo[node];
    if (m !== 0) return m === 1;
    const labels = cluster.labels[node];
    const ok =
      (pod.nodeSelector === undefined || matchesNodeSelector(labels, pod.nodeSelector)) &&
      (pod.requiredNodeAffinity.length === 0 || matchesAnyTerm(labels, pod.requiredNodeAffinity, cluster.ids[node]));
    e.memo[node] = ok ? 1 : 2;
    return ok;
  }

  /**
   * Does job `job`'s pod `target` fall under the affinity term (namespaces and selectors)?
   * Cached per term object and job: terms belong to one pod template, jobs keep their labels.
   */
  termMatches(term: AffinityTerm, job: number, target: PodInfo): boolean {
    return this.cached(term, job, () => affinityTermMatches(term, target));
  }

  /**
   * Is job `job`'s pod `target` counted by a spread constraint of a pod in `namespace`: same
   * namespace, labels matched by the selector (kube's countPodsMatchSelector)? Cached per constraint and job.
   */
  spreadMatches(c: SpreadConstraint, namespace: string, job: number, target: PodInfo): boolean {
    return this.cached(c, job, () => target.namespace === namespace && matchesLabelSelector(target.labels, c.selector));
  }

  private cached(key: object, job: number, compute: () => boolean): boolean {
    let m = this.selectorMatches.get(key);
    if (!m) {
      m = new Map();
      this.selectorMatches.set(key, m);
    }
    let r = m.get(job);
    if (r === undefined) {
      r = compute();
      m.set(job, r);
    }
    return r;
  }
}

/** One scheduling decision (kube's CycleState): the pod, the cluster, shared state. */
export class Cycle {
  task!: TaskView;
  cluster!: ClusterView;
  pod: PodInfo = NO_CONSTRAINTS;
  /** Set by a PreFilter that knows the only possible nodes (kube's PreFilterResult). */
  onlyNodes: number[] | undefined;
  private bestEffort = -1;
  readonly shared: SharedState;

  constructor(shared: SharedState) {
    this.shared = shared;
  }

  reset(task: TaskView, cluster: ClusterView, pod: PodInfo): void {
    this.task = task;
    this.cluster = cluster;
    this.pod = pod;
    this.onlyNodes = undefined;
    this.bestEffort = -1;
  }

  /**
   * QoS BestEffort: as the source states it, else (limits are not in TaskView) a pod that requests
   * nothing in any dimension.
   */
  isBestEffort(): boolean {
    if (this.bestEffort < 0) {
      const q = this.pod.constraints?.qos;
      if (q !== undefined && /^(Guaranteed|Burstable|BestEffort)$/i.test(q)) this.bestEffort = /^BestEffort$/i.test(q) ? 1 : 0;
      else {
        let any = false;
        for (let d = 0; d < this.task.request.length; d++) if (this.task.request[d] > 0) any = true;
        this.bestEffort = any ? 0 : 1;
      }
    }
    return this.bestEffort === 1;
  }
}

/** Plugin arguments and shared state a factory receives. */
export interface PluginEnv {
  readonly shared: SharedState;
  /** The plugin's pluginConfig args, already validated (see profile.ts). */
  readonly args: unknown;
}

/** kube's helper.DefaultNormalizeScore: scale to 0–max by the maximum; `reverse` flips. */
export function defaultNormalize(scores: Float64Array, count: number, reverse: boolean): void {
  let max = 0;
  for (let i = 0; i < count; i++) if (scores[i] > max) max = scores[i];
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE, 0, count);
    return;
  }
  for (let i = 0; i < count; i++) {
    let s = Math.trunc((MAX_NODE_SCORE * scores[i]) / max);
    if (reverse) s = MAX_NODE_SCORE - s;
    scores[i] = s;
  }
}
