import type { ClusterView } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';
import type { DenseLayer } from './mlp.js';
import { FEATURE_COUNT, TASK_FEATURES_FROM, featureDims, writeTaskFeatures, type FeatureDims } from './placement-features.js';

/**
 * The learned network's score of placing a task on a node, computed without materializing the
 * feature row (placement-features.ts defines the features; mlp.ts is the plain forward pass it
 * must agree with, test/learned-placement-scorer.test.ts). What makes it cheap per node:
 *
 * - The task-only features (band and QoS one-hots) are the same for every node of a decision, so
 *   their share of the first layer, b₁ + Σ_task x_i·W₁[i], is summed once per decision (`prepare`).
 * - `after_r = free_r − req_r` is linear, so its weight row is folded into the free and request
 *   rows once at construction: x_free·(W_free + W_after) + x_req·(W_req − W_after).
 * - One division per resource (1 / allocatable) serves the request, free and requested fractions,
 *   and the request's share of the first layer is kept while consecutive nodes have one
 *   allocatable shape (machines come in a few shapes): no division and 3 fewer terms per unit.
 *
 * So a node costs 8 multiply-adds per first-layer unit (11 where its shape differs from the last
 * node's) plus the later layers (mlp.ts: ~Σ inputs·outputs over all 22 features). The sums run in a
 * different order from mlp.ts, so scores agree to rounding, not bit for bit; the policy uses this
 * path only, and a score depends on its inputs alone (not on the node scored before), so a cached
 * and a plain decision see the same numbers.
 */
export class PlacementScorer {
  /** First-layer rows of the 11 per-node inputs, each `hidden` long (index = input · hidden + unit). */
  private readonly w1: Float64Array;
  /** First-layer rows of the task-only features (index = (feature − TASK_FEATURES_FROM) · hidden + unit). */
  private readonly wTask: Float64Array;
  private readonly b1: Float64Array;
  /** This decision's first-layer offset: b₁ plus the task-only features' share. */
  private readonly z0: Float64Array;
  private readonly hidden: number;
  private readonly relu1: boolean;
  /** The layers after the first, widened, with their activations buffers. */
  private readonly rest: { w: Float64Array; b: Float64Array; ins: number; outs: number; relu: boolean; out: Float64Array }[];
  private readonly h1: Float64Array;
  /** With one hidden layer and a linear single output: that layer's weights and bias, summed inside the unit loop. */
  private readonly outW: Float64Array | undefined;
  private readonly outB: number;
  private readonly taskRow = new Float32Array(FEATURE_COUNT);
  private dims: FeatureDims = Int32Array.of(-1, -1, -1);
  private dimsOf: unknown;

  /**
   * The request's share of the first layer on nodes of one allocatable shape: z0 + Σ_r rq_r·W_rq,
   * with rq_r = request / allocatable, and 1 / allocatable per resource. Machines come in a few
   * shapes, so consecutive nodes usually share it and a node then costs no division and 3 fewer
   * multiply-adds per unit. Keyed on the shape and the request (recomputed when either differs):
   * the same inputs give the same bits whichever node came before, so cached and plain decisions
   * still agree.
   */
  private readonly shapeKey = new Float64Array(6).fill(Number.NaN);
  private readonly zq: Float64Array;
  private inv0 = 0;
  private inv1 = 0;
  private inv2 = 0;
  private rq0 = 0;
  private rq1 = 0;
  private rq2 = 0;
  private present = 0;

  constructor(layers: readonly DenseLayer[]) {
    const first = layers[0];
    if (first === undefined || first.inputs !== FEATURE_COUNT) throw new Error(`the first layer must take the ${FEATURE_COUNT} features`);
    const H = first.outputs;
    this.hidden = H;
    this.relu1 = first.activation === 'relu';
    const row = (f: number) => Float64Array.from(first.weights.subarray(f * H, (f + 1) * H));
    // Inputs in the order score() computes them: rq×3, fr×3 (with the after rows folded in), alignment, imbalance, min_after, requested, idle.
    const rows: Float64Array[] = [];
    for (let r = 0; r < 3; r++) rows.push(row(r).map((w, j) => w - first.weights[(6 + r) * H + j]));
    for (let r = 0; r < 3; r++) rows.push(row(3 + r).map((w, j) => w + first.weights[(6 + r) * H + j]));
    for (let f = 9; f < TASK_FEATURES_FROM; f++) rows.push(row(f));
    this.w1 = new Float64Array(rows.length * H);
    rows.forEach((r, i) => this.w1.set(r, i * H));
    this.wTask = Float64Array.from(first.weights.subarray(TASK_FEATURES_FROM * H));
    this.b1 = Float64Array.from(first.bias);
    this.z0 = new Float64Array(H);
    this.zq = new Float64Array(H);
    this.h1 = new Float64Array(H);
    const only = layers.length === 2 && layers[1].outputs === 1 && layers[1].activation === 'linear' ? layers[1] : undefined;
    this.outW = only ? Float64Array.from(only.weights) : undefined;
    this.outB = only ? only.bias[0] : 0;
    this.rest = layers.slice(1).map((l) => ({ w: Float64Array.from(l.weights), b: Float64Array.from(l.bias), ins: l.inputs, outs: l.outputs, relu: l.activation === 'relu', out: new Float64Array(l.outputs) }));
  }

