import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { solveExact } from '../algorithms/offline/exact-mip.js';
import { makeInstance, validatePacking } from '../algorithms/offline/instance.js';
import { readBpplib } from '../workloads/bin-packing/bpplib-reader.js';
import { lookupKnown, readInstance } from '../workloads/bin-packing/read-instance.js';

const ROOT = join(import.meta.dirname, '..');
const DATA = join(ROOT, '..', 'shared', 'data');
const present = existsSync(join(DATA, 'binpacking-1d', 'optima.csv')) && existsSync(join(DATA, 'binpacking-vector', 'derived_2d_triplets'));
if (!present) console.warn(`[offline-exact] real-data cases skipped: ${DATA} not found (the shared benchmark data is not beside this clone)`);

describe('exact MIP on small synthetic cases', () => {
  it('proves the optimum of a small instance and returns a valid packing', async () => {
    const inst = makeInstance('tiny', 100, [49, 41, 34, 33, 29, 26, 26, 22, 20, 19, 50, 50]);
    const r = await solveExact(inst, { timeLimitSeconds: 10 });
    expect(r.status).toBe('optimal');
    expect(r.packing && validatePacking(inst, r.packing)).toBeNull();
    expect(r.bins).toBe(r.lowerBound);
  });
  it('an item larger than the bin: infeasible, never solved', async () => {
    const inst = readBpplib(join(import.meta.dirname, 'fixtures', 'bin-packing', 'infeasible-allowed.txt'), { allowOversized: true });
    const r = await solveExact(inst);
    expect(r.status).toBe('infeasible');
    expect(r.bins).toBeNull();
    expect(r.packing).toBeNull();
    const v = makeInstance('v', [10, 10], [[5, 5], [3, 12]]);
    expect((await solveExact(v)).status).toBe('infeasible');
  });
});

describe.skipIf(!present)('exact MIP proves published optima on small real instances', () => {
  const cases = [
    ...['C', 'F'].flatMap((c) => [0, 1, 2, 3, 4].map((k) => join(DATA, 'binpacking-vector', 'derived_2d_triplets', `class${c}_60_2d_${k}.vbp`))),
    join(DATA, 'binpacking-1d', 'instances', 'Falkenauer_T', 'Falkenauer_t60_00.txt'),
    join(DATA, 'binpacking-1d', 'instances', 'Falkenauer_U', 'Falkenauer_u120_00.txt'),
    join(DATA, 'binpacking-1d', 'instances', 'Scholl_1', 'N1C1W1_C.txt'),
    join(DATA, 'binpacking-1d', 'instances', 'Scholl_2', 'N1W1B1R0.txt'),
  ];
  for (const file of cases) {
    it(`${file.split('/').pop()}: optimal = published optimum within the 10 s limit`, async () => {
      const inst = readInstance(file);
      const opt = lookupKnown(file)?.opt;
      expect(opt).toBeDefined();
      if (file.includes('derived_2d_triplets')) expect(opt).toBe(inst.n / 3);
      const r = await solveExact(inst, { timeLimitSeconds: 10 });
      console.log(`${inst.name}: ${r.status} ${r.bins} (heuristic ${r.heuristicBins}, ${r.formulation ?? 'bounds met'}${r.patterns ? `, ${r.patterns} maximal patterns` : ''}) in ${r.seconds.toFixed(2)} s`);
      expect(r.status).toBe('optimal');
      expect(r.bins).toBe(opt);
      expect(r.packing && validatePacking(inst, r.packing)).toBeNull();
      expect(r.seconds).toBeLessThan(15);
    });
  }
  it('time limit: a hard instance returns a valid packing with a gap, not a false optimum', async () => {
    const file = join(DATA, 'binpacking-vector', 'derived_2d_triplets', 'classF_120_2d_0.vbp');
    const inst = readInstance(file, { allowNegative: true });
    const r = await solveExact(inst, { timeLimitSeconds: 1, formulation: 'assignment' });
    expect(['feasible', 'optimal']).toContain(r.status);
    if (r.status === 'feasible') {
      expect(r.bins).toBeGreaterThan(r.lowerBound);
      expect(r.gap).toBeGreaterThan(0);
    }
    expect(r.lowerBound).toBeLessThanOrEqual(40);
    expect(r.packing && validatePacking(inst, r.packing)).toBeNull();
  });
});
