import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPackReport } from '../cli/commands/pack.js';
import { packInstances } from '../harness/pack.js';
import { InputError } from '../workloads/bin-packing/input-error.js';

const FIX = join(import.meta.dirname, 'fixtures', 'bin-packing');
const DATA = join(import.meta.dirname, '..', '..', 'shared', 'data');
const present = existsSync(join(DATA, 'binpacking-1d', 'optima.csv'));
if (!present) console.warn(`[offline-pack] real-data cases skipped: ${DATA} not found`);

describe('packInstances on fixtures', () => {
  it('reports per-instance bins, lower bounds, and infeasible instances as infeasible', async () => {
    const rep = await packInstances([join(FIX, 'ok-crlf.txt'), join(FIX, 'vbp-ok.vbp'), join(FIX, 'infeasible-allowed.txt')], {
      algorithms: ['all', 'exact'],
    });
    expect(rep.instances.map((r) => r.name)).toEqual(['ok-crlf', 'vbp-ok', 'infeasible-allowed']);
    const [a, b, c] = rep.instances;
    expect(a.lowerBound).toBe(2);
    expect(a.results.find((x) => x.algorithm === 'FFD')?.bins).toBe(2);
    expect(a.results.find((x) => x.algorithm === 'exact')?.status).toBe('optimal');
    expect(b.d).toBe(2);
    expect(b.results.some((x) => x.algorithm === 'BCS-DP1-Avg')).toBe(true);
    expect(c.infeasible).toBe(true);
    expect(c.results.every((x) => x.status === 'infeasible' && x.bins === null)).toBe(true);
    expect(renderPackReport(rep)).toContain('infeasible');
  });
  it('malformed files raise InputError naming the file', async () => {
    await expect(packInstances([join(FIX, 'non-integer.txt')], { algorithms: ['FFD'] })).rejects.toThrow(InputError);
  });
});

describe.skipIf(!present)('packInstances on real files', () => {
  it('reads known optima from optima.csv / index.csv and summarizes per class', async () => {
    const files = [
      join(DATA, 'binpacking-1d', 'instances', 'Scholl_1', 'N1C1W1_A.txt'),
      join(DATA, 'binpacking-1d', 'instances', 'Scholl_1', 'N1C1W1_C.txt'),
      join(DATA, 'binpacking-vector', 'mommessin2025', 'Panigrahy_instances_multidim', 'class1', 'class1_20_3_0.vbp'),
      join(DATA, 'binpacking-vector', 'derived_2d_triplets', 'classF_60_2d_0.vbp'),
    ];
    const rep = await packInstances(files, { algorithms: ['FFD', 'BFD', 'BCS-DP1-Avg'] });
    expect(rep.instances.map((r) => r.knownOptimum)).toEqual([25, 20, 6, 20]);
    expect(rep.instances.map((r) => r.cls)).toEqual(['Scholl_1', 'Scholl_1', 'Panigrahy/class1', 'derived_2d_triplets']);
    const scholl = rep.classes.find((c) => c.cls === 'Scholl_1');
    const ffd = scholl?.perAlgorithm.find((p) => p.algorithm === 'FFD');
    expect(ffd?.instancesWithOpt).toBe(2);
    expect(ffd?.hitsOpt).toBe(1); // N1C1W1_A: 25 = opt; N1C1W1_C: 21 vs 20
    expect(ffd?.meanPctAboveOpt).toBeCloseTo(2.5, 6);
    const text = renderPackReport(rep);
    expect(text).toContain('N1C1W1_C');
    expect(text).toContain('Per class');
  });
});
