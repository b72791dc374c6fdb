import type { NodeSelectorTerm, PreferredSchedulingTerm } from '../../model/placement-constraints.js';
import { type Cycle, type FilterPlugin, type PreFilterStatus, type ScorePlugin, defaultNormalize } from './plugin.js';
import { isValidNodeTerm, matchesAnyTerm, matchesTerm } from '../../model/node-selector-matching.js';

/**
 * NodeAffinityArgs.addedAffinity: node affinity the scheduler profile adds to every pod — required
 * terms (ORed) ANDed with the pod's own, preferred terms scored beside the pod's.
 */
export interface NodeAffinityArgs {
  addedAffinity?: { required?: NodeSelectorTerm[]; preferred?: PreferredSchedulingTerm[] };
}

/**
 * NodeAffinity (pkg/scheduler/framework/plugins/nodeaffinity).
 * Filter: the profile's addedAffinity required terms (if any), then spec.nodeSelector (every label
 * equal) AND the pod's requiredDuringScheduling node selector terms (ORed terms of ANDed
 * requirements; matchFields compare the node name; a term with a requirement that does not parse
 * matches no node, as kube ignores its parse error). The pod's part is memoized per (requirement,
 * node) in SharedState, so replicas of one deployment evaluate a node once.
 * Score: sum of the weights of the preferred terms (the profile's added ones and the pod's) the
 * node matches, normalized so the best node gets 100 (DefaultNormalizeScore). A preferred term
 * that does not parse fails kube's PreScore, so the pod is never placed: here its PreFilter rejects.
 */
export class NodeAffinity implements FilterPlugin, ScorePlugin {
  readonly name = 'NodeAffinity';
  private readonly addedRequired: readonly NodeSelectorTerm[] | undefined;
  private readonly addedPreferred: readonly PreferredSchedulingTerm[];

  constructor(args: NodeAffinityArgs = {}) {
    const req = args.addedAffinity?.required;
    this.addedRequired = req !== undefined && req.length > 0 ? req : undefined;
    this.addedPreferred = args.addedAffinity?.preferred ?? [];
  }

  preFilter(cy: Cycle): PreFilterStatus {
    for (const p of cy.pod.preferredNodeAffinity) if (!isValidNodeTerm(p.preference)) return 'reject';
    return cy.pod.nodeRequirementKey === '' && this.addedRequired === undefined ? 'skip' : 'active';
  }

  filter(cy: Cycle, node: number): boolean {
    const c = cy.cluster;
    if (this.addedRequired !== undefined && !matchesAnyTerm(c.labels[node], this.addedRequired, c.ids[node])) return false;
    return cy.shared.nodeRequirementMet(cy.pod, node, c);
  }

  preScore(cy: Cycle, _nodes: Int32Array, count: number): number | undefined {
    if (count === 0) return 0;
    return cy.pod.preferredNodeAffinity.length > 0 || this.addedPreferred.length > 0 ? undefined : 0;
  }

  scoreNodes(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void {
    for (let i = 0; i < count; i++) out[i] = this.score(cy, nodes[i]);
  }

  score(cy: Cycle, node: number): number {
    const labels = cy.cluster.labels[node];
    const name = cy.cluster.ids[node];
    let s = 0;
    for (const p of this.addedPreferred) if (p.weight !== 0 && matchesTerm(labels, p.preference, name)) s += p.weight;
    for (const p of cy.pod.preferredNodeAffinity) if (p.weight !== 0 && matchesTerm(labels, p.preference, name)) s += p.weight;
    return s;
  }

  normalize(_cy: Cycle, scores: Float64Array, count: number): void {
    defaultNormalize(scores, count, false);
  }
}
