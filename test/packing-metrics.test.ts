import { describe, expect, it } from 'vitest';
import { packingMetrics, sampleTasks, type PackingInput } from '../reports/packing-metrics.js';
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

describe('the task sample', () => {
  it('all eligible tasks when few; missing and all-zero requests left out', () => {
    // Task 2 requests nothing, task 3 is marked missing.
    const s = sampleTasks(2, 5, [3, 3, 2, 2, 0, 0, 1, 4, 4, NaN], [0, 0, 0, 1, 0]);
    expect(s).toEqual([[3, 3], [2, 2], [4, 0]]);
  });

  it('a systematic sample of K when more: task floor((j + 1/2) n / K)', () => {
    // n = 10, K = 4: tasks 1, 3, 6, 8 (floor of 1.25, 3.75, 6.25, 8.75).
    const req = Array.from({ length: 10 }, (_, i) => [i + 1, 1]).flat();
    expect(sampleTasks(2, 10, req, undefined, 4).map((x) => x[0])).toEqual([2, 4, 7, 9]);
  });
});

describe('stranded and fragmented capacity', () => {
  // Tasks (2,2), (1,4), (4,1), each a third of the mix.
  const shapes = [[2, 2], [1, 4], [4, 1]];
  // Per node, each task that does not fit adds a third of the node's free r: to fragmented when the
  // task's own r is larger than the free r, else to stranded (another resource blocks it).
  // A, free (0,3): none fits. CPU free 0 adds nothing. Memory: (2,2) and (4,1) need ≤ 3 → stranded 2 × 3/3 = 2;
  //   (1,4) needs 4 > 3 → fragmented 3/3 = 1.
  // B, free (1,1): none fits. CPU: (1,4) needs 1 ≤ 1 → stranded 1/3; (2,2), (4,1) → fragmented 2/3.
  //   Memory: (4,1) → stranded 1/3; (2,2), (1,4) → fragmented 2/3.
  // C, free (3,3): (2,2) fits. (1,4): CPU stranded 1, memory fragmented 1. (4,1): CPU fragmented 1, memory stranded 1.
  // D: down, not counted.
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

  it('counts the nodes up, the full ones (no task of the sample fits) and the sample', () => {
    expect(m.nodes).toBe(3);
    expect(m.fullNodes).toBe(2);
    expect(m.sampledTasks).toBe(3);
    expect(m.measuredAt).toBe('end');
  });

  it('splits the free capacity a typical task cannot use into stranded and fragmented', () => {
    // Allocatable 24 of each. Free CPU 0 + 1 + 3 = 4, memory 3 + 1 + 3 = 7.
    expect(m.perResource.cpu.free).toBeCloseTo(4 / 24, 12);
    expect(m.perResource.memory.free).toBeCloseTo(7 / 24, 12);
    // CPU: stranded 1/3 + 1 = 4/3, fragmented 2/3 + 1 = 5/3. Memory: stranded 2 + 1/3 + 1 = 10/3, fragmented 1 + 2/3 + 1 = 8/3.
    expect(m.perResource.cpu.stranded).toBeCloseTo(4 / 3 / 24, 12);
    expect(m.perResource.cpu.fragmented).toBeCloseTo(5 / 3 / 24, 12);
    expect(m.perResource.memory.stranded).toBeCloseTo(10 / 3 / 24, 12);
    expect(m.perResource.memory.fragmented).toBeCloseTo(8 / 3 / 24, 12);
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

  it('a task that needs a resource nobody has strands the rest; missing requests are ignored; no task, no full node', () => {
    // Free (3,3,0). Tasks: (1,1,1) needs a GPU; (3,3,0) is marked missing (left out); (4,4,0). Each of the two is half the mix.
    // (1,1,1): CPU 1 ≤ 3 and memory 1 ≤ 3 → stranded 3/2 each. (4,4,0): CPU and memory 4 > 3 → fragmented 3/2 each.
    const gpu = packingMetrics(cluster([{ alloc: [8, 8, 0], req: [5, 5, 0] }], [[1, 1, 1], [3, 3, 0], [4, 4, 0]], [0, 1, 0]));
    expect(gpu.sampledTasks).toBe(2);
    expect(gpu.fullNodes).toBe(1);
    expect(gpu.perResource.cpu.stranded).toBeCloseTo(1.5 / 8, 12);
    expect(gpu.perResource.memory.fragmented).toBeCloseTo(1.5 / 8, 12);
    expect(gpu.perResource.gpu).toBeUndefined();
    const none = packingMetrics(cluster([{ alloc: [8, 8], req: [8, 8] }], [[0, 0]]));
    expect(none.fullNodes).toBe(0);
    expect(none.perResource.cpu).toEqual({ free: 0, stranded: 0, fragmented: 0 });
  });
});

describe('in every replay summary', () => {
  it('a replay reports the metrics of the cluster it leaves, and the text summary shows them', async () => {
    const H = 3600e6;
    // Two nodes (4 cores, 4 GB); three tasks of (3 cores, 1 GB) run past the horizon. First fit:
    // node 0 takes one (free 1 core, 3 GB), node 1 one, the third waits. The one task shape fits
    // neither node: its 3 cores > 1 free → CPU fragmented 2/8 = 25 %; its 1 GB ≤ 3 GB free, blocked
    // by CPU → memory stranded 6/8 = 75 %.
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
  it('agrees with the definitions checked task by task (12 tasks: the whole workload is the sample)', async () => {
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
    const fits = (r: number[]) => r.every((x, d) => x <= free[d]);
    expect(p.sampledTasks).toBe(shapes.length);
    expect(p.fullNodes).toBe(shapes.some(fits) ? 0 : 1);
    for (const [d, name] of c.resources.names.entries()) {
      if (!(c.allocatable[d] > 0)) continue;
      const blocked = shapes.filter((r) => !fits(r));
      const strandedShare = blocked.filter((r) => r[d] <= free[d]).length / shapes.length;
      const fragmentedShare = blocked.filter((r) => r[d] > free[d]).length / shapes.length;
      expect(p.perResource[name].free).toBeCloseTo(free[d] / c.allocatable[d], 12);
      expect(p.perResource[name].stranded).toBeCloseTo((strandedShare * free[d]) / c.allocatable[d], 12);
      expect(p.perResource[name].fragmented).toBeCloseTo((fragmentedShare * free[d]) / c.allocatable[d], 12);
    }
    const ratios = c.resources.names.map((_, d) => (c.requested[d] > 0 ? c.allocatable[d] / c.requested[d] : Infinity));
    expect(p.inflationHeadroom.inPlace).toBeCloseTo(Math.min(...ratios) - 1, 12);
  });
});
