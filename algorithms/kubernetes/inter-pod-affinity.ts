import { type Cycle, type FilterPlugin, type PreFilterStatus, type ScorePlugin, MAX_NODE_SCORE } from './plugin.js';
import type { AffinityTerm, PodInfo } from './pod-info.js';
import { labelValue } from '../../model/labels.js';
import { TopologyCounts } from './topology-counts.js';
import { REASON_EXISTING_ANTI_AFFINITY, REASON_POD_AFFINITY, REASON_POD_ANTI_AFFINITY } from './unschedulable-reasons.js';

export interface InterPodAffinityArgs {
  /** Score weight of existing pods' required affinity terms that the incoming pod matches (kube default 1). */
  hardPodAffinityWeight: number;
  /** Skip the score when the incoming pod has no preferred terms of its own (existing pods' preferences ignored). */
  ignorePreferredTermsOfExistingPods?: boolean;
}

export const DEFAULT_INTER_POD_AFFINITY_ARGS: InterPodAffinityArgs = { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false };

/**
 * InterPodAffinity (pkg/scheduler/framework/plugins/interpodaffinity), over the running pods the
 * PodTracker keeps (counted per job and node). A term selects pods by label selector in its
 * namespaces (listed, matched by namespaceSelector, or the owner's own); see pod-info.ts.
 *
 * PreFilter: a pod whose affinity terms do not parse is unschedulable (kube's PodInfo ParseError).
 * Filter, with counts per (topologyKey, value) built once per decision:
 * - existing pods' required anti-affinity terms that match the incoming pod block every node in
 *   the same topology domain (symmetry);
 * - the pod's required anti-affinity terms: no matching pod in the node's domain of any term;
 * - the pod's required affinity terms: the node must carry every term's topology key, and a pod
 *   matching ALL terms must run in the node's domain of each term — except when no such pod exists
 *   anywhere and the pod matches its own terms (the first replica of a self-affine group; the node
 *   must still carry the keys).
 * Score: Σ weights of preferred terms, both directions (the pod's terms matching existing pods,
 * existing pods' terms matching the pod; existing required affinity counts
 * hardPodAffinityWeight), credited to every node sharing the existing pod's domain; then min–max
 * normalized to 0–100. With ignorePreferredTermsOfExistingPods and no preferred terms of its own
 * the pod gets no score (kube's Skip).
 */
export class InterPodAffinity implements FilterPlugin, ScorePlugin {
  readonly name = 'InterPodAffinity';
  private readonly args: InterPodAffinityArgs;
  private readonly existingAnti = new TopologyCounts();
  private readonly affinity = new TopologyCounts();
  private readonly anti = new TopologyCounts();
  private readonly scores = new TopologyCounts();
  private selfMatch = false;

  constructor(args: InterPodAffinityArgs = DEFAULT_INTER_POD_AFFINITY_ARGS) {
    this.args = args;
  }

  /** Adds `n` × each running pod of `job` to the domain (term's key) of its node. */
  private addJob(cy: Cycle, counts: TopologyCounts, job: number, key: string, n: number): void {
    const labels = cy.cluster.labels;
    for (const [node, cnt] of cy.shared.tracker.jobNodes.get(job)!) {
      const v = labelValue(labels[node], key);
      if (v !== undefined) counts.add(key, v, n * cnt);
    }
  }

  /** Does `target` (job `job`) match every term (kube's podMatchesAllAffinityTerms)? */
  private matchesAll(cy: Cycle, terms: readonly AffinityTerm[], job: number, target: PodInfo): boolean {
    if (terms.length === 0) return false;
    for (const t of terms) if (!cy.shared.termMatches(t, job, target)) return false;
    return true;
  }

  preFilter(cy: Cycle): PreFilterStatus {
    const pod = cy.pod;
    if (pod.affinityParseError) return 'reject';
    const tr = cy.shared.tracker;
    const me = cy.task.job;
    this.existingAnti.clear();
    for (const job of tr.jobsWithAntiAffinityToward(pod.labels)) {
      const owner = tr.jobInfo.get(job)!;
      for (const term of owner.requiredAntiAffinity) {
        if (cy.shared.termMatches(term, me, pod)) this.addJob(cy, this.existingAnti, job, term.topologyKey, 1);
      }
    }
    const aff = pod.requiredAffinity;
    const anti = pod.requiredAntiAffinity;
    if (aff.length === 0 && anti.length === 0) return this.existingAnti.size > 0 ? 'active' : 'skip';
    this.affinity.clear();
    this.anti.clear();
    if (aff.length > 0) {
      for (const job of tr.jobsSelectable(aff[0].selector)) {
        if (this.matchesAll(cy, aff, job, tr.jobInfo.get(job)!)) for (const t of aff) this.addJob(cy, this.affinity, job, t.topologyKey, 1);
      }
    }
    for (const t of anti) {
      for (const job of tr.jobsSelectable(t.selector)) {
        if (cy.shared.termMatches(t, job, tr.jobInfo.get(job)!)) this.addJob(cy, this.anti, job, t.topologyKey, 1);
      }
    }
    this.selfMatch = this.matchesAll(cy, aff, me, pod);
    return 'active';
  }

