import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageSeriesBuilder } from '../workloads/reader-kit/usage-series-builder.js';
import { UnmatchedUsage } from '../workloads/reader-kit/unmatched-usage.js';
import { readAzure } from '../workloads/azure/reader.js';
import { readGoogle2019 } from '../workloads/google-2019/reader.js';
import { readAlibaba2018 } from '../workloads/alibaba-2018/reader.js';
import { readGoogle2011 } from '../workloads/google-2011/reader.js';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { readSwf } from '../workloads/swf/reader.js';
import { readOpenb } from '../workloads/alibaba-openb/reader.js';
import { writeNativeWorkload } from '../workloads/native/writer.js';
import { readNativeWorkload } from '../workloads/native/reader.js';
import { InputError } from '../model/errors.js';
import type { UsageSeriesSet } from '../model/usage-series.js';
import type { Workload } from '../model/workload.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FX = path.join(HERE, 'fixtures');
const STEP = 300e6;

/** Series s as an array of points, each an array of dims values (NaN kept). */
function points(set: UsageSeriesSet, s: number): number[][] {
  const out: number[][] = [];
  for (let p = set.offsets[s]; p < set.offsets[s + 1]; p++) out.push(Array.from(set.values.subarray(p * set.dims, (p + 1) * set.dims)));
  return out;
}

function expectPoints(got: number[][], want: number[][]): void {
  expect(got.length).toBe(want.length);
  for (let p = 0; p < want.length; p++) {
    for (let d = 0; d < want[p].length; d++) {
      if (Number.isNaN(want[p][d])) expect(got[p][d], `point ${p} dim ${d}`).toBeNaN();
      else expect(got[p][d], `point ${p} dim ${d}`).toBeCloseTo(want[p][d], 6);
    }
  }
}

/** Every task of the workload with its batch columns, in submit order. */
async function tasks(w: Workload) {
  const out: Array<{ submit: number; job: string; index: number; series: number; scale: number[]; fraction: number[]; priority: number }> = [];
  for await (const b of w.taskBatches()) {
    const D = w.resources.names.length;
    for (let i = 0; i < b.count; i++) {
      out.push({
        submit: b.submitTime[i],
        job: w.jobs[b.job[i]],
        index: b.taskIndex[i],
        series: b.usageSeries ? b.usageSeries[i] : -1,
        scale: b.usageScale ? Array.from(b.usageScale.subarray(i * D, (i + 1) * D)) : [NaN, NaN],
        fraction: Array.from(b.usageFraction.subarray(i * D, (i + 1) * D)),
        priority: b.priority[i],
      });
    }
  }
  return out;
}

