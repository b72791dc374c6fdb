import type { ClusterView } from '../../model/cluster-view.js';
import type { Policy, PolicyModule, PolicyOptions } from '../policy.js';
import type { TaskView } from '../../model/task-view.js';
import { numFeasibleNodesToFind } from '../nodes-to-score.js';
import { UsageError } from '../../model/errors.js';
import type { Rng } from '../../model/rng.js';
import { DeviceLedger } from './device-ledger.js';
import { ArgMax, type Scoring, type TieBreak } from './policy.js';
import type { ReplayTargetOptions } from './replay-target.js';
import { createGpuScorer, GPU_POLICY_KINDS, isGpuPolicyKind, type GpuPolicyKind } from './scorer-kinds.js';
import type { GpuScorer } from './scorers.js';
import { emptyShape, isShare, readGpuShape } from './task-gpu-shape.js';

/**
 * The GPU-sharing policies of the FGD experiment (algorithms/gpu/, Weng et al., ATC'23) as online
 * placement policies for `schedlab replay` / `compare`.
 *
 * The simulator only checks aggregate per-node resources (GPU summed per node), so each policy
 * keeps its own device-level GPU state (DeviceLedger) and per decision:
 *  1. asks the simulator's feasibility index for nodes where the task fits in aggregate
 *     (cluster.feasible: necessary, never a scan of all nodes);
 *  2. keeps those where it fits at device level — a fractional pod on ONE device, k whole GPUs on
 *     k fully free devices — and whose GPU model the task's gpuModels constraint allows;
 *  3. scores them with the chosen policy (scorers.ts, fgd-scorer.ts, as the experiment) and returns the
 *     best, remembering the device(s) it assumed for that task;
 *  4. onBind(task, node) commits exactly that choice when task and node match the last decision;
 *     otherwise (bound by another code path) it chooses devices deterministically (best-fitting
 *     device; lowest-numbered fully free devices). onUnbind releases them.
 *
 * Defaults are the experiment's (harness/experiments/fgd-experiment.ts): 'kube' integer scores and
 * 'ranked' ties (a seeded random rank per node, drawn when the node is first seen). Which nodes are
 * scored follows the other scoring policies (algorithms/nodes-to-score.ts): kube-scheduler's
 * adaptive sample of device-feasible nodes, resuming where the last search stopped (all nodes under
 * 100; 578 of openb's 1,523), so a decision never walks a 12,500-node cluster; --nodes-to-score 100
 * scores every feasible node, as the experiment does. On the experiment's protocol (openb, seed 42)
 * the sample changes FGD's allocation by 0.1 point and best fit's by less.
 * Tasks without GPU go through the same scoring (FGD scores CPU-only pods too). A GPU model
 * constraint binds only tasks that ask for GPU (as GpuCluster.fits); other constraints are ignored,
 * as by the other non-framework policies.
 */
export type GpuReplayKind = GpuPolicyKind;

export interface GpuReplayOptions {
  /** Equal scores (default 'ranked', as the experiment; see algorithms/gpu/policy.ts). gpu-random always ties at random. */
  tieBreak?: TieBreak;
  /** Score precision (default 'kube', as the experiment). */
  scoring?: Scoring;
  /** FGD's target workload (default: running distribution of arrived task shapes; see replay-target.ts). */
  target?: ReplayTargetOptions;
}

const WHAT: Record<GpuReplayKind, string> = {
  random: 'uniformly random node and device where the task fits at device level',
  'best-fit': 'node with the least CPU+GPU left after placement, best-fitting device',
  'dot-product': 'node minimizing <free (CPU, GPU), demand>, best-fitting device',
  'gpu-packing': 'used GPUs first, then used nodes, then the smallest idle node',
  'gpu-clustering': 'pods of one GPU type together, fuller nodes first',
  fgd: "least growth of GPU fragmentation w.r.t. the arrived task shapes (Weng et al., ATC'23)",
};

/** Command-line name: the experiment's name prefixed with 'gpu-' (gpu-packing, gpu-clustering keep theirs). */
export function gpuReplayName(kind: GpuReplayKind): string {
  return kind.startsWith('gpu-') ? kind : `gpu-${kind}`;
}

export function gpuReplayPolicy(kind: GpuReplayKind, o: GpuReplayOptions = {}): PolicyModule {
  if (!isGpuPolicyKind(kind)) throw new UsageError(`unknown GPU replay policy '${kind}'; choose from: ${GPU_POLICY_KINDS.join(', ')}`);
  const name = gpuReplayName(kind);
  const ties = kind === 'random' ? '' : `; ${(o.scoring ?? 'kube') === 'kube' ? 'kube integer' : 'exact'} scores, ${o.tieBreak ?? 'ranked'} ties`;
  return {
    name,
    description: `GPU sharing, device-level: ${WHAT[kind]}${ties}`,
    create: (options) => new GpuReplayPolicy(name, kind, options, o),
  };
}