  /** Once per decision, before score(): the task-only features' share of the first layer. */
  prepare(task: TaskView, cluster: ClusterView): void {
    if (this.dimsOf !== cluster.resources) {
      this.dims = featureDims(cluster);
      this.dimsOf = cluster.resources;
    }
    writeTaskFeatures(task, this.taskRow, 0);
    const H = this.hidden;
    const z0 = this.z0;
    z0.set(this.b1);
    for (let f = TASK_FEATURES_FROM; f < FEATURE_COUNT; f++) {
      if (this.taskRow[f] === 0) continue;
      const o = (f - TASK_FEATURES_FROM) * H;
      for (let j = 0; j < H; j++) z0[j] += this.wTask[o + j];
    }
    this.shapeKey.fill(Number.NaN);
  }

  private reshape(a0: number, a1: number, a2: number, q0: number, q1: number, q2: number): void {
    const k = this.shapeKey;
    k[0] = a0;
    k[1] = a1;
    k[2] = a2;
    k[3] = q0;
    k[4] = q1;
    k[5] = q2;
    // A resource the schema lacks, or the node has none of, contributes 0 (a0 = 0 marks both).
    this.inv0 = a0 > 0 ? 1 / a0 : 0;
    this.inv1 = a1 > 0 ? 1 / a1 : 0;
    this.inv2 = a2 > 0 ? 1 / a2 : 0;
    this.present = (a0 > 0 ? 1 : 0) + (a1 > 0 ? 1 : 0) + (a2 > 0 ? 1 : 0);
    this.rq0 = q0 * this.inv0;
    this.rq1 = q1 * this.inv1;
    this.rq2 = q2 * this.inv2;
    const H = this.hidden;
    const w = this.w1;
    for (let j = 0; j < H; j++) this.zq[j] = (this.z0[j] + this.rq0 * w[j]) + (this.rq1 * w[H + j] + this.rq2 * w[2 * H + j]);
  }

  /** The score of `task` on `node` (after prepare for this task). */
  score(node: number, task: TaskView, cluster: ClusterView): number {
    const dims = this.dims;
    const base = node * cluster.dims;
    const req = task.request;
    const alloc = cluster.allocatable;
    const free = cluster.free;
    const requested = cluster.requested;
    const dc = dims[0], dm = dims[1], dg = dims[2];
    const a0 = dc >= 0 ? alloc[base + dc] : 0;
    const a1 = dm >= 0 ? alloc[base + dm] : 0;
    const a2 = dg >= 0 ? alloc[base + dg] : 0;
    const q0 = dc >= 0 ? req[dc] : 0;
    const q1 = dm >= 0 ? req[dm] : 0;
    const q2 = dg >= 0 ? req[dg] : 0;
    const k = this.shapeKey;
    if (a0 !== k[0] || a1 !== k[1] || a2 !== k[2] || q0 !== k[3] || q1 !== k[4] || q2 !== k[5]) this.reshape(a0, a1, a2, q0, q1, q2);
    const inv0 = this.inv0, inv1 = this.inv1, inv2 = this.inv2;
    const rq0 = this.rq0, rq1 = this.rq1, rq2 = this.rq2;
    const fr0 = a0 > 0 ? free[base + dc] * inv0 : 0;
    const fr1 = a1 > 0 ? free[base + dm] * inv1 : 0;
    const fr2 = a2 > 0 ? free[base + dg] * inv2 : 0;
    const used0 = a0 > 0 ? requested[base + dc] * inv0 : 0;
    const used1 = a1 > 0 ? requested[base + dm] * inv1 : 0;
    const present = this.present;
    const align = present > 0 ? (rq0 * fr0 + rq1 * fr1 + rq2 * fr2) / present : 0;
    const ac = fr0 - rq0;
    const am = fr1 - rq1;
    const imbalance = Math.abs(ac - am);
    const minAfter = Math.min(ac, am);
    const usedMean = (used0 + used1) / 2;
    const idle = cluster.runningCount[node] === 0 ? 1 : 0;

    const H = this.hidden;
    const w = this.w1;
    const zq = this.zq;
    const relu1 = this.relu1;
    // One hidden layer and a score (the shipped shape): the output sum is fused into the unit loop.
    const out = this.outW;
    if (out !== undefined) {
      let y = this.outB;
      for (let j = 0; j < H; j++) {
        // Summed as a tree, not a chain, so a unit's additions overlap instead of each waiting on the last.
        const z =
          zq[j] +
          ((fr0 * w[3 * H + j] + fr1 * w[4 * H + j]) + (fr2 * w[5 * H + j] + align * w[6 * H + j])) +
          ((imbalance * w[7 * H + j] + minAfter * w[8 * H + j]) + (usedMean * w[9 * H + j] + idle * w[10 * H + j]));
        y += (relu1 && z < 0 ? 0 : z) * out[j];
      }
      return y;
    }
    // The same sum as the loop above, written out again: a shared method, or storing the layer and
    // summing the score in a second pass, made a node ~20 % dearer on the shipped shape.
    const h1 = this.h1;
    for (let j = 0; j < H; j++) {
      const z =
        zq[j] +
        ((fr0 * w[3 * H + j] + fr1 * w[4 * H + j]) + (fr2 * w[5 * H + j] + align * w[6 * H + j])) +
        ((imbalance * w[7 * H + j] + minAfter * w[8 * H + j]) + (usedMean * w[9 * H + j] + idle * w[10 * H + j]));
      h1[j] = relu1 && z < 0 ? 0 : z;
    }
    let inp = h1;
    for (let l = 0, L = this.rest.length; l < L; l++) {
      const layer = this.rest[l];
      const wl = layer.w;
      const outs = layer.outs;
      const ins = layer.ins;
      const o = layer.out;
      for (let j = 0; j < outs; j++) {
        let z = layer.b[j];
        for (let i = 0; i < ins; i++) z += inp[i] * wl[i * outs + j];
        o[j] = layer.relu && z < 0 ? 0 : z;
      }
      inp = o;
    }
    return inp[0];
  }
}
