import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../model/errors.js';
import { looksLikeOpenb, openbPodCounts, readOpenb, readOpenbNodes, readOpenbPods } from '../workloads/alibaba-openb/index.js';
import type { TaskBatch } from '../model/task-batch.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const DATA = path.resolve(ROOT, '..', 'shared', 'data', 'alibaba-openb-2023');
const FIX = path.join(ROOT, 'test', 'fixtures', 'alibaba-openb');
const present = existsSync(path.join(DATA, 'openb_pod_list_default.csv'));
if (!present) console.warn(`openb real-data tests skipped: ${DATA} is absent (see ../shared/data/README.md)`);

const MiB = 1024 * 1024;
async function allBatches(w: { taskBatches(): AsyncIterable<TaskBatch> }): Promise<TaskBatch[]> {
  const out: TaskBatch[] = [];
  for await (const b of w.taskBatches()) out.push(b);
  return out;
}

describe.skipIf(!present)('openb real data (../shared/data/alibaba-openb-2023)', () => {
  it('reproduces the data README facts for the default pod list', () => {
    const pods = readOpenbPods(path.join(DATA, 'openb_pod_list_default.csv'));
    expect(pods.count).toBe(8152);
    const c = openbPodCounts(pods);
    expect(c.phase).toEqual({ Running: 5193, Failed: 1870, Pending: 897, Succeeded: 192 });
    expect(c.qos).toEqual({ LS: 4647, BE: 3398, Burstable: 100, Guaranteed: 7 });
    expect(c.numGpu).toEqual({ '0': 1088, '1': 6989, '2': 16, '4': 15, '8': 44 });
    expect(pods.badRows.total).toBe(0);
  });

  it('reads both node lists: 1,213 GPU nodes with 6,212 GPUs; 1,523 nodes in all', () => {
    const gpu = readOpenbNodes(path.join(DATA, 'openb_node_list_gpu_node.csv'));
    expect(gpu.count).toBe(1213);
    expect(gpu.totalGpus).toBe(6212);
    expect(gpu.gpus.every((g) => g > 0)).toBe(true);
    const all = readOpenbNodes(path.join(DATA, 'openb_node_list_all_node.csv'));
    expect(all.count).toBe(1523);
    expect(all.totalGpus).toBe(6212);
  });

  it('readOpenb builds the replay workload in schedlab units', async () => {
    const w = await readOpenb(DATA);
    expect(w.machines).toHaveLength(1523);
    expect(w.resources.names).toEqual(['cpu', 'memory', 'gpu']);
    const g2 = w.machines.find((m) => m.gpuModel === 'G2')!;
    expect(g2.capacity).toEqual([96000, 393216 * MiB, 8000]);
    expect(g2.gpuDevices).toBe(8);
    const batches = await allBatches(w);
    const n = batches.reduce((s, b) => s + b.count, 0);
    expect(n).toBe(8152);
    const b = batches[0];
    // openb-pod-0000: 12000 mCPU, 16384 MiB, 1 × 1000 milli-GPU, Running 0 → 12537496 s
    expect(w.jobs[b.job[0]]).toBe('openb-pod-0000');
    expect(Array.from(b.request.subarray(0, 3))).toEqual([12000, 16384 * MiB, 1000]);
    expect(b.duration[0]).toBe(12537496 * 1e6);
    // openb-pod-0001 shares 460 milli of one GPU
    expect(b.request[1 * 3 + 2]).toBe(460);
    let pendingWithKill = 0;
    let prev = -Infinity;
    for (const x of batches) {
      for (let k = 0; k < x.count; k++) {
        expect(x.submitTime[k]).toBeGreaterThanOrEqual(prev);
        prev = x.submitTime[k];
        if (Number.isNaN(x.duration[k])) {
          expect(Number.isFinite(x.killTime![k])).toBe(true);
          pendingWithKill++;
        }
      }
    }
    expect(pendingWithKill).toBe(897);
    expect(w.jobConstraints![0]!.qos).toBe('LS');
    expect(w.sourceStats!.eventCounts!['phase Pending']).toBe(897);
  });

  it('looksLikeOpenb recognizes the folder and the pod lists, not the node lists or other CSVs', () => {
    expect(looksLikeOpenb(DATA)).toBe(true);
    expect(looksLikeOpenb(path.join(DATA, 'openb_pod_list_cpu050.csv'))).toBe(true);
    expect(looksLikeOpenb(path.join(DATA, 'openb_node_list_gpu_node.csv'))).toBe(false);
    expect(looksLikeOpenb(path.join(ROOT, 'package.json'))).toBe(false);
    expect(looksLikeOpenb(path.join(DATA, 'nope.csv'))).toBe(false);
  });
});