export class GpuReplayPolicy implements Policy {
  readonly ledger: DeviceLedger | undefined = undefined;
  readonly scorer: GpuScorer | undefined = undefined;
  private chooser: ArgMax | undefined;
  private ranks: Int32Array | undefined;
  private readonly rng: Rng;
  private readonly shape = emptyShape();
  private candidates = new Int32Array(0);
  private nextStart = 0;
  // The last decision, for onBind.
  private plannedTask = -1;
  private plannedNode = -1;
  private plannedDevice = -1;

  constructor(
    readonly name: string,
    private readonly kind: GpuReplayKind,
    private readonly options: PolicyOptions,
    private readonly gpu: GpuReplayOptions,
  ) {
    this.rng = options.rng;
  }

  /** The ledger for this cluster's schema, created on first use (the schema is known only then). */
  private setup(cluster: ClusterView): DeviceLedger {
    let ledger = this.ledger;
    if (ledger === undefined) {
      ledger = new DeviceLedger(cluster.resources.names);
      const scorer = createGpuScorer(this.kind, { devices: ledger, rng: this.rng, scoring: this.gpu.scoring ?? 'kube' }, this.gpu.target);
      (this as { ledger: DeviceLedger }).ledger = ledger;
      (this as { scorer: GpuScorer }).scorer = scorer;
    }
    ledger.sync(cluster);
    this.ensureRanks(ledger.size);
    return ledger;
  }

  /** Ranked ties: a random key per node, drawn at first sight (a random order of the nodes, grown as nodes come). */
  private ensureRanks(n: number): void {
    const scorer = this.scorer!;
    const ranked = !scorer.randomTies && (this.gpu.tieBreak ?? 'ranked') === 'ranked';
    if (this.chooser !== undefined && (!ranked || n <= (this.ranks?.length ?? 0))) return;
    if (ranked) {
      const old = this.ranks ?? new Int32Array(0);
      const r = new Int32Array(Math.max(n, old.length * 2, 16));
      r.set(old);
      for (let i = old.length; i < r.length; i++) r[i] = this.rng.nextU32() >>> 1;
      this.ranks = r;
    }
    this.chooser = new ArgMax(this.rng, scorer.eps, this.ranks);
  }

  select(task: TaskView, cluster: ClusterView): number {
    const ledger = this.setup(cluster);
    const scorer = this.scorer!;
    const chooser = this.chooser!;
    const s = readGpuShape(this.name, task, ledger.cpuDim, ledger.gpuDim, this.shape);
    scorer.prepare?.(task.id, s);
    chooser.reset();
    this.plannedTask = -1;

    const N = cluster.nodeCount;
    const sample = numFeasibleNodesToFind(cluster.upCount, this.options.percentageOfNodesToScore);
    const exact = sample >= cluster.upCount;
    const want = exact ? Infinity : sample;
    const limit = exact ? N : Math.min(N, want);
    if (limit === 0) return -1;
    if (this.candidates.length < limit) this.candidates = new Int32Array(limit);
    const out = this.candidates;
    let start = exact || this.nextStart >= N ? 0 : this.nextStart;
    const origin = start;
    let lastOffset = -1;
    let lastNode = -1;
    let scored = 0;
    // Aggregate-feasible nodes in circular order from `origin`, in chunks, until `want`
    // device-feasible nodes are scored or the circle closes (offsets stop increasing).
    scan: for (;;) {
      const found = cluster.feasible(task.request, start, limit, out);
      for (let i = 0; i < found; i++) {
        const node = out[i];
        const offset = node >= origin ? node - origin : node - origin + N;
        if (offset <= lastOffset) break scan;
        lastOffset = offset;
        lastNode = node;
        ledger.current(node, cluster);
        if (!ledger.fitsDemand(node, s)) continue;
        chooser.offer(scorer.score(node, s, ledger.cpuFree(cluster, node)), node, scorer.device);
        if (++scored >= want) break scan;
      }
      if (found < limit) break;
      start = cluster.lastStop();
      if (start >= N) start = 0;
    }
    if (!exact && lastNode >= 0) this.nextStart = lastNode + 1;

    const node = chooser.node;
    if (node < 0) return -1;
    let device = chooser.gpu;
    if (device < 0 && isShare(s)) device = scorer.pickDevice?.(node, s) ?? ledger.bestFitDevice(node, s.milli);
    this.plannedTask = task.id;
    this.plannedNode = node;
    this.plannedDevice = device;
    return node;
  }

  onBind(task: TaskView, node: number, cluster: ClusterView): void {
    const ledger = this.setup(cluster);
    const s = readGpuShape(this.name, task, ledger.cpuDim, ledger.gpuDim, this.shape);
    // The decision this bind follows, or none (bound by another code path): then commit() picks
    // devices deterministically.
    const device = this.plannedTask === task.id && this.plannedNode === node ? this.plannedDevice : -1;
    this.plannedTask = -1;
    ledger.current(node, cluster, s.total);
    ledger.commit(task.id, node, s, device);
  }

  onUnbind(task: TaskView, node: number, cluster: ClusterView): void {
    const ledger = this.setup(cluster);
    const s = readGpuShape(this.name, task, ledger.cpuDim, ledger.gpuDim, this.shape);
    if (s.count > 0) ledger.release(task.id, node, s.total);
    ledger.current(node, cluster);
  }
}
