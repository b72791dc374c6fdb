import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KubeHarness, Gi, Mi, schema, type PodDef } from './conformance/helpers/kube-harness.js';
import { FitRequest, NodeResourcesFit, brokenLinear, type NodeResourcesFitArgs, type ShapePoint } from '../algorithms/kubernetes/node-resources-fit.js';
import { NodeResourcesBalancedAllocation } from '../algorithms/kubernetes/node-resources-balanced-allocation.js';
import { ScoredResources, isExtendedResource, isScalarResource, kubeResourceName, resourceDim, type ResourceSpec } from '../algorithms/kubernetes/resources.js';
import { NonZeroRequested } from '../algorithms/kubernetes/non-zero-requested.js';
import { Cycle, type ScorePlugin } from '../algorithms/kubernetes/plugin.js';
import { podInfo } from '../algorithms/kubernetes/pod-info.js';
import { balancedAllocation, leastAllocated, scoringDims } from '../algorithms/classic/kube-scoring.js';
import type { TaskView } from '../algorithms/policy.js';

/**
 * kube-scheduler's resource scores and fit filter (noderesources: fit.go, least_allocated.go,
 * most_allocated.go, requested_to_capacity_ratio.go, balanced_allocation.go,
 * resource_allocation.go; schedutil.GetNonzeroRequests) against a reference written from those
 * rules, over random clusters: node sizes with zeros, running pods with and without requests (and
 * some removed again), over-committed nodes, random scored resources and weights, every strategy.
 * Both code paths are compared — the unrolled two-resource loops and the general per-node score.
 * The conformance tests in test/conformance/ pin the same plugins to upstream's own cases.
 */

const NAMES = ['cpu', 'memory', 'gpu', 'abc.com/xyz'];
const KUBE = ['cpu', 'memory', 'nvidia.com/gpu', 'abc.com/xyz'];
const DEFAULT_CPU = 100;
const DEFAULT_MEM = 200 * Mi;

// ---------- the reference ----------

interface Pod { request: number[]; missing: boolean }
interface State { alloc: number[][]; requested: number[][]; extra: number[][] }

/** A node's plain requests and the defaults its pods without requests add (GetNonzeroRequests). */
function state(alloc: number[][], running: Array<Pod & { node: number }>): State {
  const requested = alloc.map(() => NAMES.map(() => 0));
  const extra = alloc.map(() => [0, 0]);
  for (const p of running) {
    p.request.forEach((r, d) => (requested[p.node][d] += r));
    if (p.missing && p.request[0] === 0) extra[p.node][0] += DEFAULT_CPU;
    if (p.missing && p.request[1] === 0) extra[p.node][1] += DEFAULT_MEM;
  }
  return { alloc, requested, extra };
}

/** The resources a score uses for this pod (resource_allocation.go): known, not pods, scalar ones only when requested. */
function scoredFor(specs: ResourceSpec[], pod: Pod, nonZero: boolean): Array<{ d: number; w: number; amount: number; kind: number }> {
  const out = [];
  for (const s of specs) {
    const d = KUBE.indexOf(s.name) >= 0 ? KUBE.indexOf(s.name) : NAMES.indexOf(s.name);
    if (d < 0 || s.name === 'pods') continue;
    const kind = d === 0 ? 0 : d === 1 ? 1 : -1;
    let amount = pod.request[d];
    if (nonZero && amount === 0 && pod.missing && kind >= 0) amount = kind === 0 ? DEFAULT_CPU : DEFAULT_MEM;
    if (kind < 0 && amount === 0) continue;
    out.push({ d, w: s.weight, amount, kind: nonZero ? kind : -1 });
  }
  return out;
}

