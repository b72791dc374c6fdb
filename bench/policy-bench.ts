/**
 * Per-placement cost of every online policy in the registry at 1,000, 12,500 and 100,000 nodes
 * (issue 4). In-process and seeded:
 *   1. Task shapes: the requests of the first batch of the synthetic Borg-like workload
 *      (workloads/synthetic/generator.ts), m5.2xlarge units; missing amounts count as 0.
 *   2. Pre-fill: m5.2xlarge nodes, tasks in shape order bound to uniformly random nodes (up to 8
 *      tries each, else skipped) until the requested share of CPU or memory reaches the target
 *      occupancy. The list of binds is recorded once per size and replayed into a fresh Cluster for
 *      every policy, so all policies start from the same state.
 *   3. Measured loop: shapes drawn at random (one seeded stream per size, identical for every
 *      policy); each select() is timed alone; a returned node is checked, bound and reported to the
 *      policy's onBind; then random bound tasks are unbound (and reported to onUnbind) while
 *      occupancy is above the target, so occupancy stays steady. A warm-up of untimed placements
 *      comes first (JIT). Reported: the median over blocks of 100 placements of the block's mean
 *      time per select(), robust to a stray GC pause.
 * The policy is created after the pre-fill, as if it joined a running cluster.
 */
import { Cluster } from '../harness/cluster.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { Rng } from '../model/rng.js';
import { BUILTIN_POLICIES } from '../algorithms/registry.js';
import { numFeasibleNodesToFind } from '../algorithms/nodes-to-score.js';
import type { PolicyModule } from '../algorithms/policy.js';
import type { TaskView } from '../model/task-view.js';
import { syntheticWorkload } from '../workloads/synthetic/generator.js';

export const POLICY_BENCH_SIZES = [1_000, 12_500, 100_000] as const;
const INSTANCE = { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * 2 ** 30 };
const PREFILL_TRIES = 8;
/** Timed placements per block; the reported figure is the median block mean. */
const BLOCK = 100;

export interface PolicyBenchOptions {
  sizes?: readonly number[];
  /** Timed select() calls per policy and size (default 2,000; at least 100). */
  placements?: number;
  /** Untimed select() calls before (default 500). */
  warmup?: number;
  /** Target requested share of the busier of CPU and memory (default 0.65). */
  occupancy?: number;
  seed?: number;
  /** Task shapes taken from the synthetic workload's first batch (default 20,000). */
  shapes?: number;
  policies?: readonly PolicyModule[];
  onProgress?: (message: string) => void;
}

export interface PolicyBenchRow {
  policy: string;
  nodes: number;
  placements: number;
  microsPerPlacement: number;
   /** select() returned -1: the task fit on no node. */
  unplaced: number;
  /** Occupancy (max of CPU and memory requested share) at the end of the loop. */
  occupancy: number;
}

interface Prefill {
  nodes: number;
  bindNode: Int32Array;
  bindShape: Int32Array;
  binds: number;
}

/** Requests of the first synthetic batch, `count × dims`, NaN → 0. */
export async function syntheticShapes(count: number, seed: number): Promise<{ shapes: Float64Array; count: number }> {
  const w = syntheticWorkload({ seed, nodes: 1, tasks: count, hours: 24, instance: INSTANCE });
  const it = w.taskBatches()[Symbol.asyncIterator]();
  const first = await it.next();
  await it.return?.(undefined);
  if (first.done) throw new Error('policy bench: the synthetic workload produced no tasks');
  const b = first.value;
  const D = w.resources.names.length;
  const shapes = new Float64Array(b.count * D);
  for (let i = 0; i < b.count * D; i++) shapes[i] = Number.isNaN(b.request[i]) ? 0 : b.request[i];
  return { shapes, count: b.count };
}

function emptyCluster(nodes: number): Cluster {
  const c = new Cluster(DEFAULT_RESOURCES, nodes);
  for (let i = 0; i < nodes; i++) c.addNode({ id: `n${i}`, capacity: [INSTANCE.cpuMillicores, INSTANCE.memoryBytes, 0], instanceType: INSTANCE.name });
  return c;
}

function occupancyOf(c: Cluster): number {
  const cpu = c.totalRequested[0] / c.totalAllocatable[0];
  const mem = c.totalRequested[1] / c.totalAllocatable[1];
  return cpu > mem ? cpu : mem;
}

