import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { GpuCluster } from '../../algorithms/gpu/gpu-cluster.js';
import { podGpuMilli, type GpuPodSet } from '../../model/gpu-pod-set.js';
import { gpuNodesFromOpenb, gpuPodsFromOpenb } from '../../workloads/alibaba-openb/gpu-records.js';
import type { GpuPolicyModule, Scoring, TieBreak } from '../../algorithms/gpu/policy.js';
import { GPU_POLICIES, gpuPolicy } from '../../algorithms/gpu/registry.js';
import { readOpenbNodes } from '../../workloads/alibaba-openb/nodes.js';
import { readOpenbPods } from '../../workloads/alibaba-openb/pods.js';
import { packageRoot } from '../../model/package-root.js';
import { Rng, shuffleInPlace } from '../../model/rng.js';
import { fnv1a32 } from '../../model/hash.js';
import { UsageError } from '../../model/errors.js';

/**
 * The FGD paper's allocation experiment (Weng et al., USENIX ATC'23 §6; protocol in
 * ../shared/docs/experiments.md): the GPU nodes of Alibaba openb; a pod list inflated with seeded uniform
 * copies of its own pods until the next copy would push the total GPU request above
 * `tuningRatio` × the cluster's GPU capacity; all pods shuffled (seeded) and placed one by one,
 * never leaving; a pod that fits nowhere fails. Recorded: the allocated share of GPU capacity as
 * the arrived GPU demand grows through 0, 1, ..., 130 % of capacity — the value at x % is the
 * allocation after every pod whose arrival keeps the cumulative demand within x % (failed pods
 * count as arrived).
 *
 * One seed fixes the workload (copies and order) for every policy, so policies are compared on
 * the same pod sequence; each policy's own random stream is forked from the seed and its name.
 */
export interface FgdExperimentOptions {
  /** Pod list (default: openb_pod_list_default.csv in ../shared/data/alibaba-openb-2023). */
  pods?: string;
  /** Node list (default: openb_node_list_gpu_node.csv beside the default pod list). */
  nodes?: string;
  /** Seeds, one run per policy each (default 42..51, as the authors' scripts). */
  seeds?: number[];
  /** Policy names (default: the six of the paper). */
  policies?: string[];
  /** Inflate the workload to this multiple of GPU capacity (default 1.3). */
  tuningRatio?: number;
  /** Equal-score tie-breaking (default 'ranked', as the authors' simulator; see algorithms/gpu/policy.ts). */
  tieBreak?: TieBreak;
  /** Score precision (default 'kube', as the authors' simulator; see algorithms/gpu/policy.ts). */
  scoring?: Scoring;
  /** Called after each (policy, seed) run. */
  onRun?: (policy: string, seed: number, seconds: number) => void;
}

export interface FgdPolicyResult {
  policy: string;
  /** Per seed: allocated share of GPU capacity (0–1) at arrived demand 0..maxPercent %. */
  curves: Float64Array[];
  /** Per seed: pods that fit nowhere (GPU pods and CPU-only pods). */
  failedPods: number[];
  /** Per seed: wall time of the placement loop, seconds. */
  seconds: number[];
}

export interface FgdExperimentResult {
  podsFile: string;
  nodesFile: string;
  nodes: number;
  gpus: number;
  capacityMilli: number;
  tuningRatio: number;
  tieBreak: TieBreak;
  scoring: Scoring;
  maxPercent: number;
  seeds: number[];
  /** Per seed: pods placed in the run (original list + copies). */
  podsPerSeed: number[];
  /** Per seed: total GPU request of those pods as a share of capacity. */
  demandPerSeed: number[];
  results: FgdPolicyResult[];
  wallSeconds: number;
}

export const DEFAULT_FGD_SEEDS = [42, 43, 44, 45, 46, 47, 48, 49, 50, 51];

function defaultDataDir(): string {
  return path.resolve(packageRoot(), '..', 'shared', 'data', 'alibaba-openb-2023');
}

export function defaultFgdFiles(): { pods: string; nodes: string } {
  const dir = defaultDataDir();
  return { pods: path.join(dir, 'openb_pod_list_default.csv'), nodes: path.join(dir, 'openb_node_list_gpu_node.csv') };
}

/**
 * The pod sequence of one seed: the whole list, then uniform random copies while they keep the
 * total GPU request within ratio × capacity (stopping at the first copy that would not), then a
 * Fisher–Yates shuffle. Returns indices into `pods`.
 */
export function inflatedSequence(pods: GpuPodSet, capacityMilli: number, ratio: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const seq: number[] = [];
  let total = 0;
  for (let i = 0; i < pods.count; i++) {
    seq.push(i);
    total += podGpuMilli(pods, i);
  }
  const limit = ratio * capacityMilli;
  if (pods.count > 0 && total < limit) {
    for (;;) {
      const i = rng.int(pods.count);
      const g = podGpuMilli(pods, i);
      if (total + g > limit) break;
      seq.push(i);
      total += g;
    }
  }
  const out = Int32Array.from(seq);
  shuffleInPlace(out, rng);
  return out;
}

