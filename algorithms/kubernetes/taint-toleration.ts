import type { Toleration } from '../../model/placement-constraints.js';
import { NodeFlag } from './node-facts.js';
import { type Cycle, type FilterPlugin, type PreFilterStatus, type ScorePlugin, defaultNormalize } from './plugin.js';
import { toleratedBy } from '../../model/toleration-matching.js';
import { untoleratedTaintReason } from './unschedulable-reasons.js';

/**
 * TaintToleration (pkg/scheduler/framework/plugins/tainttoleration).
 * Filter: every NoSchedule / NoExecute taint of the node must be tolerated.
 * Score: the number of PreferNoSchedule taints the pod does not tolerate (only tolerations with
 * an empty or PreferNoSchedule effect count), reverse-normalized: the node with the most gets 0,
 * nodes with none get 100.
 */
export class TaintToleration implements FilterPlugin, ScorePlugin {
  readonly name = 'TaintToleration';
  private preferTolerations: Toleration[] = [];

  preFilter(cy: Cycle): PreFilterStatus {
    return (cy.shared.facts.anyFlags & NodeFlag.HardTaints) === 0 ? 'skip' : 'active';
  }

  filter(cy: Cycle, node: number): boolean {
    if ((cy.shared.facts.flags[node] & NodeFlag.HardTaints) === 0) return true;
    for (const t of cy.shared.facts.spec(node)?.taints ?? []) {
      if (t.effect === 'PreferNoSchedule') continue;
      if (!toleratedBy(cy.pod.tolerations, t)) return false;
    }
    return true;
  }

  /** The first untolerated NoSchedule/NoExecute taint, as kube's Filter names it. */
  reason(cy: Cycle, node: number): string {
    const t = (cy.shared.facts.spec(node)?.taints ?? []).find((x) => x.effect !== 'PreferNoSchedule' && !toleratedBy(cy.pod.tolerations, x));
    return t === undefined ? 'node(s) had untolerated taint(s)' : untoleratedTaintReason(t);
  }

  preScore(cy: Cycle, nodes: Int32Array, count: number): number | undefined {
    const flags = cy.shared.facts.flags;
    let any = false;
    for (let i = 0; i < count && !any; i++) if (flags[nodes[i]] & NodeFlag.SoftTaints) any = true;
    // No node has a PreferNoSchedule taint: every raw score is 0, reverse-normalized to 100.
    if (!any) return 100;
    this.preferTolerations = cy.pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return undefined;
  }

  scoreNodes(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void {
    for (let i = 0; i < count; i++) out[i] = this.score(cy, nodes[i]);
  }

  score(cy: Cycle, node: number): number {
    if ((cy.shared.facts.flags[node] & NodeFlag.SoftTaints) === 0) return 0;
    let n = 0;
    for (const t of cy.shared.facts.spec(node)?.taints ?? []) {
      if (t.effect === 'PreferNoSchedule' && !toleratedBy(this.preferTolerations, t)) n++;
    }
    return n;
  }

  normalize(_cy: Cycle, scores: Float64Array, count: number): void {
    defaultNormalize(scores, count, true);
  }
}
