import type { Cycle, ScorePlugin } from './plugin.js';
import { MAX_NODE_SCORE } from './plugin.js';
import { DEFAULT_SCORING_RESOURCES, ScoredResources, type ResourceSpec } from './resources.js';

/**
 * NodeResourcesBalancedAllocation (noderesources/balanced_allocation.go): favours nodes whose
 * requested fractions are even across resources: 100 · (1 − population std of the fractions),
 * each fraction (node requests + the pod's actual request, no defaults) / allocatable capped at 1,
 * resources with allocatable 0 left out, and so are scalar resources (GPU, extended) the pod does
 * not request. With two resources the std is half their difference. A pod requesting none of the
 * scored resources (best effort) is not scored: PreScore's Skip, every node 0.
 */
export class NodeResourcesBalancedAllocation implements ScorePlugin {
  readonly name = 'NodeResourcesBalancedAllocation';
  private readonly res: ScoredResources;
  private fractions = new Float64Array(4);

  constructor(resources: readonly ResourceSpec[] = DEFAULT_SCORING_RESOURCES) {
    this.res = new ScoredResources(resources);
  }

  preScore(cy: Cycle): number | undefined {
    this.res.prepare(cy.task, cy.cluster, false);
    if (this.res.allZero) return 0;
    if (this.fractions.length < this.res.count) this.fractions = new Float64Array(this.res.count);
    return undefined;
  }

  scoreNodes(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void {
    if (this.res.count !== 2) {
      for (let i = 0; i < count; i++) out[i] = this.score(cy, nodes[i]);
      return;
    }
    // CPU and memory unrolled: the std of two fractions is half their difference.
    const c = cy.cluster;
    const D = c.dims;
    const alloc = c.allocatable;
    const requested = c.requested;
    const d0 = this.res.dims[0];
    const d1 = this.res.dims[1];
    const a0 = this.res.amounts[0];
    const a1 = this.res.amounts[1];
    for (let i = 0; i < count; i++) {
      const o = nodes[i] * D;
      const cap0 = alloc[o + d0];
      const cap1 = alloc[o + d1];
      if (cap0 === 0 || cap1 === 0) {
        out[i] = this.score(cy, nodes[i]);
        continue;
      }
      let f0 = (requested[o + d0] + a0) / cap0;
      let f1 = (requested[o + d1] + a1) / cap1;
      if (f0 > 1) f0 = 1;
      if (f1 > 1) f1 = 1;
      out[i] = Math.trunc((1 - Math.abs((f0 - f1) / 2)) * MAX_NODE_SCORE);
    }
  }

  score(cy: Cycle, node: number): number {
    const c = cy.cluster;
    const D = c.dims;
    const { dims, amounts, count } = this.res;
    const f = this.fractions;
    let n = 0;
    let total = 0;
    for (let k = 0; k < count; k++) {
      const o = node * D + dims[k];
      const cap = c.allocatable[o];
      if (cap === 0) continue;
      let x = (c.requested[o] + amounts[k]) / cap;
      if (x > 1) x = 1;
      f[n++] = x;
      total += x;
    }
    let std = 0;
    if (n === 2) std = Math.abs((f[0] - f[1]) / 2);
    else if (n > 2) {
      const mean = total / n;
      let s = 0;
      for (let i = 0; i < n; i++) s += (f[i] - mean) * (f[i] - mean);
      std = Math.sqrt(s / n);
    }
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  }
}
