import type { PodAffinityTerm } from '../../workloads/placement-constraints.js';
import type { Cycle, FilterPlugin, PreFilterStatus, ScorePlugin } from './plugin.js';
import { MAX_NODE_SCORE } from './plugin.js';
import { termNamespaces, type PodInfo } from './pod-info.js';
import { labelValue } from '../../workloads/constraint-matching.js';
import { TopologyCounts } from './topology-counts.js';
import { REASON_EXISTING_ANTI_AFFINITY, REASON_POD_AFFINITY, REASON_POD_ANTI_AFFINITY } from './unschedulable-reasons.js';

export interface InterPodAffinityArgs {
  /** Score weight of existing pods' required affinity terms that the incoming pod matches (kube default 1). */
  hardPodAffinityWeight: number;
}

export const DEFAULT_INTER_POD_AFFINITY_ARGS: InterPodAffinityArgs = { hardPodAffinityWeight: 1 };

/**
 * InterPodAffinity (pkg/scheduler/framework/plugins/interpodaffinity), over the running pods the
 * PodTracker keeps (counted per job and node).
 *
 * Filter, with counts per (topologyKey, value) built once per decision:
 * - existing pods' required anti-affinity terms that match the incoming pod block every node in
 *   the same topology domain (symmetry);
 * - the pod's required anti-affinity terms: no matching pod in the node's domain of any term;
 * - the pod's required affinity terms: a pod matching ALL terms in the node's domain of each
 *   term — except when no such pod exists anywhere and the pod matches its own terms (the first
 *   replica of a self-affine group would otherwise wait forever).
 * Score: Σ weights of preferred terms, both directions (the pod's terms matching existing pods,
 * existing pods' terms matching the pod; existing required affinity counts
 * hardPodAffinityWeight), credited to every node sharing the existing pod's domain; then min–max
 * normalized to 0–100.
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

  private matches(cy: Cycle, owner: PodInfo, term: PodAffinityTerm, job: number, target: PodInfo): boolean {
    return cy.shared.podMatches(term.labelSelector, termNamespaces(owner, term), job, target);
  }

  /** Adds `n` × each running pod of `job` to the domain (term's key) of its node. */
  private addJob(cy: Cycle, counts: TopologyCounts, job: number, key: string, n: number): void {
    const labels = cy.cluster.labels;
    for (const [node, cnt] of cy.shared.tracker.jobNodes.get(job)!) {
      const v = labelValue(labels[node], key);
      if (v !== undefined) counts.add(key, v, n * cnt);
    }
  }

  preFilter(cy: Cycle): PreFilterStatus {
    const pod = cy.pod;
    const tr = cy.shared.tracker;
    const me = cy.task.job;
    this.existingAnti.clear();
    for (const job of tr.jobsWithAntiAffinityToward(pod.labels)) {
      const owner = tr.jobInfo.get(job)!;
      for (const term of owner.requiredAntiAffinity) {
        if (this.matches(cy, owner, term, me, pod)) this.addJob(cy, this.existingAnti, job, term.topologyKey, 1);
      }
    }
    const aff = pod.requiredAffinity;
    const anti = pod.requiredAntiAffinity;
    if (aff.length === 0 && anti.length === 0) return this.existingAnti.size > 0 ? 'active' : 'skip';
    this.affinity.clear();
    this.anti.clear();
    if (aff.length > 0) {
      // A pod counts for affinity only if it matches ALL the terms (kube's podMatchesAllAffinityTerms).
      for (const job of tr.jobsSelectable(aff[0].labelSelector)) {
        const target = tr.jobInfo.get(job)!;
        if (aff.every((t) => this.matches(cy, pod, t, job, target))) for (const t of aff) this.addJob(cy, this.affinity, job, t.topologyKey, 1);
      }
    }
    for (const t of anti) {
      for (const job of tr.jobsSelectable(t.labelSelector)) {
        if (this.matches(cy, pod, t, job, tr.jobInfo.get(job)!)) this.addJob(cy, this.anti, job, t.topologyKey, 1);
      }
    }
    this.selfMatch = aff.length > 0 && aff.every((t) => this.matches(cy, pod, t, me, pod));
    return 'active';
  }

  filter(cy: Cycle, node: number): boolean {
    const labels = cy.cluster.labels[node];
    if (this.existingAnti.size > 0) {
      for (const [key, values] of this.existingAnti.byKey) {
        const v = labelValue(labels, key);
        if (v !== undefined && (values.get(v) ?? 0) > 0) return false;
      }
    }
    const pod = cy.pod;
    if (pod.requiredAffinity.length > 0) {
      let all = true;
      for (const t of pod.requiredAffinity) {
        const v = labelValue(labels, t.topologyKey);
        if (v === undefined || this.affinity.get(t.topologyKey, v) <= 0) {
          all = false;
          break;
        }
      }
      if (!all && !(this.affinity.size === 0 && this.selfMatch)) return false;
    }
    for (const t of pod.requiredAntiAffinity) {
      const v = labelValue(labels, t.topologyKey);
      if (v !== undefined && this.anti.get(t.topologyKey, v) > 0) return false;
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

  preScore(cy: Cycle): number | undefined {
    const pod = cy.pod;
    const tr = cy.shared.tracker;
    const me = cy.task.job;
    const s = this.scores;
    s.clear();
    // The pod's preferred terms, over the running pods they select.
    for (const w of pod.preferredAffinity) {
      const t = w.podAffinityTerm;
      for (const job of tr.jobsSelectable(t.labelSelector)) if (this.matches(cy, pod, t, job, tr.jobInfo.get(job)!)) this.addJob(cy, s, job, t.topologyKey, w.weight);
    }
    for (const w of pod.preferredAntiAffinity) {
      const t = w.podAffinityTerm;
      for (const job of tr.jobsSelectable(t.labelSelector)) if (this.matches(cy, pod, t, job, tr.jobInfo.get(job)!)) this.addJob(cy, s, job, t.topologyKey, -w.weight);
    }
    // Running pods' terms that select this pod.
    for (const job of tr.jobsWithAffinityToward(pod.labels)) {
      const e = tr.jobInfo.get(job)!;
      if (this.args.hardPodAffinityWeight > 0) {
        for (const t of e.requiredAffinity) {
          if (this.matches(cy, e, t, me, pod)) this.addJob(cy, s, job, t.topologyKey, this.args.hardPodAffinityWeight);
        }
      }
      for (const w of e.preferredAffinity) {
        if (this.matches(cy, e, w.podAffinityTerm, me, pod)) this.addJob(cy, s, job, w.podAffinityTerm.topologyKey, w.weight);
      }
      for (const w of e.preferredAntiAffinity) {
        if (this.matches(cy, e, w.podAffinityTerm, me, pod)) this.addJob(cy, s, job, w.podAffinityTerm.topologyKey, -w.weight);
      }
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
