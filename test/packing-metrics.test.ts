import { describe, expect, it } from 'vitest';
import { minimalShapes, packingMetrics, type PackingInput } from '../reports/packing-metrics.js';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { renderSummary } from '../reports/summary-table.js';
import { PRICING, tinyWorkload } from './helpers/tiny-workload.js';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { GiB } from '../model/units.js';

const REAL = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'realworld', 'kubernetes');
const realPresent = existsSync(REAL);
if (!realPresent) console.warn(`packing metrics on real manifests skipped: ${REAL} is absent (see ../shared/data/README.md)`);

/**
 * Verma et al.'s packing metrics (reports/packing-metrics.ts) on clusters built by hand; every
 * expected figure is worked out in the comments from the stated nodes and task shapes.
 */
function cluster(nodes: Array<{ alloc: number[]; req: number[]; up?: boolean }>, shapes: number[][], missing?: number[]): PackingInput {
  const D = nodes[0].alloc.length;
  return {
    dims: D,
    names: ['cpu', 'memory', 'gpu'].slice(0, D),
    nodeCount: nodes.length,
    up: nodes.map((n) => (n.up === false ? 0 : 1)),
    allocatable: nodes.flatMap((n) => n.alloc),
    requested: nodes.flatMap((n) => n.req),
    taskCount: shapes.length,
    taskRequest: shapes.flat(),
    taskMissing: missing,
  };
}

describe('minimal task shapes', () => {
  it('keeps only Pareto-minimal non-zero shapes', () => {
    // (3,3) ≥ (2,2); (2,2) twice; (0,0) requests nothing; (1,4) and (4,1) are incomparable with (2,2).
    const s = minimalShapes(2, 6, [3, 3, 2, 2, 1, 4, 2, 2, 0, 0, 4, 1]);
    expect(s.map((x) => x.join(',')).sort()).toEqual(['1,4', '2,2', '4,1']);
    // A later smaller shape removes the ones it dominates.
    expect(minimalShapes(2, 3, [5, 5, 4, 6, 1, 1]).map((x) => x.join(','))).toEqual(['1,1']);
  });
});

describe('stranded and fragmented capacity', () => {
  // Shapes (2,2), (1,4), (4,1): the smallest positive request is 1 CPU and 1 memory.
  const shapes = [[2, 2], [1, 4], [4, 1]];
  // A: free (0,3): CPU exhausted (0 < 1), nothing fits → its 3 memory are stranded (another resource, CPU, ran out).
  // B: free (1,1): nothing fits, nothing exhausted (1 ≥ 1) → 1 CPU and 1 memory fragmented.
  // C: free (3,3): (2,2) fits → usable, neither.
  // D: down → not counted at all.
  const input = cluster(
    [
      { alloc: [8, 8], req: [8, 5] },
      { alloc: [8, 8], req: [7, 7] },
      { alloc: [8, 8], req: [5, 5] },
      { alloc: [8, 8], req: [0, 0], up: false },
    ],
    shapes,
  );
  const m = packingMetrics(input);

  it('counts full nodes and the minimal shapes', () => {
    expect(m.nodes).toBe(3);
    expect(m.fullNodes).toBe(2);
    expect(m.shapes).toBe(3);
    expect(m.measuredAt).toBe('end');
  });

  it('splits the free capacity on full nodes into stranded and fragmented', () => {
    // Allocatable 24 of each. Free CPU 0 + 1 + 3 = 4, memory 3 + 1 + 3 = 7.
    expect(m.perResource.cpu.free).toBeCloseTo(4 / 24, 12);
    expect(m.perResource.memory.free).toBeCloseTo(7 / 24, 12);
    expect(m.perResource.cpu.stranded).toBe(0);
    expect(m.perResource.memory.stranded).toBeCloseTo(3 / 24, 12);
    expect(m.perResource.cpu.fragmented).toBeCloseTo(1 / 24, 12);
    expect(m.perResource.memory.fragmented).toBeCloseTo(1 / 24, 12);
  });

  it('inflation headroom: in place the most loaded node decides; the fluid bound uses the totals', () => {
    // In place: node A's CPU is 8/8 → factor 1, headroom 0. Fluid: requested (20, 17) of (24, 24) → min(1.2, 1.41) = 1.2.
    expect(m.inflationHeadroom.inPlace).toBe(0);
    expect(m.inflationHeadroom.fluidBound).toBeCloseTo(0.2, 12);
    // Nodes (8,8) with (4,2) and (2,6): in place min(8/4, 8/2, 8/2, 8/6) = 4/3; fluid min(16/6, 16/8) = 2.
    const g = packingMetrics(cluster([{ alloc: [8, 8], req: [4, 2] }, { alloc: [8, 8], req: [2, 6] }], shapes));
    expect(g.inflationHeadroom.inPlace).toBeCloseTo(1 / 3, 12);
    expect(g.inflationHeadroom.fluidBound).toBeCloseTo(1, 12);
    // Nothing placed: no factor limits the growth, null rather than infinity.
    const e = packingMetrics(cluster([{ alloc: [8, 8], req: [0, 0] }], shapes));
    expect(e.inflationHeadroom).toEqual({ inPlace: null, fluidBound: null });
  });

  it('a shape that needs a resource nobody has never makes a node usable; missing requests are ignored', () => {
    // Free (3,3,0). Shapes: (1,1,1) needs a GPU → fits nowhere; (3,3,0) marked missing → ignored.
    // The only other shape, (4,4,0), does not fit: the node is full. Smallest requests: CPU 1, memory 1, GPU 1.
    // GPU free is 0 < 1: exhausted → CPU and memory are stranded (3/8 each); GPU allocatable 0 → not reported.
    const gpu = packingMetrics(cluster([{ alloc: [8, 8, 0], req: [5, 5, 0] }], [[1, 1, 1], [3, 3, 0], [4, 4, 0]], [0, 1, 0]));
    expect(gpu.fullNodes).toBe(1);
    expect(gpu.perResource.cpu.stranded).toBeCloseTo(3 / 8, 12);
    expect(gpu.perResource.memory.stranded).toBeCloseTo(3 / 8, 12);
    expect(gpu.perResource.gpu).toBeUndefined();
  });
});

