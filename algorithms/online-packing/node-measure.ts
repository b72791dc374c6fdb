import type { ClusterView } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';
import { measureOf, type SizeMeasure } from '../offline/size-measures.js';
import { dimIndex } from '../../model/resources.js';
import { UsageError } from '../../model/errors.js';
import { normalizedResidual } from './normalized-residual.js';
import { ScarcityWeights } from './scarcity-weights.js';

/**
 * Size measures for online best fit / worst fit, applied to a node's normalized residual after
 * placement r (normalized-residual.ts). The arithmetic is the offline packers' measureOf
 * (algorithms/offline/size-measures.ts, after Mommessin et al. 2025 and Panigrahy et al. 2011),
 * fed r with unit capacities:
 *   sum       Σ_h r_h                  (= the existing `best-fit` / `worst-fit`)
 *   max       max_h r_h                (the roomiest dimension)
 *   l2        Σ_h r_h²                 (squared L2 norm: same order as the norm)
 *   dim       r_k for one named resource, e.g. 'cpu' ("best fit by CPU")
 *   scarcity  Σ_h w_h r_h, w = cluster requested / allocatable per dimension (scarcity-weights.ts)
 *
 * Difference from the offline bin-centric convention: offline best fit measures a bin's residual
 * *before* the item goes in (all bins share one capacity, so for sum and per-dimension measures
 * that gives the same order); online nodes have different shapes, so we measure what is left
 * *after* placement, like `best-fit` (leftover.ts). For max and l2 the two can order nodes
 * differently.
 */
export type NodeMeasureKind = 'sum' | 'max' | 'l2' | 'dim' | 'scarcity';

export interface NodeMeasureSpec {
  kind: NodeMeasureKind;
  /** Resource name for kind 'dim' (e.g. 'cpu', 'memory'), looked up in the cluster's schema. */
  resource?: string;
}

/** Label used in policy names: 'sum', 'max', 'l2', 'scarcity' or the resource name. */
export function measureLabel(m: NodeMeasureSpec): string {
  return m.kind === 'dim' ? (m.resource ?? 'dim') : m.kind;
}

/** One line for a policy description. */
export function measureDescription(m: NodeMeasureSpec): string {
  switch (m.kind) {
    case 'sum':
      return 'sum of leftover fractions';
    case 'max':
      return 'max over resources of the leftover fraction';
    case 'l2':
      return 'L2 norm of the leftover fractions';
    case 'dim':
      return `leftover ${m.resource} fraction`;
    case 'scarcity':
      return 'sum of leftover fractions weighted by scarcity (cluster requested/allocatable)';
  }
}

/**
 * A measure bound to one policy instance: holds its scratch vectors (no allocation per node) and,
 * for 'scarcity', the weights and their hooks. Call `prepare` once per decision, then `of` per node.
 */
export class NodeMeasure {
  readonly spec: NodeMeasureSpec;
  private size: SizeMeasure | undefined;
  private weights: Float64Array = new Float64Array(0);
  private ones: Float64Array = new Float64Array(0);
  private residual: Float64Array = new Float64Array(0);
  private scarcity: ScarcityWeights | undefined;

  constructor(spec: NodeMeasureSpec, private readonly policyName: string) {
    if (spec.kind === 'dim' && !spec.resource) throw new UsageError(`${policyName}: a per-resource measure needs a resource name`);
    this.spec = spec;
  }

  /** Per decision: binds to the cluster's dimensions on first use and refreshes scarcity weights. */
  prepare(cluster: ClusterView): void {
    if (this.size === undefined || this.ones.length !== cluster.dims) this.bind(cluster);
    if (this.scarcity) this.scarcity.update(cluster);
  }

  /** Measure of node's normalized residual after placing task (call prepare first). */
  of(node: number, task: TaskView, cluster: ClusterView): number {
    normalizedResidual(node, task.request, cluster, this.residual);
    return measureOf(this.size!, this.weights, this.residual, 0, this.ones);
  }

  onBind(task: TaskView, node: number, cluster: ClusterView): void {
    this.scarcity?.onBind(task, node, cluster);
  }

  onUnbind(task: TaskView, node: number, cluster: ClusterView): void {
    this.scarcity?.onUnbind(task, node, cluster);
  }

  private bind(cluster: ClusterView): void {
    const D = cluster.dims;
    this.ones = new Float64Array(D).fill(1);
    this.residual = new Float64Array(D);
    this.weights = new Float64Array(D).fill(1);
    const s = this.spec;
    if (s.kind === 'sum') this.size = { kind: 'L1' };
    else if (s.kind === 'max') this.size = { kind: 'Linf' };
    else if (s.kind === 'l2') this.size = { kind: 'L2' };
    else if (s.kind === 'scarcity') {
      this.size = { kind: 'L1' };
      this.scarcity ??= new ScarcityWeights(D);
      this.weights = this.scarcity.weights;
    } else {
      let k: number;
      try {
        k = dimIndex(cluster.resources, s.resource!);
      } catch {
        throw new UsageError(`${this.policyName}: the workload has no resource '${s.resource}'; it has: ${cluster.resources.names.join(', ')}`);
      }
      this.size = { kind: 'Dim', dim: k };
    }
  }
}
