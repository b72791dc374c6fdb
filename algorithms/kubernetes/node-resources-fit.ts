import type { Cycle, FilterPlugin, PreFilterStatus, ScorePlugin } from './plugin.js';
import { MAX_NODE_SCORE } from './plugin.js';
import { DEFAULT_SCORING_RESOURCES, ScoredResources, type ResourceSpec } from './resources.js';

/** A point of RequestedToCapacityRatio's shape: utilization 0–100 → score 0–10. */
export interface ShapePoint {
  utilization: number;
  score: number;
}

/** NodeResourcesFitArgs.scoringStrategy. */
export interface NodeResourcesFitArgs {
  type: 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
  resources: ResourceSpec[];
  /** RequestedToCapacityRatio only, utilization strictly increasing. */
  shape?: ShapePoint[];
}

export const DEFAULT_FIT_ARGS: NodeResourcesFitArgs = { type: 'LeastAllocated', resources: [...DEFAULT_SCORING_RESOURCES] };

/** kube's MaxCustomPriorityScore: shape scores are 0–10, scaled to 0–100. */
const MAX_CUSTOM_PRIORITY_SCORE = 10;

/** kube's helper.BuildBrokenLinearFunction: piecewise linear through the points, flat outside, integer maths. */
export function brokenLinear(shape: readonly ShapePoint[], p: number): number {
  for (let i = 0; i < shape.length; i++) {
    if (p <= shape[i].utilization) {
      if (i === 0) return shape[0].score;
      const a = shape[i - 1];
      const b = shape[i];
      return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
    }
  }
  return shape[shape.length - 1].score;
}

/**
 * NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go).
 * Filter: requests fit allocatable — done by the framework through the cluster's feasibility
 * index (ClusterView.feasible), so this filter itself has nothing left to check.
 * Score, by strategy, per resource with allocatable > 0, weighted mean:
 *   LeastAllocated  (alloc − requested) · 100 / alloc   (0 when over)      → integer mean
 *   MostAllocated   min(requested, alloc) · 100 / alloc                    → integer mean
 *   RequestedToCapacityRatio  shape(requested · 100 / alloc) with shape scores × 10, resources
 *     scoring 0 left out of the mean, rounded (requested_to_capacity_ratio.go)
 * where requested = the node's requests + the pod's (non-zero defaults for missing requests).
 */
export class NodeResourcesFit implements FilterPlugin, ScorePlugin {
  readonly name = 'NodeResourcesFit';
  readonly args: NodeResourcesFitArgs;
  private readonly res: ScoredResources;
  private readonly shape: ShapePoint[];

  constructor(args: NodeResourcesFitArgs = DEFAULT_FIT_ARGS) {
    this.args = args;
    this.res = new ScoredResources(args.resources);
    this.shape = (args.shape ?? []).map((p) => ({ utilization: p.utilization, score: p.score * (MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE) }));
  }

  preFilter(_cy: Cycle): PreFilterStatus {
    return 'skip';
  }

  filter(cy: Cycle, node: number): boolean {
    return cy.cluster.fits(node, cy.task.request);
  }

  preScore(cy: Cycle): number | undefined {
    this.res.prepare(cy.task, cy.cluster, true);
    return undefined;
  }

  scoreNodes(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void {
    if (this.res.count === 2 && this.args.type !== 'RequestedToCapacityRatio') this.scoreTwo(cy, nodes, count, out);
    else for (let i = 0; i < count; i++) out[i] = this.score(cy, nodes[i]);
  }

  /** The common case (CPU and memory) unrolled: same arithmetic as `score`, a third of the time. */
  private scoreTwo(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void {
    const c = cy.cluster;
    const D = c.dims;
    const alloc = c.allocatable;
    const requested = c.requested;
    const d0 = this.res.dims[0];
    const d1 = this.res.dims[1];
    const w0 = this.res.weights[0];
    const w1 = this.res.weights[1];
    const a0 = this.res.amounts[0];
    const a1 = this.res.amounts[1];
    const least = this.args.type === 'LeastAllocated';
    for (let i = 0; i < count; i++) {
      const o = nodes[i] * D;
      const cap0 = alloc[o + d0];
      const cap1 = alloc[o + d1];
      const r0 = requested[o + d0] + a0;
      const r1 = requested[o + d1] + a1;
      let s0 = 0;
      let s1 = 0;
      if (least) {
        s0 = cap0 === 0 || r0 > cap0 ? 0 : Math.trunc(((cap0 - r0) * MAX_NODE_SCORE) / cap0);
        s1 = cap1 === 0 || r1 > cap1 ? 0 : Math.trunc(((cap1 - r1) * MAX_NODE_SCORE) / cap1);
      } else {
        s0 = cap0 === 0 ? 0 : Math.trunc(((r0 > cap0 ? cap0 : r0) * MAX_NODE_SCORE) / cap0);
        s1 = cap1 === 0 ? 0 : Math.trunc(((r1 > cap1 ? cap1 : r1) * MAX_NODE_SCORE) / cap1);
      }
      const w = (cap0 === 0 ? 0 : w0) + (cap1 === 0 ? 0 : w1);
      out[i] = w === 0 ? 0 : Math.trunc((s0 * w0 + s1 * w1) / w);
    }
  }

  score(cy: Cycle, node: number): number {
    const c = cy.cluster;
    const D = c.dims;
    const { dims, weights, amounts, count } = this.res;
    const type = this.args.type;
    let sum = 0;
    let wsum = 0;
    for (let k = 0; k < count; k++) {
      const o = node * D + dims[k];
      const cap = c.allocatable[o];
      if (cap === 0) continue;
      const req = c.requested[o] + amounts[k];
      const w = weights[k];
      if (type === 'LeastAllocated') {
        sum += (req > cap ? 0 : Math.trunc(((cap - req) * MAX_NODE_SCORE) / cap)) * w;
        wsum += w;
      } else if (type === 'MostAllocated') {
        sum += Math.trunc(((req > cap ? cap : req) * MAX_NODE_SCORE) / cap) * w;
        wsum += w;
      } else {
        const s = req > cap ? brokenLinear(this.shape, 100) : brokenLinear(this.shape, Math.trunc((req * 100) / cap));
        if (s > 0) {
          sum += s * w;
          wsum += w;
        }
      }
    }
    if (wsum === 0) return 0;
    return type === 'RequestedToCapacityRatio' ? Math.round(sum / wsum) : Math.trunc(sum / wsum);
  }
}