describe('UsageSeriesBuilder', () => {
  it('averages windows time-weighted into the steps they overlap; gaps are NaN; series start at the first reading', () => {
    const b = new UsageSeriesBuilder({ dims: 2, source: 'test' });
    // Key 0: [0, 150) at 0.2 and [150, 300) at 0.4 → step 0 = 0.3; [450, 750) at 0.6 → half in step 1, half in step 2;
    // [750, 900) at 0.2 → the other half of step 2: (0.6·0.5 + 0.2·0.5) / 1 = 0.4; step 1 = 0.6 (its only reading).
    b.add(0, 0, 150e6, [0.2, 1]);
    b.add(0, 150e6, 300e6, [0.4, NaN]);
    b.add(0, 450e6, 750e6, [0.6, 2]);
    b.add(0, 750e6, 900e6, [0.2, NaN]);
    b.add(0, 1500e6, 1800e6, [0.9, 3]); // step 5; steps 3 and 4 are gaps
    // Key 2: starts at step 4; key 1 has no reading.
    b.add(2, 1200e6, 1500e6, [0.5, 0.5]);
    // Key 3: unequal overlaps in step 0, 100 s at 0.3 and 200 s at 0.6 → (0.3·100 + 0.6·200) / 300 = 0.5
    // (equal weights would give 0.45).
    b.add(3, 0, 100e6, [0.3, NaN]);
    b.add(3, 100e6, 300e6, [0.6, NaN]);
    const { set, seriesOf } = b.build(5);
    expect([...seriesOf]).toEqual([0, -1, 1, 2, -1]);
    expect(set).toBeDefined();
    expect(set!.count).toBe(3);
    expect(set!.step).toBe(STEP);
    expect(set!.cyclic).toBe(false);
    expect(set!.values).toBeInstanceOf(Float32Array);
    expect([...set!.start]).toEqual([0, 1200e6, 0]);
    // Memory: step 0 only the first half-step measured (1); step 1 and 2 only [450, 750) (2).
    expectPoints(points(set!, 0), [
      [0.3, 1],
      [0.6, 2],
      [0.4, 2],
      [NaN, NaN],
      [NaN, NaN],
      [0.9, 3],
    ]);
    expectPoints(points(set!, 1), [[0.5, 0.5]]);
    expectPoints(points(set!, 2), [[0.5, NaN]]);
  });

  it('out-of-order readings, across blocks and keys, give sorted series', () => {
    const inOrder = new UsageSeriesBuilder({ dims: 1, source: 'test' });
    const shuffled = new UsageSeriesBuilder({ dims: 1, source: 'test' });
    const readings: Array<[number, number, number]> = [];
    for (let key = 0; key < 3; key++) for (let k = 0; k < 70; k += key + 1) readings.push([key, k, (key + 1) * 100 + k]);
    for (const [key, k, v] of readings) inOrder.add(key, k * STEP, (k + 1) * STEP, [v]);
    // Reverse order: every reading lands before the key's earlier ones (new chain heads), 70 steps span 5 blocks.
    for (const [key, k, v] of [...readings].reverse()) shuffled.add(key, k * STEP, (k + 1) * STEP, [v]);
    const a = inOrder.build();
    const b = shuffled.build();
    expect([...b.set!.offsets]).toEqual([...a.set!.offsets]);
    expect([...b.set!.start]).toEqual([...a.set!.start]);
    expect(Buffer.from(b.set!.values.buffer).equals(Buffer.from(a.set!.values.buffer))).toBe(true);
    // Key 1: readings every other step from 0 to 68 → 69 points, odd ones NaN.
    const s1 = points(b.set!, 1).map((p) => p[0]);
    expect(s1).toHaveLength(69);
    expect(s1[0]).toBe(200);
    expect(s1[1]).toBeNaN();
    expect(s1[68]).toBe(268);
  });

  it('unmeasured dimensions are NaN; point samples in a step are averaged with equal weights; the grid starts at origin', () => {
    const b = new UsageSeriesBuilder({ dims: 2, source: 'test', origin: 100e6, measured: [true, false] });
    b.addSample(0, 100e6, [0.1, 9]);
    b.addSample(0, 399e6, [0.3, 9]); // still step 0: [100, 400) s
    b.addSample(0, 400e6, [0.8, 9]); // step 1
    const { set } = b.build();
    expect([...set!.start]).toEqual([100e6]);
    expectPoints(points(set!, 0), [
      [0.2, NaN],
      [0.8, NaN],
    ]);
  });

  it('a zero-length window counts; a key fed only NaN has no series; nothing fed gives no set', () => {
    const b = new UsageSeriesBuilder({ dims: 1, source: 'test' });
    b.add(0, 600e6, 600e6, [0.7]);
    b.add(1, 0, 300e6, [NaN]);
    const { set, seriesOf } = b.build();
    expect([...seriesOf]).toEqual([0, -1]);
    expect([...set!.start]).toEqual([600e6]);
    expectPoints(points(set!, 0), [[0.7]]);
    expect(new UsageSeriesBuilder({ dims: 1, source: 'test' }).build(3)).toEqual({ set: undefined, seriesOf: new Int32Array([-1, -1, -1]) });
  });

  it('refuses a reading that would stretch a series past maxSteps, or a non-finite window, feeding nothing', () => {
    const b = new UsageSeriesBuilder({ dims: 1, source: 'test', maxSteps: 10 });
    expect(b.add(0, 0, STEP, [1])).toBe(true);
    expect(b.add(0, 9 * STEP, 10 * STEP, [1])).toBe(true); // 10 steps: the limit
    expect(b.add(0, 10 * STEP, 11 * STEP, [1])).toBe(false);
    expect(b.addSample(0, -STEP, [1])).toBe(false);
    expect(b.add(1, 0, Infinity, [1])).toBe(false);
    expect(b.add(1, 5, 4, [1])).toBe(false);
    expect(b.addSample(1, NaN, [1])).toBe(false);
    expect(b.readings).toBe(2);
    const { set, seriesOf } = b.build();
    expect([...seriesOf]).toEqual([0, -1]);
    expect(set!.offsets[1]).toBe(10);
  });
});

