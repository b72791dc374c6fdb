import { runAlgorithm } from '../algorithms/offline/registry.js';
import type { PackingInstance } from '../model/packing-instance.js';
import { validatePacking } from '../algorithms/offline/packing.js';
import { Rng } from '../model/rng.js';

/**
 * Throughput of the offline packers: FFD / BFD on 10^6 random one-dimensional items and FFD
 * variants / bin-centric packers on 10^5 random 3-D items. Seeded (model/rng.ts), so every run
 * packs the same items.
 */
export interface OfflineBenchRow {
  name: string;
  items: number;
  seconds: number;
  itemsPerSecond: number;
  bins: number;
}

export interface OfflineBenchOptions {
  seed?: number;
  items1d?: number;
  itemsVec?: number;
  /** Check each packing (adds time outside the measured section). Default false. */
  validate?: boolean;
}

/** n items, sizes uniform in [1, C/2] per dimension (capacity C = 10^6). */
export function randomInstance(n: number, d: number, seed: number): PackingInstance {
  const rng = new Rng(seed);
  const C = 1_000_000;
  const sizes = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) sizes[i] = 1 + rng.int(C / 2);
  return { name: `random-${d}d-${n}-seed${seed}`, d, n, capacity: new Float64Array(d).fill(C), sizes };
}

export function benchOffline(opts: OfflineBenchOptions = {}): OfflineBenchRow[] {
  const seed = opts.seed ?? 42;
  const rows: OfflineBenchRow[] = [];
  const run = (inst: PackingInstance, algo: string) => {
    const t0 = performance.now();
    const p = runAlgorithm(algo, inst);
    const seconds = (performance.now() - t0) / 1000;
    if (opts.validate) {
      const bad = validatePacking(inst, p);
      if (bad) throw new Error(`${algo}: ${bad}`);
    }
    rows.push({ name: `${algo} ${inst.d}-D`, items: inst.n, seconds, itemsPerSecond: inst.n / seconds, bins: p.bins });
  };
  const one = randomInstance(opts.items1d ?? 1_000_000, 1, seed);
  for (const a of ['FFD', 'BFD', 'WFD', 'FF', 'BF']) run(one, a);
  const vec = randomInstance(opts.itemsVec ?? 100_000, 3, seed + 1);
  for (const a of ['FFD-L1-Unit', 'FFD-Linf-Unit', 'FFD-L2-Avg', 'BFD-L1-Unit', 'WFD-L1-Unit', 'BCS-DP1-Unit', 'BCS-DP1-Avg', 'BCS-L2Norm-Unit']) run(vec, a);
  return rows;
}

/** The `## Offline packing (issue 4)` section of BENCHMARKS.md. */
export async function offlineSection(): Promise<string> {
  const rows = benchOffline({ validate: false });
  return [
    '## Offline packing (issue 4)',
    '',
    'Seeded random instances (seed 42): 10^6 one-dimensional items and 10^5 three-dimensional items, sizes uniform in [1, C/2].',
    'Function: `benchOffline()` in `bench/offline-bench.ts`.',
    '',
    '| algorithm | items | seconds | items/s | bins |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${r.items.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${Math.round(r.itemsPerSecond).toLocaleString('en-US')} | ${r.bins.toLocaleString('en-US')} |`),
    '',
  ].join('\n');
}