describe('openb reader on hand-written fixtures', () => {
  it('parses gpu_spec, QoS, phases and times; Pending pods leave at deletion_time', async () => {
    const pods = readOpenbPods(path.join(FIX, 'openb_pod_list_tiny.csv'));
    expect(pods.count).toBe(4);
    expect(pods.specs).toEqual([['V100M16', 'V100M32'], ['G2']]);
    expect(Array.from(pods.spec)).toEqual([-1, 0, -1, 1]);
    const w = await readOpenb(path.join(FIX, 'openb_pod_list_tiny.csv'));
    expect(w.machines).toHaveLength(3);
    expect(w.machines[0].gpuModel).toBeUndefined();
    expect(w.machines[2]).toMatchObject({ gpuModel: 'V100M16', gpuDevices: 4, capacity: [32000, 131072 * MiB, 4000] });
    const [b] = await allBatches(w);
    // submit order by creation_time: pod0 (0), pod2 (5), pod1 (10), pod3 (30)
    expect(Array.from(b.job)).toEqual([0, 2, 1, 3]);
    expect(Array.from(b.submitTime)).toEqual([0, 5e6, 10e6, 30e6]);
    expect(b.duration[0]).toBe(95e6);
    expect(Number.isNaN(b.duration[1])).toBe(true);
    expect(b.killTime![1]).toBe(50e6);
    expect(Number.isNaN(b.killTime![0])).toBe(true);
    expect(b.recordedStart![2]).toBe(20e6);
    expect(b.request[3 * 3 + 2]).toBe(8000);
    expect(w.jobConstraints![1]).toEqual({ gpuModels: ['V100M16', 'V100M32'], qos: 'BE' });
    expect(w.horizon).toBe(100e6);
  });

  describe('bad input throws InputError with file, line and column', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'openb-'));
    const header = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time';
    const write = (name: string, text: string) => {
      const f = path.join(dir, name);
      writeFileSync(f, text);
      return f;
    };
    const cases: Array<[string, string, Partial<InputError>]> = [
      ['non-numeric cpu', `${header}\np0,12x,1,1,1000,,LS,Running,0,1,0\n`, { line: 2, column: 1, field: 'cpu_milli' }],
      ['two half GPUs', `${header}\np0,1,1,2,500,,LS,Running,0,1,0\n`, { line: 2, column: 4, field: 'gpu_milli' }],
      ['GPU milli without GPUs', `${header}\np0,1,1,0,500,,LS,Running,0,1,0\n`, { line: 2, column: 4 }],
      ['unknown QoS', `${header}\np0,1,1,1,500,,XX,Running,0,1,0\n`, { line: 2, column: 6, field: 'qos' }],
      ['empty model in spec', `${header}\np0,1,1,1,500,T4||A10,LS,Running,0,1,0\n`, { line: 2, column: 5 }],
      ['deletion before creation', `${header}\np0,1,1,1,500,,LS,Running,5,1,5\n`, { line: 2, column: 9 }],
      ['wrong column count', `${header}\np0,1,1,1,500,,LS,Running,0,1,0\np1,1,1\n`, { line: 3 }],
      ['wrong header', `name,cpu,memory\np0,1,1\n`, { line: 1 }],
    ];
    for (const [what, text, expected] of cases) {
      it(what, () => {
        const f = write(`${what.replace(/\W+/g, '_')}.csv`, text);
        let err: unknown;
        try {
          readOpenbPods(f);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(InputError);
        expect(err).toMatchObject({ file: f, ...expected });
      });
    }
    it('onBadRow skip drops and counts bad rows', () => {
      const f = write('skip.csv', `${header}\np0,1,1,1,500,,LS,Running,0,1,0\np1,1,1,2,500,,LS,Running,0,1,0\n`);
      const pods = readOpenbPods(f, { onBadRow: 'skip' });
      expect(pods.count).toBe(1);
      expect(pods.badRows.total).toBe(1);
    });
    it('node lists: a GPU node must name its model', () => {
      const f = write('nodes.csv', 'sn,cpu_milli,memory_mib,gpu,model\nn0,1000,1024,2,\n');
      expect(() => readOpenbNodes(f)).toThrow(/line 2, column 4 \(model\)/);
    });
    it('cleanup', () => rmSync(dir, { recursive: true, force: true }));
  });
});