describe('UnmatchedUsage', () => {
  it('warns only when every reading matched nothing, with counts', () => {
    const u = new UnmatchedUsage();
    expect(u.warning('t', 'VM', 'the vmtable')).toBeUndefined(); // no readings
    u.count('a', false);
    u.count('a', false);
    u.count('b', false);
    expect(u.warning('t', 'VM', 'the vmtable')).toBe(
      'warning: t: none of its 3 readings matches the workload (their 2 distinct VMs are not in the vmtable): the usage file does not belong to this workload, so no task has usage from it',
    );
    u.count('c', true);
    expect(u.warning('t', 'VM', 'the vmtable')).toBeUndefined();
    expect(u.unmatched).toBe(3);
  });
});

describe('Azure: vm_cpu_readings → a CPU series per VM', () => {
  it('series lengths, values, gaps and out-of-order readings; memory NaN; VMs without readings have none', async () => {
    const w = await readAzure(path.join(FX, 'azure', 'series'));
    const set = w.usageSeries!;
    expect(set.source).toBe('trace:vm_cpu_readings');
    expect(set.count).toBe(2);
    const t = await tasks(w);
    // Submit order: vmA (0), vmB (300 s), vmC (600 s).
    const [a, b, c] = t;
    expect(c.series).toBe(-1);
    expect(c.fraction[0]).toBeCloseTo(0.05); // vmtable avgcpu 5 %
    // vmA: readings at 6000, 0, 900, 300 s (that order) → steps 0..20: 10 %, 20 %, gap, 40 %, gaps, 60 %.
    expect(set.start[a.series]).toBe(0);
    const pa = points(set, a.series);
    expect(pa).toHaveLength(21);
    expectPoints(pa.slice(0, 4), [
      [0.1, NaN],
      [0.2, NaN],
      [NaN, NaN],
      [0.4, NaN],
    ]);
    for (let p = 4; p < 20; p++) expect(pa[p][0]).toBeNaN();
    expect(pa[20][0]).toBeCloseTo(0.6);
    // The mean and CV are still computed (other code reads them): mean of 10, 20, 40, 60 % = 0.325.
    expect(a.fraction[0]).toBeCloseTo(0.325);
    // vmB: 300 s and 600 s → starts at 300 s.
    expect(set.start[b.series]).toBe(300e6);
    expectPoints(points(set, b.series), [
      [0.3, NaN],
      [0.5, NaN],
    ]);
    expect(w.priorityScale).toBe('kubernetes');
    const notes = w.notes.join('\n');
    expect(notes).toMatch(/usage series: 2 VMs with a CPU series/);
    expect(notes).toMatch(/1 reading for VMs not in vmtable ignored/);
    expect(notes).not.toMatch(/warning:/); // some readings matched
  });

  it('a negative or non-numeric avgcpu is an InputError naming file, line and field; skip counts them', async () => {
    const dir = path.join(FX, 'azure', 'bad-readings');
    const err = await readAzure(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/vm_cpu_readings-file-1-of-1\.csv line 2, column 4 \(avgcpu\): expected .*got "-5"/);
    const w = await readAzure(dir, { onBadRow: 'skip' });
    const bad = w.sourceStats!.badRows!;
    expect(Object.values(bad).reduce((s, n) => s + n, 0)).toBe(2);
    expect(Object.keys(bad).every((k) => k.startsWith('vm_cpu_readings: avgcpu'))).toBe(true);
    // Only the good reading (10 % at 0 s) is in the series.
    expectPoints(points(w.usageSeries!, 0), [[0.1, NaN]]);
  });
});

