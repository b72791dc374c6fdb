import type { Cycle, FilterPlugin, PreFilterStatus, ScorePlugin } from './plugin.js';
import { defaultNormalize } from './plugin.js';
import { matchesTerm } from '../../workloads/constraint-matching.js';

/**
 * NodeAffinity (pkg/scheduler/framework/plugins/nodeaffinity).
 * Filter: spec.nodeSelector (every label equal) AND requiredDuringScheduling node selector terms
 * (ORed terms of ANDed requirements). Memoized per (requirement, node) in SharedState, so replicas
 * of one deployment evaluate a node once.
 * Score: sum of the weights of the preferred terms the node matches, normalized so the best node
 * gets 100 (DefaultNormalizeScore).
 */
export class NodeAffinity implements FilterPlugin, ScorePlugin {
  readonly name = 'NodeAffinity';

  preFilter(cy: Cycle): PreFilterStatus {
    return cy.pod.nodeRequirementKey === '' ? 'skip' : 'active';
  }

  filter(cy: Cycle, node: number): boolean {
    return cy.shared.nodeRequirementMet(cy.pod, node, cy.cluster);
  }

  preScore(cy: Cycle): number | undefined {
    const prefs = cy.pod.constraints?.preferredNodeAffinity;
    return prefs && prefs.length > 0 ? undefined : 0;
  }

  scoreNodes(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void {
    for (let i = 0; i < count; i++) out[i] = this.score(cy, nodes[i]);
  }

  score(cy: Cycle, node: number): number {
    const labels = cy.cluster.labels[node];
    let s = 0;
    for (const p of cy.pod.constraints?.preferredNodeAffinity ?? []) {
      if (p.weight !== 0 && matchesTerm(labels, p.preference)) s += p.weight;
    }
    return s;
  }

  normalize(_cy: Cycle, scores: Float64Array, count: number): void {
    defaultNormalize(scores, count, false);
  }
}