function fitScore(args: NodeResourcesFitArgs, st: State, node: number, pod: Pod): number {
  const shape = (args.shape ?? []).map((p) => ({ utilization: p.utilization, score: p.score * 10 }));
  let sum = 0;
  let wsum = 0;
  for (const r of scoredFor(args.resources, pod, true)) {
    const cap = st.alloc[node][r.d];
    if (cap === 0) continue;
    const req = st.requested[node][r.d] + r.amount + (r.kind >= 0 ? st.extra[node][r.kind] : 0);
    let s: number;
    if (args.type === 'LeastAllocated') s = req > cap ? 0 : Math.trunc(((cap - req) * 100) / cap);
    else if (args.type === 'MostAllocated') s = Math.trunc((Math.min(req, cap) * 100) / cap);
    else {
      s = brokenLinear(shape, req > cap ? 100 : Math.trunc((req * 100) / cap));
      if (s === 0) continue;
    }
    sum += s * r.w;
    wsum += r.w;
  }
  if (wsum === 0) return 0;
  return args.type === 'RequestedToCapacityRatio' ? Math.round(sum / wsum) : Math.trunc(sum / wsum);
}

/** 100 · (1 − population std of the capped fractions); null = best effort (PreScore Skip). */
function balancedScore(specs: ResourceSpec[], st: State, node: number, pod: Pod): number | null {
  const known = specs.filter((s) => s.name !== 'pods' && (KUBE.includes(s.name) || NAMES.includes(s.name)));
  if (known.every((s) => pod.request[KUBE.includes(s.name) ? KUBE.indexOf(s.name) : NAMES.indexOf(s.name)] === 0)) return null;
  const f: number[] = [];
  for (const r of scoredFor(specs, pod, false)) {
    const cap = st.alloc[node][r.d];
    if (cap === 0) continue;
    f.push(Math.min(1, (st.requested[node][r.d] + r.amount) / cap));
  }
  const mean = f.reduce((a, b) => a + b, 0) / Math.max(1, f.length);
  const std = f.length < 2 ? 0 : f.length === 2 ? Math.abs(f[0] - f[1]) / 2 : Math.sqrt(f.reduce((a, x) => a + (x - mean) ** 2, 0) / f.length);
  return Math.trunc((1 - std) * 100);
}

// ---------- random scenarios ----------

const nodeArb = fc.tuple(fc.constantFrom(0, 1000, 2000, 4000), fc.constantFrom(0, Gi, 4 * Gi), fc.constantFrom(0, 1000, 2000), fc.constantFrom(0, 4, 8));
const requestArb = fc.tuple(fc.constantFrom(0, 0, 250, 500, 1500, 3000), fc.constantFrom(0, 0, 256 * Mi, Gi, 3 * Gi), fc.constantFrom(0, 0, 0, 500, 1000), fc.constantFrom(0, 0, 1, 4));
const podArb = fc.record({ request: requestArb, missing: fc.boolean() });
const specArb = fc
  .uniqueArray(fc.constantFrom('cpu', 'memory', 'nvidia.com/gpu', 'abc.com/xyz', 'pods', 'ephemeral-storage', 'gpu'), { minLength: 1, maxLength: 4 })
  .chain((names) => fc.tuple(...names.map((name) => fc.integer({ min: 1, max: 5 }).map((weight) => ({ name, weight })))));
const shapeArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 4 })
  .chain((us) => fc.tuple(...[...us].sort((a, b) => a - b).map((utilization) => fc.integer({ min: 0, max: 10 }).map((score) => ({ utilization, score })))));
const scenarioArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 6 }),
  running: fc.array(fc.record({ node: fc.nat(), pod: podArb, leaves: fc.boolean() }), { maxLength: 12 }),
  pod: podArb,
  specs: specArb,
  type: fc.constantFrom('LeastAllocated' as const, 'MostAllocated' as const, 'RequestedToCapacityRatio' as const),
  shape: shapeArb,
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const toRecord = (v: readonly number[]) => Object.fromEntries(NAMES.map((n, d) => [n, v[d]]));