  filter(cy: Cycle, node: number): boolean {
    const labels = cy.cluster.labels[node];
    const pod = cy.pod;
    // kube's satisfyPodAffinity: every topology key present, then a matching pod in each domain.
    if (pod.requiredAffinity.length > 0) {
      let all = true;
      for (const t of pod.requiredAffinity) {
        const v = labelValue(labels, t.topologyKey);
        if (v === undefined) return false;
        if (this.affinity.get(t.topologyKey, v) <= 0) all = false;
      }
      if (!all && !(this.affinity.size === 0 && this.selfMatch)) return false;
    }
    for (const t of pod.requiredAntiAffinity) {
      const v = labelValue(labels, t.topologyKey);
      if (v !== undefined && this.anti.get(t.topologyKey, v) > 0) return false;
    }
    if (this.existingAnti.size > 0) {
      for (const [key, values] of this.existingAnti.byKey) {
        const v = labelValue(labels, key);
        if (v !== undefined && (values.get(v) ?? 0) > 0) return false;
      }
    }
    return true;
  }

  /**
   * kube's Filter reason (filtering.go Filter), in its order: the pod's affinity, its
   * anti-affinity, then existing pods' anti-affinity — the same checks as `filter`.
   */
  reason(cy: Cycle, node: number): string {
    const labels = cy.cluster.labels[node];
    const pod = cy.pod;
    if (pod.requiredAffinity.length > 0) {
      let all = true;
      for (const t of pod.requiredAffinity) {
        const v = labelValue(labels, t.topologyKey);
        if (v === undefined) return REASON_POD_AFFINITY;
        if (this.affinity.get(t.topologyKey, v) <= 0) all = false;
      }
      if (!all && !(this.affinity.size === 0 && this.selfMatch)) return REASON_POD_AFFINITY;
    }
    for (const t of pod.requiredAntiAffinity) {
      const v = labelValue(labels, t.topologyKey);
      if (v !== undefined && this.anti.get(t.topologyKey, v) > 0) return REASON_POD_ANTI_AFFINITY;
    }
    return REASON_EXISTING_ANTI_AFFINITY;
  }

  preScore(cy: Cycle, _nodes: Int32Array, count: number): number | undefined {
    if (count === 0) return 0;
    const pod = cy.pod;
    const own = pod.preferredAffinity.length + pod.preferredAntiAffinity.length > 0;
    if (this.args.ignorePreferredTermsOfExistingPods && !own) return 0;
    const tr = cy.shared.tracker;
    const me = cy.task.job;
    const s = this.scores;
    s.clear();
    // The pod's preferred terms, over the running pods they select.
    for (const w of pod.preferredAffinity) {
      for (const job of tr.jobsSelectable(w.term.selector)) {
        if (cy.shared.termMatches(w.term, job, tr.jobInfo.get(job)!)) this.addJob(cy, s, job, w.term.topologyKey, w.weight);
      }
    }
    for (const w of pod.preferredAntiAffinity) {
      for (const job of tr.jobsSelectable(w.term.selector)) {
        if (cy.shared.termMatches(w.term, job, tr.jobInfo.get(job)!)) this.addJob(cy, s, job, w.term.topologyKey, -w.weight);
      }
    }
    // Running pods' terms that select this pod.
    for (const job of tr.jobsWithAffinityToward(pod.labels)) {
      const e = tr.jobInfo.get(job)!;
      if (this.args.hardPodAffinityWeight > 0) {
        for (const t of e.requiredAffinity) if (cy.shared.termMatches(t, me, pod)) this.addJob(cy, s, job, t.topologyKey, this.args.hardPodAffinityWeight);
      }
      for (const w of e.preferredAffinity) if (cy.shared.termMatches(w.term, me, pod)) this.addJob(cy, s, job, w.term.topologyKey, w.weight);
      for (const w of e.preferredAntiAffinity) if (cy.shared.termMatches(w.term, me, pod)) this.addJob(cy, s, job, w.term.topologyKey, -w.weight);
    }
    return s.size === 0 ? 0 : undefined;
  }

  scoreNodes(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void {
    for (let i = 0; i < count; i++) out[i] = this.score(cy, nodes[i]);
  }

  score(cy: Cycle, node: number): number {
    const labels = cy.cluster.labels[node];
    let sum = 0;
    for (const [key, values] of this.scores.byKey) {
      const v = labelValue(labels, key);
      if (v !== undefined) sum += values.get(v) ?? 0;
    }
    return sum;
  }

  /** kube's InterPodAffinity.NormalizeScore: (s − min) / (max − min) · 100; all equal → 0. */
  normalize(_cy: Cycle, scores: Float64Array, count: number): void {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < count; i++) {
      if (scores[i] > max) max = scores[i];
      if (scores[i] < min) min = scores[i];
    }
    const diff = max - min;
    for (let i = 0; i < count; i++) scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i] - min) / diff)) : 0;
  }
}
