import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAzure } from '../workloads/azure/reader.js';
import { existsSync } from 'node:fs';
import { detectWorkloadFormat } from '../workloads/format-registry.js';
import { inspectWorkload } from '../workloads/inspect-workload.js';
import { GiB } from '../model/units.js';
import type { TaskBatch } from '../model/task-batch.js';

const FIX = path.join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'azure');

async function first(w: { taskBatches(): AsyncIterable<TaskBatch> }): Promise<TaskBatch> {
  for await (const b of w.taskBatches()) return b;
  throw new Error('no batch');
}

describe('readAzure V2 (gzip vmtable + vm_cpu_readings)', () => {
  it('maps buckets, times, jobs and usage', async () => {
    const w = await readAzure(path.join(FIX, 'v2'));
    expect(w.name).toMatch(/^azure-v2:/);
    const b = await first(w);
    // Sorted by vmcreated: vm2 (0), vm3 (300), vm4 (600), the real first row (558300).
    expect([...b.submitTime]).toEqual([0, 300e6, 600e6, 558300e6]);
    expect([...b.duration]).toEqual([2591400e6, 600e6, 600e6, (1673700 - 558300) * 1e6]);
    expect([...b.request]).toEqual([2000, 4 * GiB, 32000, 128 * GiB, 4000, 8 * GiB, 8000, 32 * GiB]);
    // vm2 from readings: 10 % and 30 % → mean 0.2, CV 0.5; vm4: 50 %, 50 % → 0.5, CV 0.
    expect(b.usageFraction[0]).toBeCloseTo(0.2);
    expect(b.usageVariation[0]).toBeCloseTo(0.5);
    expect(b.usageFraction[4]).toBeCloseTo(0.5);
    expect(b.usageVariation[2]).toBe(0);
    // Without readings: vmtable avgcpu, variation 0.
    expect(b.usageFraction[6]).toBeCloseTo(0.075);
    expect(b.usageVariation[3]).toBe(0);
    expect(Number.isNaN(b.usageFraction[1])).toBe(true); // memory usage unknown
    expect(w.jobs).toEqual(['depA=', 'depB=', 'depC=']);
    expect([...b.job]).toEqual([0, 1, 2, 0]);
    expect([...b.taskIndex]).toEqual([1, 0, 0, 0]);
    // Default pool: peak 38 cores / 140 GiB fits one 64-core host.
    expect(w.machines).toHaveLength(1);
    expect(w.sourceStats).toMatchObject({ rowsRead: 9, files: 2, eventCounts: { 'Delay-insensitive': 1, Interactive: 2, Unknown: 1, 'vm_cpu_readings rows': 5 } });
    const notes = w.notes.join('\n');
    expect(notes).toMatch(/>24→32/);
    expect(notes).toMatch(/>64→128/);
    expect(notes).toMatch(/1 reading for VMs not in vmtable ignored/);
  });

  it('bucket values and machines are options', async () => {
    const w = await readAzure(path.join(FIX, 'v2'), { v2Buckets: { cores: { '>24': 48 } }, machines: { count: 3, capacity: { cpuMillicores: 96000, memoryBytes: 768 * GiB } }, readings: false });
    const b = await first(w);
    expect(b.request[2]).toBe(48000);
    expect(w.machines).toHaveLength(3);
    expect(b.usageFraction[0]).toBeCloseTo(0.2); // vmtable avgcpu 20 %
  });

  it('inspect reports the right counts', async () => {
    const r = await inspectWorkload(await readAzure(path.join(FIX, 'v2')));
    expect([r.tasks, r.jobs, r.users]).toEqual([4, 3, 2]);
    expect(r.requests.cpu).toMatchObject({ count: 4, p50: 4000, max: 32000 });
    expect(r.usage.known).toBe(4);
    expect(r.machines.distinct).toBe(1);
  });
});

describe('readAzure V1', () => {
  it('detects V1 from its sizes and maps cores and GB', async () => {
    const w = await readAzure(path.join(FIX, 'v1', 'vmtable.csv'));
    expect(w.name).toMatch(/^azure-v1:/);
    const b = await first(w);
    expect([...b.request]).toEqual([1000, 0.75 * GiB, 4000, 14 * GiB, 8000, 56 * GiB]);
    expect(w.notes.join('\n')).toMatch(/V1 sizes are cores/);
  });

  it('bad rows: fail with file, line, column; skip counts by reason', async () => {
    const file = path.join(FIX, 'bad', 'vmtable.csv');
    await expect(readAzure(file)).rejects.toThrow(/bad\/vmtable\.csv line 2, column 4 \(vmdeleted\): expected a number ≥ 600, got "300"/);
    const w = await readAzure(file, { onBadRow: 'skip' });
    expect(w.sourceStats?.badRows).toEqual({
      'vmtable: vmdeleted: out of range': 1,
      'vmtable: vmcategory: unknown': 1,
      'vmtable: vmtable: wrong number of fields': 1,
    });
    expect(w.expectedTasks).toBe(2);
  });

  it('a truncated gzip is an InputError', async () => {
    await expect(readAzure(path.join(FIX, 'bad', 'truncated-vmtable.csv.gz'))).rejects.toThrow(/truncated gzip|unexpected end/);
  });
});

describe('readAzure: the vmcategory spelling "Unkown" of the published data', () => {
  it('is read as Unknown, counted, and does not stop detection', async () => {
    const file = path.join(FIX, 'v1-unkown', 'vmtable.csv');
    expect((await detectWorkloadFormat(file)).format).toBe('azure');
    const w = await readAzure(file);
    expect(w.sourceStats?.eventCounts).toMatchObject({ Unknown: 2, Interactive: 1, 'vmcategory "Unkown" read as Unknown': 1 });
    expect(w.notes.join('\n')).toMatch(/vmcategory: 1 row spelled "Unkown" \(as in the published data\) read as Unknown/);
    expect(w.expectedTasks).toBe(3);
  });

  it('other unknown categories are still bad rows', async () => {
    await expect(readAzure(path.join(FIX, 'bad', 'vmtable.csv'), { onBadRow: 'skip' })).resolves.toMatchObject({
      sourceStats: { badRows: { 'vmtable: vmcategory: unknown': 1 } },
    });
  });
});

const REAL = path.join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'shared', 'data', 'realworld', 'azure', 'opendc-v1');
const realPresent = existsSync(REAL);
if (!realPresent) console.warn(`Azure real-sample tests skipped: ${REAL} is absent (see ../shared/data/README.md)`);

describe.skipIf(!realPresent)('readAzure on the published V1 sample (../shared/data/realworld/azure/opendc-v1)', () => {
  it('reads all 10 rows: Delay-insensitive 6, Interactive 2, Unknown 2 (spelled Unkown)', async () => {
    const w = await readAzure(REAL);
    expect(w.name).toMatch(/^azure-v1:/);
    expect(w.expectedTasks).toBe(10);
    expect(w.sourceStats?.badRows).toEqual({});
    expect(w.sourceStats?.eventCounts).toMatchObject({ 'Delay-insensitive': 6, Interactive: 2, Unknown: 2, 'vmcategory "Unkown" read as Unknown': 2, 'vm_cpu_readings rows': 100 });
    // None of the 100 VMs of the readings file is in the vmtable.
    expect(w.notes.join('\n')).toMatch(/100 readings for VMs not in vmtable ignored/);
  });
});