/** The scenario on schedlab's side: running pods bound (some unbound again), as the simulator does. */
function build(s: Scenario) {
  const h = new KubeHarness(schema(...NAMES), s.nodes.map((a, i) => ({ name: `n${i}`, allocatable: toRecord(a) })));
  const still: Array<Pod & { node: number }> = [];
  const bound: Array<{ t: TaskView; node: number; leaves: boolean; pod: Pod }> = [];
  for (const r of s.running) {
    const node = r.node % s.nodes.length;
    const t = h.pod({ node: `n${node}`, requests: toRecord(r.pod.request), missing: r.pod.missing } as PodDef);
    h.cluster.bind(node, t.request);
    h.shared.nonZero.bind(t, node, h.cluster);
    bound.push({ t, node, leaves: r.leaves, pod: r.pod });
  }
  for (const b of bound) {
    if (b.leaves) {
      h.cluster.unbind(b.node, b.t.request);
      h.shared.nonZero.unbind(b.t, b.node, h.cluster);
    } else still.push({ ...b.pod, request: [...b.pod.request], node: b.node });
  }
  const st = state(s.nodes.map((a) => [...a]), still);
  const pod: Pod = { request: [...s.pod.request], missing: s.pod.missing };
  return { h, st, pod, task: h.pod({ requests: toRecord(pod.request), missing: pod.missing }) };
}

/** Scores of `plugin` for every node: through scoreNodes (the batch path) and score (one node at a time). */
function pluginScores(h: KubeHarness, plugin: ScorePlugin & { score(cy: Cycle, node: number): number }, task: TaskView) {
  const cy = new Cycle(h.shared);
  cy.reset(task, h.cluster, podInfo(task.constraints));
  const nodes = Int32Array.from({ length: h.cluster.nodeCount }, (_, i) => i);
  const constant = plugin.preScore(cy, nodes, nodes.length);
  const batch = new Float64Array(nodes.length);
  if (constant === undefined) plugin.scoreNodes(cy, nodes, nodes.length, batch);
  return { constant, batch: Array.from(batch), single: Array.from(nodes, (n) => plugin.score(cy, n)) };
}