/** One policy on one pod sequence: the allocation curve and the failed-pod count. */
export function runFgdPlacement(
  module: GpuPolicyModule,
  nodes: ReturnType<typeof gpuNodesFromOpenb>,
  pods: GpuPodSet,
  sequence: Int32Array,
  seed: number,
  maxPercent: number,
  tieBreak?: TieBreak,
  scoring?: Scoring,
): { curve: Float64Array; failed: number; cluster: GpuCluster } {
  const cluster = new GpuCluster(nodes);
  const access = cluster.specAccess(pods.specs);
  const policy = module.create({ cluster, pods, access, rng: new Rng(seed).fork(fnv1a32(module.name)), workload: sequence, tieBreak, scoring });
  const cap = cluster.totalGpuMilli;
  const curve = new Float64Array(maxPercent + 1);
  let x = 0;
  let arrived = 0;
  let failed = 0;
  for (let k = 0; k < sequence.length; k++) {
    const i = sequence[k];
    const g = podGpuMilli(pods, i);
    // Thresholds this pod's arrival crosses get the allocation as it stood before it.
    while (x <= maxPercent && (arrived + g) * 100 > x * cap) curve[x++] = cluster.allocatedGpuMilli / cap;
    arrived += g;
    const node = policy.select(i);
    if (node < 0) failed++;
    else cluster.place(pods, access, i, node, policy.gpu);
  }
  while (x <= maxPercent) curve[x++] = cluster.allocatedGpuMilli / cap;
  return { curve, failed, cluster };
}

export async function runFgdExperiment(options: FgdExperimentOptions = {}): Promise<FgdExperimentResult> {
  const defaults = defaultFgdFiles();
  const podsFile = options.pods ?? defaults.pods;
  const nodesFile = options.nodes ?? (options.pods ? path.join(path.dirname(options.pods), 'openb_node_list_gpu_node.csv') : defaults.nodes);
  for (const [opt, f] of [['--pods', podsFile], ['--nodes', nodesFile]] as const) {
    if (!existsSync(f)) throw new UsageError(`${opt}: ${f} does not exist (the openb CSVs are in alibaba/clusterdata, cluster-trace-gpu-v2023/csv/)`);
  }
  const ratio = options.tuningRatio ?? 1.3;
  if (!(ratio > 0)) throw new UsageError(`tuning ratio must be positive, got ${ratio}`);
  const maxPercent = Math.round(ratio * 100);
  const seeds = options.seeds ?? DEFAULT_FGD_SEEDS;
  const modules = (options.policies ?? GPU_POLICIES.map((p) => p.name)).map(gpuPolicy);
  const t0 = performance.now();
  const openbNodes = readOpenbNodes(nodesFile);
  const nodes = gpuNodesFromOpenb(openbNodes);
  const pods = gpuPodsFromOpenb(readOpenbPods(podsFile));
  const capacityMilli = openbNodes.totalGpus * 1000;
  if (capacityMilli === 0) throw new UsageError(`--nodes: ${nodesFile} lists no GPU`);
  const results: FgdPolicyResult[] = modules.map((m) => ({ policy: m.name, curves: [], failedPods: [], seconds: [] }));
  const podsPerSeed: number[] = [];
  const demandPerSeed: number[] = [];
  for (const seed of seeds) {
    const seq = inflatedSequence(pods, capacityMilli, ratio, seed);
    podsPerSeed.push(seq.length);
    let demand = 0;
    for (let k = 0; k < seq.length; k++) demand += podGpuMilli(pods, seq[k]);
    demandPerSeed.push(demand / capacityMilli);
    for (const [j, m] of modules.entries()) {
      // Yield between runs: each run is synchronous (seconds on openb), and Ctrl-C / SIGTERM
      // handlers only run when the event loop gets a turn.
      await new Promise((resolve) => setImmediate(resolve));
      const t = performance.now();
      const r = runFgdPlacement(m, nodes, pods, seq, seed, maxPercent, options.tieBreak, options.scoring);
      const s = (performance.now() - t) / 1000;
      results[j].curves.push(r.curve);
      results[j].failedPods.push(r.failed);
      results[j].seconds.push(s);
      options.onRun?.(m.name, seed, s);
    }
  }
  return {
    podsFile,
    nodesFile,
    nodes: openbNodes.count,
    gpus: openbNodes.totalGpus,
    capacityMilli,
    tuningRatio: ratio,
    tieBreak: options.tieBreak ?? 'ranked',
    scoring: options.scoring ?? 'kube',
    maxPercent,
    seeds,
    podsPerSeed,
    demandPerSeed,
    results,
    wallSeconds: (performance.now() - t0) / 1000,
  };
}

/**
 * The wall-clock side of a run, for timing.json (reports/timing-file.ts): the whole run and each
 * placement loop, per policy in seed order. Kept apart from the results, which the seed fixes.
 */
export function fgdTimings(res: FgdExperimentResult): { wallSeconds: number; seeds: number[]; placementSeconds: Record<string, number[]> } {
  return { wallSeconds: res.wallSeconds, seeds: res.seeds, placementSeconds: Object.fromEntries(res.results.map((r) => [r.policy, r.seconds])) };
}

/** Mean, min and max over seeds of the allocated share at `percent` % arrived demand. */
export function allocationAt(r: FgdPolicyResult, percent: number): { mean: number; min: number; max: number } {
  const v = r.curves.map((c) => c[percent]);
  return { mean: v.reduce((a, b) => a + b, 0) / v.length, min: Math.min(...v), max: Math.max(...v) };
}

/** Tidy rows of every curve: policy, seed, arrived_percent, allocated_share. */
export function fgdCurvesCsv(res: FgdExperimentResult): string {
  const lines = ['policy,seed,arrived_gpu_percent,allocated_gpu_share'];
  for (const r of res.results) {
    r.curves.forEach((c, s) => {
      for (let x = 0; x < c.length; x++) lines.push(`${r.policy},${res.seeds[s]},${x},${c[x].toFixed(6)}`);
    });
  }
  return lines.join('\n') + '\n';
}