describe('in every replay summary', () => {
  it('a replay reports the metrics of the cluster it leaves, and the text summary shows them', async () => {
    const H = 3600e6;
    // Two nodes (4 cores, 4 GB); three tasks of (3 cores, 1 GB) run past the horizon. First fit:
    // node 0 takes one (free 1 core, 3 GB), node 1 one, the third waits. Both nodes are full (a task
    // needs 3 cores) with CPU 1 < 3 exhausted: memory 3 GB of 4 stranded on each → 6/8 = 75 %; CPU
    // 1 core free on each, memory not exhausted → fragmented 2/8 = 25 %.
    const w = tinyWorkload([[4000, 4e9], [4000, 4e9]], [0, 1, 2].map(() => ({ submit: 0, duration: 10 * H, cpu: 3000, mem: 1e9 })), { horizon: H });
    const { summary } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING });
    const p = summary.packing!;
    expect(p.fullNodes).toBe(2);
    expect(p.perResource.memory.stranded).toBeCloseTo(0.75, 12);
    expect(p.perResource.cpu.fragmented).toBeCloseTo(0.25, 12);
    expect(p.perResource.cpu.stranded).toBe(0);
    // In place: 4/3 on CPU → +33.3 %; fluid: 8 / 6 cores → +33.3 % as well.
    expect(p.inflationHeadroom.inPlace).toBeCloseTo(1 / 3, 12);
    const text = renderSummary(summary);
    expect(text).toMatch(/memory stranded at end\s+75\.0%/);
    expect(text).toMatch(/cpu fragmented at end\s+25\.0%/);
    expect(text).toMatch(/inflation headroom \(in place\)\s+33\.3%/);
  });
});

describe.skipIf(!realPresent)('on real manifests (microservices-demo on one 1-CPU, 1 GiB node)', () => {
  it('agrees with the definitions checked task by task, without the minimal-shape shortcut', async () => {
    const w = await readKubernetesManifests(path.join(REAL, 'microservices-demo', 'release', 'kubernetes-manifests.yaml'), {
      nodes: 1,
      nodeShape: { cpuMillicores: 1000, memoryBytes: GiB },
      instanceType: 'tiny',
    });
    const { result, summary } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING });
    const p = summary.packing!;
    const c = result.cluster;
    const D = c.dims;
    const t = result.tasks;
    expect(summary.tasks.pendingAtEnd).toBeGreaterThan(0);
    const free = Array.from({ length: D }, (_, d) => c.allocatable[d] - c.requested[d]);
    const shapes = Array.from({ length: t.count }, (_, i) => Array.from(t.request.subarray(i * D, i * D + D))).filter((r, i) => !t.missing[i] && r.some((x) => x > 0));
    const full = !shapes.some((r) => r.every((x, d) => x <= free[d]));
    expect(p.fullNodes).toBe(full ? 1 : 0);
    const minReq = Array.from({ length: D }, (_, d) => Math.min(...shapes.map((r) => r[d]).filter((x) => x > 0)));
    for (const [d, name] of c.resources.names.entries()) {
      if (!(c.allocatable[d] > 0)) continue;
      // A resource no task requests (GPU here: minReq Infinity) is never exhausted.
      const otherExhausted = c.resources.names.some((_, e) => e !== d && minReq[e] < Infinity && free[e] < minReq[e]);
      expect(p.perResource[name].free).toBeCloseTo(free[d] / c.allocatable[d], 12);
      expect(p.perResource[name].stranded).toBeCloseTo(full && otherExhausted ? free[d] / c.allocatable[d] : 0, 12);
      expect(p.perResource[name].fragmented).toBeCloseTo(full && !otherExhausted ? free[d] / c.allocatable[d] : 0, 12);
    }
    const ratios = c.resources.names.map((_, d) => (c.requested[d] > 0 ? c.allocatable[d] / c.requested[d] : Infinity));
    expect(p.inflationHeadroom.inPlace).toBeCloseTo(Math.min(...ratios) - 1, 12);
  });
});