function planPrefill(nodes: number, shapes: Float64Array, count: number, target: number, rng: Rng): Prefill {
  const c = emptyCluster(nodes);
  const D = c.dims;
  let bindNode = new Int32Array(1024);
  let bindShape = new Int32Array(1024);
  let binds = 0;
  const req = new Float64Array(D);
  for (let i = 0; occupancyOf(c) < target; i++) {
    const s = i % count;
    for (let d = 0; d < D; d++) req[d] = shapes[s * D + d];
    for (let t = 0; t < PREFILL_TRIES; t++) {
      const node = rng.int(nodes);
      if (!c.fits(node, req)) continue;
      c.bind(node, req);
      if (binds === bindNode.length) {
        bindNode = grow(bindNode);
        bindShape = grow(bindShape);
      }
      bindNode[binds] = node;
      bindShape[binds++] = s;
      break;
    }
    if (i > 1000 * nodes) throw new Error(`policy bench: cannot pre-fill ${nodes} nodes to ${target}`);
  }
  return { nodes, bindNode, bindShape, binds };
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Times one policy on a fresh copy of the pre-filled cluster. */
function benchOne(
  module: PolicyModule,
  pre: Prefill,
  shapes: Float64Array,
  count: number,
  o: Required<Pick<PolicyBenchOptions, 'placements' | 'warmup' | 'occupancy' | 'seed'>>,
): PolicyBenchRow {
  const c = emptyCluster(pre.nodes);
  const D = c.dims;
  // Bound tasks as a dense list (node, shape) for O(1) random unbinds.
  let boundNode = new Int32Array(Math.max(1024, pre.binds * 2));
  let boundShape = new Int32Array(boundNode.length);
  let bound = 0;
  const req = new Float64Array(D);
  for (let i = 0; i < pre.binds; i++) {
    const s = pre.bindShape[i];
    for (let d = 0; d < D; d++) req[d] = shapes[s * D + d];
    c.bind(pre.bindNode[i], req);
    boundNode[bound] = pre.bindNode[i];
    boundShape[bound++] = s;
  }
  const root = new Rng(o.seed ^ pre.nodes);
  const policy = module.create({ rng: root.fork(1) });
  const taskRng = root.fork(2);
  const unbindRng = root.fork(3);
  const view: TaskView = {
    id: 0,
    request: new Float64Array(D),
    priority: 0,
    job: 0,
    user: -1,
    missingRequest: false,
    constraints: undefined,
    duration: Number.NaN,
  };
  const setShape = (s: number): void => {
    for (let d = 0; d < D; d++) view.request[d] = shapes[s * D + d];
  };
  // Per-block means (BLOCK placements each); the median block is reported, so one GC pause caused by
  // the set-up (a fresh cluster per policy) does not dominate a cell.
  const blockMeans: number[] = [];
  let blockMicros = 0;
  let unplaced = 0;
  const total = o.warmup + o.placements;
  for (let i = 0; i < total; i++) {
    const shape = taskRng.int(count);
    setShape(shape);
    (view as { id: number }).id = i;
    const t0 = performance.now();
    const node = policy.select(view, c);
    const dt = performance.now() - t0;
    if (i >= o.warmup) {
      blockMicros += dt * 1000;
      if ((i - o.warmup + 1) % BLOCK === 0) {
        blockMeans.push(blockMicros / BLOCK);
        blockMicros = 0;
      }
      if (node < 0) unplaced++;
    }
    if (node < 0) continue;
    if (!c.fits(node, view.request)) throw new Error(`policy bench: ${module.name} returned node ${node} where the task does not fit`);
    c.bind(node, view.request);
    policy.onBind?.(view, node, c);
    if (bound === boundNode.length) {
      boundNode = grow(boundNode);
      boundShape = grow(boundShape);
    }
    boundNode[bound] = node;
    boundShape[bound++] = shape;
    while (bound > 0 && occupancyOf(c) > o.occupancy) {
      const k = unbindRng.int(bound);
      const n = boundNode[k];
      setShape(boundShape[k]);
      c.unbind(n, view.request);
      policy.onUnbind?.(view, n, c);
      bound--;
      boundNode[k] = boundNode[bound];
      boundShape[k] = boundShape[bound];
    }
  }
  blockMeans.sort((a, b) => a - b);
  const microsPerPlacement = blockMeans.length === 0 ? Number.NaN : blockMeans[blockMeans.length >> 1];
  return { policy: module.name, nodes: pre.nodes, placements: o.placements, microsPerPlacement, unplaced, occupancy: occupancyOf(c) };
}

export async function benchPolicies(opts: PolicyBenchOptions = {}): Promise<PolicyBenchRow[]> {
  const o = {
    placements: Math.max(BLOCK, opts.placements ?? 2000),
    warmup: opts.warmup ?? 500,
    occupancy: opts.occupancy ?? 0.65,
    seed: opts.seed ?? 1,
  };
  const policies = opts.policies ?? BUILTIN_POLICIES;
  const { shapes, count } = await syntheticShapes(opts.shapes ?? 20_000, o.seed);
  const rows: PolicyBenchRow[] = [];
  for (const nodes of opts.sizes ?? POLICY_BENCH_SIZES) {
    opts.onProgress?.(`bench: policies, pre-filling ${nodes} nodes to ${o.occupancy}...`);
    const pre = planPrefill(nodes, shapes, count, o.occupancy, new Rng(o.seed).fork(nodes));
    for (const p of policies) {
      opts.onProgress?.(`bench: policies, ${p.name} at ${nodes} nodes...`);
      rows.push(benchOne(p, pre, shapes, count, o));
    }
  }
  return rows;
}

const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The `## Online policies (issue 4)` section of BENCHMARKS.md. */
export async function policySection(opts: PolicyBenchOptions = {}): Promise<string> {
  const sizes = opts.sizes ?? POLICY_BENCH_SIZES;
  const placements = opts.placements ?? 2000;
  const occupancy = opts.occupancy ?? 0.65;
  const t0 = performance.now();
  const rows = await benchPolicies({ onProgress: (m) => process.stderr.write(m + '\n'), ...opts, sizes });
  const wall = (performance.now() - t0) / 1000;
  const names = [...new Set(rows.map((r) => r.policy))];
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const cell = (p: string, n: number): PolicyBenchRow | undefined => rows.find((r) => r.policy === p && r.nodes === n);
  const lines = [
    '## Online policies (issue 4)',
    '',
    `Time per placement decision (one \`select()\`), every built-in policy, m5.2xlarge nodes pre-filled to ${(occupancy * 100).toFixed(0)} %`,
    `requested (busier of CPU and memory) by seeded random binds; tasks drawn from the first batch of the synthetic workload (seed ${opts.seed ?? 1});`,
    `${fmt(placements)} timed placements per cell after a warm-up, each followed by bind and, when occupancy exceeds the target, random unbinds;`,
    'figure = median over blocks of 100 placements of the mean time per select().',
    `In-process (bench/policy-bench.ts), total ${fmt(wall, 1)} s. Scoring policies look at kube-scheduler's adaptive sample of feasible nodes:`,
    sizes.map((n) => `${fmt(numFeasibleNodesToFind(n))} at ${fmt(n)} nodes`).join(', ') + '.',
    '',
    `| policy | ${sizes.map((n) => `µs at ${fmt(n)}`).join(' | ')} | ratio ${fmt(last)} / ${fmt(first)} | unplaced at ${fmt(last)} |`,
    `|---|${sizes.map(() => '---:').join('|')}|---:|---:|`,
  ];
  for (const p of names) {
    const a = cell(p, first);
    const b = cell(p, last);
    lines.push(
      `| ${p} | ${sizes.map((n) => fmt(cell(p, n)?.microsPerPlacement ?? NaN, 1)).join(' | ')} | ${a && b ? (b.microsPerPlacement / a.microsPerPlacement).toFixed(1) : 'n/a'} | ${b ? fmt(b.unplaced) : 'n/a'} |`,
    );
  }
  lines.push(
    '',
    `Target: the ${fmt(last)} / ${fmt(first)} ratio stays far below the node ratio (${fmt(last / first)}). Feasible nodes come from the segment-tree index,`,
    'never a scan; first-fit, next-fit and power-of-2 look at O(1) nodes per decision, so their time is the index descent (O(log n));',
    'the scoring policies grow with their sample size (about 12× from 1,000 to 100,000 nodes) and with cache misses on the larger',
    'arrays, not with the node count. All rows run in one process, one after another: later rows run through call sites that have',
    'already seen many scorers, so differences under about 2× between scoring policies are within run-to-run and ordering effects.',
    '',
  );
  return lines.join('\n');
}