describe('resource scores against the upstream rules (property)', () => {
  it('NodeResourcesFit: LeastAllocated, MostAllocated, RequestedToCapacityRatio, batch and per node', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { h, st, pod, task } = build(s);
        const args: NodeResourcesFitArgs = { type: s.type, resources: s.specs, shape: s.shape };
        const got = pluginScores(h, new NodeResourcesFit(args), task);
        const want = s.nodes.map((_, n) => fitScore(args, st, n, pod));
        expect(got.constant).toBeUndefined();
        expect(got.batch).toEqual(want);
        expect(got.single).toEqual(want);
      }),
      { seed: 42, numRuns: 600 },
    );
  });

  it('NodeResourcesBalancedAllocation, batch and per node; best-effort pods are not scored', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { h, st, pod, task } = build(s);
        const got = pluginScores(h, new NodeResourcesBalancedAllocation(s.specs), task);
        const want = s.nodes.map((_, n) => balancedScore(s.specs, st, n, pod));
        if (want[0] === null) {
          expect(got.constant).toBe(0);
          return;
        }
        expect(got.constant).toBeUndefined();
        expect(got.batch).toEqual(want);
        expect(got.single).toEqual(want);
      }),
      { seed: 42, numRuns: 600 },
    );
  });

  it('kube-default\'s scores (kube-scoring.ts) are LeastAllocated and BalancedAllocation on CPU and memory, weights 1', () => {
    const cpuMem: ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { h, st, pod, task } = build(s);
        const dims = scoringDims(h.cluster);
        for (let n = 0; n < s.nodes.length; n++) {
          expect(leastAllocated(n, task, h.cluster, dims, h.shared.nonZero)).toBe(fitScore({ type: 'LeastAllocated', resources: cpuMem }, st, n, pod));
          expect(balancedAllocation(n, task, h.cluster, dims)).toBe(balancedScore(cpuMem, st, n, pod) ?? 0);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('kube-scoring without CPU or memory in the schema', () => {
  it('LeastAllocated scores the resource that exists; BalancedAllocation needs both', () => {
    const h = new KubeHarness(schema('memory', 'gpu'), [
      { name: 'a', allocatable: { memory: 4 * Gi, gpu: 1000 } },
      { name: 'b', allocatable: { memory: 4 * Gi, gpu: 1000 } },
    ], [{ node: 'a', requests: { memory: Gi } }, { node: 'b', requests: { memory: Gi } }]);
    const t = h.pod({ requests: { memory: Gi } });
    const dims = scoringDims(h.cluster);
    expect(dims).toEqual({ cpu: -1, mem: 0 });
    expect(leastAllocated(0, t, h.cluster, dims)).toBe(50);
    expect(leastAllocated(1, t, h.cluster, dims)).toBe(50);
    expect(balancedAllocation(0, t, h.cluster, dims)).toBe(0);
    const none = new KubeHarness(schema('gpu'), [{ name: 'a', allocatable: { gpu: 1000 } }]);
    expect(leastAllocated(0, none.pod({ requests: { gpu: 1 } }), none.cluster, scoringDims(none.cluster))).toBe(0);
    const cpuOnly = new KubeHarness(schema('cpu', 'gpu'), [{ name: 'a', allocatable: { cpu: 4000, gpu: 1000 } }, { name: 'b', allocatable: { cpu: 4000, gpu: 1000 } }]);
    const c = cpuOnly.pod({ requests: { cpu: 1000 } });
    expect(balancedAllocation(0, c, cpuOnly.cluster, scoringDims(cpuOnly.cluster))).toBe(0);
    // CPU alone: (4000 − 1000) · 100 / 4000 = 75 on either node.
    expect([0, 1].map((n) => leastAllocated(n, c, cpuOnly.cluster, scoringDims(cpuOnly.cluster)))).toEqual([75, 75]);
  });

  it('reads CPU and memory wherever the schema puts them, on any node', () => {
    // Node b: 4000 millicores with 1000 requested, 8 GiB with 2 GiB requested; the pod asks 1000 / 4 GiB.
    const h = new KubeHarness(schema('gpu', 'memory', 'cpu'), [
      { name: 'a', allocatable: { gpu: 1, memory: Gi, cpu: 1 } },
      { name: 'b', allocatable: { gpu: 1000, memory: 8 * Gi, cpu: 4000 } },
      { name: 'c', allocatable: { gpu: 0, memory: 4 * Gi, cpu: 0 } },
    ], [{ node: 'b', requests: { cpu: 1000, memory: 2 * Gi } }]);
    const t = h.pod({ requests: { cpu: 1000, memory: 4 * Gi } });
    const dims = scoringDims(h.cluster);
    // CPU (4000 − 2000) · 100 / 4000 = 50, memory (8 − 6) · 100 / 8 = 25 → 37.
    expect(leastAllocated(1, t, h.cluster, dims)).toBe(37);
    // Fractions 0.5 and 0.75: std 0.125 → 87.
    expect(balancedAllocation(1, t, h.cluster, dims)).toBe(87);
    // Node c has no CPU: memory alone counts, (4 − 1) · 100 / 4 = 75; one fraction, std 0 → 100.
    const small = h.pod({ requests: { cpu: 1000, memory: Gi } });
    expect(leastAllocated(2, small, h.cluster, dims)).toBe(75);
    expect(balancedAllocation(2, small, h.cluster, dims)).toBe(100);
    // Memory as dimension 0.
    const m = new KubeHarness(schema('memory', 'cpu'), [{ name: 'a', allocatable: { memory: 4 * Gi, cpu: 1000 } }]);
    expect(balancedAllocation(0, m.pod({ requests: { memory: Gi, cpu: 500 } }), m.cluster, scoringDims(m.cluster))).toBe(87);
  });
});

describe('NodeResourcesFit on its own', () => {
  it('a resource the node has none of is left out of the mean (both scored orders, both strategies)', () => {
    // Node a has no CPU allocatable; the pod asks for 1 GiB of its 4 GiB and no CPU.
    const h = new KubeHarness(schema('cpu', 'memory'), [{ name: 'a', allocatable: { cpu: 0, memory: 4 * Gi } }]);
    for (const resources of [[{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }], [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 1 }]]) {
      expect(h.score(new NodeResourcesFit({ type: 'LeastAllocated', resources }), { requests: { memory: Gi } }, { normalize: false }).scores).toEqual({ a: 75 });
      expect(h.score(new NodeResourcesFit({ type: 'MostAllocated', resources }), { requests: { memory: Gi } }, { normalize: false }).scores).toEqual({ a: 25 });
    }
  });

  it('PreFilter is active (the framework checks fit through the index instead)', () => {
    const h = new KubeHarness(schema('cpu', 'memory'), [{ name: 'a', allocatable: { cpu: 1000, memory: Gi } }]);
    expect(h.filter(new NodeResourcesFit(), { requests: { cpu: 1 } }).preFilter).toBe('active');
  });
});

describe('brokenLinear (helper.BuildBrokenLinearFunction)', () => {
  const shape: ShapePoint[] = [{ utilization: 10, score: 20 }, { utilization: 50, score: 60 }, { utilization: 80, score: 20 }];
  it('is flat before the first point and after the last, linear between, truncating toward zero', () => {
    expect([0, 10, 30, 50, 65, 66, 80, 90, 100].map((p) => brokenLinear(shape, p))).toEqual([20, 20, 40, 60, 40, 39, 20, 20, 20]);
    expect(brokenLinear([{ utilization: 0, score: 0 }, { utilization: 100, score: 100 }], 37)).toBe(37);
  });
});

describe('resource names (v1helper, schedutil)', () => {
  it('extended resources: domain-qualified, outside kubernetes.io, not a requests. quota name', () => {
    for (const n of ['nvidia.com/gpu', 'abc.com/xyz', 'example.com/requests.foo']) expect(isExtendedResource(n)).toBe(true);
    for (const n of ['cpu', 'memory', 'hugepages-2Mi', 'kubernetes.io/foo', 'node.kubernetes.io/foo', 'requests.example.com/foo']) expect(isExtendedResource(n)).toBe(false);
  });

  it('scalar resources: everything but cpu, memory, ephemeral-storage and pods', () => {
    for (const n of ['cpu', 'memory', 'ephemeral-storage', 'pods']) expect(isScalarResource(n)).toBe(false);
    for (const n of ['nvidia.com/gpu', 'hugepages-2Mi', 'abc.com/xyz']) expect(isScalarResource(n)).toBe(true);
  });

  it('maps kube names onto the schema (nvidia.com/gpu is gpu, ephemeral-storage is disk) and back', () => {
    const h = new KubeHarness(schema('cpu', 'memory', 'gpu', 'disk', 'abc.com/xyz'), [{ name: 'a' }]);
    const c = h.cluster;
    expect(['cpu', 'memory', 'nvidia.com/gpu', 'gpu', 'ephemeral-storage', 'disk', 'abc.com/xyz', 'pods', 'example.com/foo'].map((n) => resourceDim(c, n))).toEqual([0, 1, 2, 2, 3, 3, 4, -1, -1]);
    expect([0, 1, 2, 3, 4].map((d) => kubeResourceName(c, d))).toEqual(['cpu', 'memory', 'nvidia.com/gpu', 'ephemeral-storage', 'abc.com/xyz']);
  });

  it('ScoredResources leaves out pods and unknown resources, and scalar ones the pod does not request', () => {
    const h = new KubeHarness(schema('cpu', 'memory', 'gpu', 'pods'), [{ name: 'a' }]);
    const res = new ScoredResources([{ name: 'pods', weight: 9 }, { name: 'nvidia.com/gpu', weight: 3 }, { name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }, { name: 'example.com/x', weight: 5 }]);
    res.prepare(h.pod({ requests: { gpu: 0, cpu: 0 }, missing: true }), h.cluster, true);
    expect(Array.from(res.dims.subarray(0, res.count))).toEqual([1, 0]);
    expect(Array.from(res.weights.subarray(0, res.count))).toEqual([2, 1]);
    expect(Array.from(res.amounts.subarray(0, res.count))).toEqual([DEFAULT_MEM, DEFAULT_CPU]);
    expect(Array.from(res.kinds.subarray(0, res.count))).toEqual([1, 0]);
    expect(res.allZero).toBe(true);
    // Without the non-zero defaults (BalancedAllocation): actual amounts, no kinds; a GPU request brings the GPU in.
    res.prepare(h.pod({ requests: { gpu: 500 }, missing: true }), h.cluster, false);
    expect(Array.from(res.dims.subarray(0, res.count))).toEqual([2, 1, 0]);
    expect(Array.from(res.amounts.subarray(0, res.count))).toEqual([500, 0, 0]);
    expect(Array.from(res.kinds.subarray(0, res.count))).toEqual([-1, -1, -1]);
    expect(res.allZero).toBe(false);
    // An explicit zero request (not missing) stays zero.
    res.prepare(h.pod({ requests: {} }), h.cluster, true);
    expect(Array.from(res.amounts.subarray(0, res.count))).toEqual([0, 0]);
  });

  it('ScoredResources re-resolves for another cluster', () => {
    const res = new ScoredResources([{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]);
    const a = new KubeHarness(schema('cpu', 'memory'), [{ name: 'a' }]);
    const b = new KubeHarness(schema('memory', 'cpu'), [{ name: 'b' }]);
    res.prepare(a.pod({ requests: { cpu: 1 } }), a.cluster, false);
    expect(Array.from(res.dims.subarray(0, res.count))).toEqual([0, 1]);
    res.prepare(b.pod({ requests: { cpu: 1 } }), b.cluster, false);
    expect(Array.from(res.dims.subarray(0, res.count))).toEqual([1, 0]);
  });
});

describe('NonZeroRequested (schedutil.GetNonzeroRequests)', () => {
  it('a pod without a request counts 100 millicores / 200 MiB where it requests 0, until it leaves', () => {
    const h = new KubeHarness(schema('gpu', 'memory', 'cpu'), [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    const nz = new NonZeroRequested();
    const missingCpu = h.pod({ requests: { memory: Gi }, missing: true });
    const missingBoth = h.pod({ requests: {}, missing: true });
    const explicit = h.pod({ requests: {} });
    nz.bind(explicit, 2, h.cluster);
    expect(nz.pods).toBe(0);
    nz.bind(missingCpu, 2, h.cluster);
    nz.bind(missingBoth, 2, h.cluster);
    nz.bind(missingBoth, 1, h.cluster);
    expect([nz.get(2, 0), nz.get(2, 1), nz.get(1, 0), nz.get(1, 1), nz.get(0, 0), nz.get(7, 1)]).toEqual([200, DEFAULT_MEM, 100, DEFAULT_MEM, 0, 0]);
    expect(nz.pods).toBe(3);
    nz.unbind(missingCpu, 2, h.cluster);
    nz.unbind(explicit, 2, h.cluster);
    expect([nz.get(2, 0), nz.get(2, 1), nz.pods]).toEqual([100, DEFAULT_MEM, 2]);
    nz.unbind(missingBoth, 2, h.cluster);
    nz.unbind(missingBoth, 1, h.cluster);
    expect([nz.get(2, 0), nz.get(2, 1), nz.get(1, 0), nz.get(1, 1), nz.pods]).toEqual([0, 0, 0, 0, 0]);
  });

  it('defaults(): per dimension, only for missing requests of 0, only where the schema has the dimension', () => {
    const h = new KubeHarness(schema('cpu', 'memory'), [{ name: 'a' }]);
    const out = new Float64Array(2);
    expect(NonZeroRequested.defaults(h.pod({ requests: { cpu: 5 }, missing: true }), 0, 1, out)).toBe(true);
    expect(Array.from(out)).toEqual([0, DEFAULT_MEM]);
    expect(NonZeroRequested.defaults(h.pod({ requests: { memory: 5 }, missing: true }), 0, 1, out)).toBe(true);
    expect(Array.from(out)).toEqual([DEFAULT_CPU, 0]);
    expect(NonZeroRequested.defaults(h.pod({ requests: { cpu: 5, memory: 5 }, missing: true }), 0, 1, out)).toBe(false);
    expect(NonZeroRequested.defaults(h.pod({ requests: {}, missing: false }), 0, 1, out)).toBe(false);
    expect(NonZeroRequested.defaults(h.pod({ requests: {}, missing: true }), -1, 1, out)).toBe(true);
    expect(Array.from(out)).toEqual([0, DEFAULT_MEM]);
    expect(NonZeroRequested.defaults(h.pod({ requests: {}, missing: true }), 0, -1, out)).toBe(true);
    expect(Array.from(out)).toEqual([DEFAULT_CPU, 0]);
    // Memory as the first dimension.
    const m = new KubeHarness(schema('memory', 'cpu'), [{ name: 'a' }]);
    expect(NonZeroRequested.defaults(m.pod({ requests: { cpu: 5 }, missing: true }), 1, 0, out)).toBe(true);
    expect(Array.from(out)).toEqual([0, DEFAULT_MEM]);
  });

  it('grows for nodes added later', () => {
    const h = new KubeHarness(schema('cpu', 'memory'), Array.from({ length: 40 }, (_, i) => ({ name: `n${i}` })));
    const nz = new NonZeroRequested();
    const p = h.pod({ requests: {}, missing: true });
    for (const node of [0, 1, 5, 39, 2]) nz.bind(p, node, h.cluster);
    expect([0, 1, 2, 3, 5, 39].map((n) => nz.get(n, 0))).toEqual([100, 100, 100, 0, 100, 100]);
    expect([0, 1, 2, 3, 5, 39].map((n) => nz.get(n, 1))).toEqual([DEFAULT_MEM, DEFAULT_MEM, DEFAULT_MEM, 0, DEFAULT_MEM, DEFAULT_MEM]);
  });
});

describe('NodeResourcesFit filter (fit.go fitsRequest) against the rule (property)', () => {
  // Only resources the pod requests (> 0) are checked; ignored extended resources not at all.
  const argsArb = fc.record({
    ignoredResources: fc.subarray(['nvidia.com/gpu', 'abc.com/xyz', 'cpu']),
    ignoredResourceGroups: fc.subarray(['nvidia.com', 'abc.com', 'kubernetes.io']),
  });
  it('filter() and the index search with FitRequest agree with the rule, over-committed nodes included', () => {
    fc.assert(
      fc.property(scenarioArb, argsArb, fc.boolean(), (s, ignore, withArgs) => {
        const { h, pod, task } = build(s);
        const args: NodeResourcesFitArgs = { type: 'LeastAllocated', resources: s.specs, ...(withArgs ? ignore : {}) };
        const ignoredKube = (d: number) =>
          withArgs && isExtendedResource(KUBE[d]) && (ignore.ignoredResources.includes(KUBE[d]) || ignore.ignoredResourceGroups.includes(KUBE[d].split('/')[0]));
        const D = NAMES.length;
        const want = s.nodes.map((_, n) => pod.request.every((r, d) => r === 0 || ignoredKube(d) || r <= h.cluster.free[n * D + d]));
        const plugin = new NodeResourcesFit(args);
        const result = h.filter(plugin, { requests: toRecord(pod.request), missing: pod.missing });
        expect(s.nodes.map((_, n) => result.nodes[`n${n}`])).toEqual(want);
        // The framework's path: FitRequest (told of over-commits) and the cluster's feasibility index.
        const fit = new FitRequest(args);
        for (let n = 0; n < s.nodes.length; n++) fit.noteBind(n, h.cluster);
        const overcommitted = Array.from(h.cluster.free.subarray(0, s.nodes.length * D)).some((f) => f < 0);
        expect(fit.overcommitted).toBe(overcommitted);
        const req = fit.request(task, h.cluster);
        const out = new Int32Array(s.nodes.length);
        const found = Array.from(out.subarray(0, h.cluster.feasible(req, 0, s.nodes.length, out)));
        expect(found).toEqual(want.flatMap((ok, n) => (ok ? [n] : [])));
        // Nothing ignored and nothing over-committed: the task's own request, unchanged.
        const anyIgnored = [0, 1, 2, 3].some(ignoredKube);
        expect(req === task.request).toBe(!anyIgnored && !overcommitted);
        expect(fit.request(task, h.cluster, true) === task.request).toBe(false);
      }),
      { seed: 42, numRuns: 400 },
    );
  });
});