describe('Google 2019: instance_usage → a series per submission', () => {
  it('time-weighted off-grid windows, shards out of order, re-submissions, a 0 request, gaps', async () => {
    const w = await readGoogle2019(path.join(FX, 'google-2019', 'usage-series'));
    const set = w.usageSeries!;
    expect(set.source).toBe('trace:instance_usage');
    expect(set.count).toBe(3);
    const t = await tasks(w);
    const first = t.find((x) => x.job === '700' && x.index === 0 && x.submit === 0)!;
    const again = t.find((x) => x.job === '700' && x.index === 0 && x.submit === 2400e6)!;
    const zero = t.find((x) => x.job === '700' && x.index === 1)!;
    // First submission (request 0.25 NCU, 0.5 memory), windows hand-averaged per step:
    //   step 0: [0,150) 0.1 and [150,300) 0.2 → 0.15 / 0.25 = 0.6; memory 0.25 / 0.5 = 0.5
    //   step 1: half of [450,750) 0.3 → 1.2; step 2: the other half of it (150 s at 0.3) and [750,850)
    //   (100 s at 0.1) → (0.3·150 + 0.1·100) / 250 = 0.22 / 0.25 = 0.88, memory (0.25·150 + 0.125·100) / 250
    //   = 0.2 / 0.5 = 0.4 (equal weights would give 0.8 and 0.375); step 3: gap; step 4: [1200,1500) 0.2 → 0.8, 0.5.
    expect(set.start[first.series]).toBe(0);
    expectPoints(points(set, first.series), [
      [0.6, 0.5],
      [1.2, 0.5],
      [0.88, 0.4],
      [NaN, NaN],
      [0.8, 0.5],
    ]);
    // The re-submission at 2,400 s (request 0.5, 0.5) gets the window that starts then: 0.25 / 0.5.
    expect(set.start[again.series]).toBe(2400e6);
    expectPoints(points(set, again.series), [[0.5, 0.5]]);
    expect(again.scale.every((x) => Number.isNaN(x))).toBe(true);
    // CPU request 0: the CPU value is average_usage, relative to the machine scale (32 cores by default).
    expectPoints(points(set, zero.series), [[0.05, 0.5]]);
    expect(zero.scale[0]).toBe(32_000);
    expect(zero.scale[1]).toBeNaN();
    expect(w.priorityScale).toBe('google-2019');
    const notes = w.notes.join('\n');
    expect(notes).toMatch(/usage series: 3 submissions/);
    expect(notes).toMatch(/maximum_usage not kept/);
    expect(notes).toMatch(/1 row for instances not in instance_events ignored/);
    expect(notes).not.toMatch(/warning:/);
  });

  it('a usage file whose instances match nothing is a warning note with counts', async () => {
    const w = await readGoogle2019(path.join(FX, 'google-2019', 'unmatched-usage'));
    expect(w.usageSeries).toBeUndefined();
    expect((await tasks(w)).every((x) => x.series === -1)).toBe(true);
    expect(w.notes).toContain(
      'warning: instance_usage: none of its 3 readings matches the workload (their 2 distinct instances are not in instance_events): the usage file does not belong to this workload, so no task has usage from it',
    );
  });

  it('negative or non-numeric average_usage, and an impossible window, are InputErrors naming file, line and field', async () => {
    const dir = path.join(FX, 'google-2019', 'bad-usage');
    await expect(readGoogle2019(dir)).rejects.toThrow(/instance_usage-000000000000\.json line 2.*average_usage\.cpus.*-0\.1/);
    const w = await readGoogle2019(dir, { onBadRow: 'skip' });
    const bad = w.sourceStats!.badRows!;
    expect(Object.values(bad).reduce((s, n) => s + n, 0)).toBe(3);
    expect(Object.keys(bad).join('\n')).toMatch(/average_usage\.cpus/);
    expect(Object.keys(bad).join('\n')).toMatch(/end_time/);
    expectPoints(points(w.usageSeries!, 0), [[0.4, 0.5]]);
  });
});

