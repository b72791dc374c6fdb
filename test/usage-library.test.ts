import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { InputError } from '../model/errors.js';
import { readGcdLibrary } from '../workloads/usage/gcd-library.js';
import { readPlanetLabLibrary } from '../workloads/usage/planetlab-library.js';
import { median, seriesStatistics } from '../workloads/usage/series-statistics.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const DATA = path.resolve(ROOT, '..', 'shared', 'data', 'usage');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'usage');
const present = existsSync(path.join(DATA, 'google-2011-jobs', 'GCD_VMs')) && existsSync(path.join(DATA, 'planetlab', 'planetlab.tar.gz'));
if (!present) console.warn(`usage library real-data tests skipped: ${DATA} is absent (see ../shared/data/README.md)`);

const CPU = DEFAULT_RESOURCES.names.indexOf('cpu');
const MEM = DEFAULT_RESOURCES.names.indexOf('memory');
const GPU = DEFAULT_RESOURCES.names.indexOf('gpu');

/** Medians rounded as the data README prints them (mean in percent, 2 decimals; others 3). */
function printedMedians(set: Awaited<ReturnType<typeof readGcdLibrary>>, d: number): [string, string, string, string] {
  const st = seriesStatistics(set, d);
  return [(median(st.mean) * 100).toFixed(2), median(st.cv).toFixed(3), median(st.lag1).toFixed(3), median(st.peakToMean).toFixed(3)];
}

describe.skipIf(!present)('usage libraries on the real data (../shared/data/usage)', () => {
  it('GCD: 803 series of 288 points, ranges and per-series medians as the data README states', async () => {
    const set = await readGcdLibrary(DATA, DEFAULT_RESOURCES);
    expect(set.count).toBe(803);
    expect(set.cyclic).toBe(true);
    expect(set.step).toBe(300e6);
    expect(set.dims).toBe(3);
    for (let s = 0; s < set.count; s++) expect(set.offsets[s + 1] - set.offsets[s]).toBe(288);
    expect([...set.names!]).toEqual([...set.names!].sort());
    let cpuMin = Infinity, cpuMax = -Infinity, memMin = Infinity, memMax = -Infinity, gpuNotNaN = 0;
    for (let p = 0; p < set.offsets[set.count]; p++) {
      const c = set.values[p * 3 + CPU], m = set.values[p * 3 + MEM];
      cpuMin = Math.min(cpuMin, c); cpuMax = Math.max(cpuMax, c);
      memMin = Math.min(memMin, m); memMax = Math.max(memMax, m);
      if (!Number.isNaN(set.values[p * 3 + GPU])) gpuNotNaN++;
    }
    // README: CPU 5.005–88.943 %, memory 5.044–127.633 %.
    expect(cpuMin).toBeCloseTo(0.05005, 5);
    expect(cpuMax).toBeCloseTo(0.88943, 5);
    expect(memMin).toBeCloseTo(0.05044, 5);
    expect(memMax).toBeCloseTo(1.27633, 5);
    expect(gpuNotNaN).toBe(0);
    expect(printedMedians(set, CPU)).toEqual(['18.40', '0.139', '0.763', '1.372']);
    expect(printedMedians(set, MEM)).toEqual(['14.94', '0.015', '0.804', '1.037']);
    const meanOfMeans = (d: number): string => (seriesStatistics(set, d).mean.reduce((a, b) => a + b, 0) / set.count * 100).toFixed(2);
    expect(meanOfMeans(CPU)).toBe('21.52');
    expect(meanOfMeans(MEM)).toBe('22.21');
  });

  it('PlanetLab: 5,603 CPU-only series (per day as the README counts), medians as the data README states', async () => {
    const set = await readPlanetLabLibrary(DATA, DEFAULT_RESOURCES);
    expect(set.count).toBe(5603);
    const perDay = new Map<string, number>();
    for (const n of set.names!) perDay.set(n.split('/')[0], (perDay.get(n.split('/')[0]) ?? 0) + 1);
    expect([...perDay.values()]).toEqual([1052, 1061, 1078, 1358, 1054]);
    expect(set.names!.some((n) => n.includes(' '))).toBe(true);
    for (let s = 0; s < set.count; s++) expect(set.offsets[s + 1] - set.offsets[s]).toBe(288);
    let memNotNaN = 0;
    for (let p = 0; p < set.offsets[set.count]; p++) if (!Number.isNaN(set.values[p * 3 + MEM])) memNotNaN++;
    expect(memNotNaN).toBe(0);
    expect(printedMedians(set, CPU)).toEqual(['6.77', '0.829', '0.053', '4.871']);
    const mean = seriesStatistics(set, CPU).mean.reduce((a, b) => a + b, 0) / set.count;
    expect((mean * 100).toFixed(2)).toBe('11.24');
  });
});

describe('usage library readers on hand-written fixtures', () => {
  it('reads a small GCD folder and a small PlanetLab archive onto the schema by name', async () => {
    const schema = { names: ['memory', 'gpu', 'cpu'], units: ['bytes', 'milli-gpu', 'millicores'] };
    const gcd = await readGcdLibrary(path.join(FIXTURES, 'good'), schema);
    expect(gcd.count).toBe(2);
    expect(gcd.names).toEqual(['vm_1_1', 'vm_2_1']);
    // vm_1_1 line 1: "12.5 40"; line 288: "30 101.5"
    expect(gcd.values[0 * 3 + 2]).toBeCloseTo(0.125, 6);
    expect(gcd.values[0 * 3 + 0]).toBeCloseTo(0.4, 6);
    expect(gcd.values[287 * 3 + 0]).toBeCloseTo(1.015, 6);
    expect(Number.isNaN(gcd.values[1])).toBe(true);
    const pl = await readPlanetLabLibrary(path.join(FIXTURES, 'good'), schema);
    expect(pl.names).toEqual(['20110101/a host', '20110101/b']);
    expect(pl.values[0 * 3 + 2]).toBeCloseTo(0.07, 6);
    expect(Number.isNaN(pl.values[0])).toBe(true);
  });

  const bad: Array<[string, RegExp]> = [
    ['negative', /vm_3_1 line 5, column 1 \(memory %\): expected a non-negative number \(percent\), got "-2"/],
    ['non-numeric', /vm_4_1 line 2, column 0 \(CPU %\): expected a non-negative number \(percent\), got "abc"/],
    ['field-count', /vm_5_1 line 3: expected 2 fields \(<CPU %> <memory %>\), got 3/],
    ['short', /vm_6_1: expected 288 lines/],
  ];
  for (const [name, re] of bad) {
    it(`GCD ${name} value → InputError naming file, line and field`, async () => {
      const err = await readGcdLibrary(path.join(FIXTURES, `bad-${name}`), { names: ['cpu', 'memory'], units: ['m', 'b'] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    });
  }

  it('PlanetLab non-integer value → InputError naming archive member, line and field', async () => {
    const err = await readPlanetLabLibrary(path.join(FIXTURES, 'bad-planetlab'), { names: ['cpu'], units: ['m'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('planetlab.tar.gz:20110101/vm x line 4, column 0 (CPU %): expected an integer percentage 0–100, got "3.5"');
  });

  it('a folder without the library is an InputError, not an empty set', async () => {
    await expect(readGcdLibrary(path.join(FIXTURES, 'nowhere'), DEFAULT_RESOURCES)).rejects.toThrow(/GCD usage library/);
    await expect(readPlanetLabLibrary(path.join(FIXTURES, 'nowhere'), DEFAULT_RESOURCES)).rejects.toThrow(/PlanetLab usage archive/);
  });
});