describe('Alibaba 2018: container_usage → a series per container', () => {
  it('samples averaged per step, out of order, invalid values NaN, unmatched rows counted', async () => {
    const w = await readAlibaba2018(path.join(FX, 'alibaba-2018', 'usage-series'));
    const set = w.usageSeries!;
    expect(set.source).toBe('trace:container_usage');
    const t = await tasks(w);
    const c1 = t.find((x) => x.job === 'container/app_1' && x.index === 0)!;
    const c2 = t.find((x) => x.job === 'container/app_1' && x.index === 1)!;
    // c_1: step 0 samples at 10 s (20 %, 30 %) and 290 s (40 %, 50 %); step 1: 310 s (30 %, 40 %);
    // step 2: gap; step 3: 920 s (60 %, 70 %) — read before the 310-s sample.
    expectPoints(points(set, c1.series), [
      [0.3, 0.4],
      [0.3, 0.4],
      [NaN, NaN],
      [0.6, 0.7],
    ]);
    // c_2: memory -1 is invalid → NaN.
    expectPoints(points(set, c2.series), [[0.1, NaN]]);
    expect(w.priorityScale).toBe('kubernetes');
    const notes = w.notes.join('\n');
    expect(notes).toMatch(/1 row for containers not in container_meta ignored/);
    expect(notes).toMatch(/machine_usage is per machine and gives no task a series/);
  });

  it('batch tasks pushed after the containers have no series', async () => {
    const w = await readAlibaba2018(path.join(FX, 'alibaba-2018', 'trace'));
    const t = await tasks(w);
    const batch = t.filter((x) => !x.job.startsWith('container/'));
    expect(batch.length).toBeGreaterThan(0);
    expect(batch.every((x) => x.series === -1)).toBe(true);
    expect(t.some((x) => x.series >= 0)).toBe(true);
  });

  it('a negative cpu_util_percent is an InputError naming file, line and field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-ali-usage-'));
    tmpDirs.push(dir);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'container_meta.csv'), 'c_1,m_1,0,app_1,started,400,400,1.56\n');
    writeFileSync(path.join(dir, 'container_usage.csv'), 'c_1,m_1,10,20,30,,,,,,\nc_1,m_1,20,-7,30,,,,,,\n');
    await expect(readAlibaba2018(dir)).rejects.toThrow(/container_usage\.csv line 2, column 3 \(cpu_util_percent\).*-7/);
  });
});

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe('trace convert: series are not stored, and the file says so; the priority scale is kept', () => {
  it('a workload with series gets a warning note in the native file; priorityScale round-trips', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-usage-native-'));
    tmpDirs.push(dir);
    const w = await readAzure(path.join(FX, 'azure', 'series'));
    const file = path.join(dir, 'azure.schedlab.arrow');
    await writeNativeWorkload(w, file);
    const back = await readNativeWorkload(file);
    expect(back.usageSeries).toBeUndefined();
    expect(back.priorityScale).toBe('kubernetes');
    expect(back.notes.at(-1)).toMatch(/^warning: the source's usage series \(2 series from trace:vm_cpu_readings\) are not stored in the native file/);
    // Without series: no such note.
    const g = await readGoogle2011(path.join(FX, 'google-2011', 'trace'));
    const gf = path.join(dir, 'g.schedlab.arrow');
    await writeNativeWorkload(g, gf);
    const gb = await readNativeWorkload(gf);
    expect(gb.notes.join('\n')).not.toMatch(/usage series/);
    expect(gb.priorityScale).toBe('google-2011');
  });
});

describe('priority scale per reader', () => {
  it('Google 2011, Kubernetes manifests, SWF and openb say how they number priorities', async () => {
    expect((await readGoogle2011(path.join(FX, 'google-2011', 'trace'))).priorityScale).toBe('google-2011');
    expect((await readKubernetesManifests(path.join(FX, 'kubernetes', 'cluster'), {})).priorityScale).toBe('kubernetes');
    expect((await readSwf(path.join(FX, 'swf', 'sample.swf'))).priorityScale).toBe('kubernetes');
    expect((await readOpenb(path.join(FX, 'alibaba-openb', 'openb_pod_list_tiny.csv'))).priorityScale).toBe('kubernetes');
  });
});

const REAL_AZURE = path.join(HERE, '..', '..', 'shared', 'data', 'realworld', 'azure', 'opendc-v1');
const realAzure = existsSync(REAL_AZURE);
if (!realAzure) console.warn(`Azure real-sample usage test skipped: ${REAL_AZURE} is absent (see ../shared/data/README.md)`);

describe.skipIf(!realAzure)('the published Azure V1 excerpt: readings for 100 VMs, none in the vmtable', () => {
  it('is reported as a warning note, with counts, and gives no series', async () => {
    const w = await readAzure(REAL_AZURE);
    expect(w.usageSeries).toBeUndefined();
    expect((await tasks(w)).every((x) => x.series === -1)).toBe(true);
    expect(w.notes).toContain(
      'warning: vm_cpu_readings: none of its 100 readings matches the workload (their 100 distinct VMs are not in the vmtable): the usage file does not belong to this workload, so no task has usage from it',
    );
    expect(w.notes.join('\n')).toMatch(/usage series: none/);
  });
});
