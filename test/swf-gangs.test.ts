import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { worstFit } from '../algorithms/classic/worst-fit.js';
import { readSwf } from '../workloads/swf/reader.js';
import { allocTaskBatch } from '../model/task-batch.js';
import type { Workload } from '../model/workload.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { GiB } from '../model/units.js';
import { PRICING } from './helpers/tiny-workload.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const S = 1e6;

/** Jobs of `procs` one-core tasks (each job a gang unless gangs = false), on nodes of `cores` cores. */
function gangWorkload(nodes: number[], jobs: Array<{ submit: number; procs: number; duration: number }>, gangs = true): Workload {
  const D = 3;
  const total = jobs.reduce((s, j) => s + j.procs, 0);
  const b = allocTaskBatch(total, D);
  b.gang = new Int32Array(total);
  b.gangSize = new Int32Array(total);
  let k = 0;
  jobs.forEach((j, ji) => {
    for (let t = 0; t < j.procs; t++, k++) {
      b.submitTime[k] = j.submit * S;
      b.duration[k] = j.duration * S;
      b.request[k * D] = 1000;
      b.request[k * D + 1] = GiB;
      b.job[k] = ji;
      b.taskIndex[k] = t;
      b.usageFraction.fill(0.5, k * D, k * D + D);
      b.gang[k] = gangs && j.procs > 1 ? ji : -1;
      b.gangSize[k] = j.procs;
    }
  });
  return {
    name: 'gangs',
    horizon: 100 * S,
    resources: DEFAULT_RESOURCES,
    machines: nodes.map((c, i) => ({ id: `n${i}`, capacity: [c * 1000, 64 * GiB, 0] })),
    machineEvents: [],
    jobs: jobs.map((_, i) => `job${i}`),
    users: [],
    notes: [],
    async *taskBatches() {
      yield b;
    },
  };
}

/** Start times (s) of each job's tasks. */
function startsByJob(r: Awaited<ReturnType<typeof replay>>['result']): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < r.tasks.count; i++) {
    const j = r.tasks.job[i];
    if (!out.has(j)) out.set(j, []);
    out.get(j)!.push(r.tasks.start[i] / S);
  }
  return out;
}

describe('gang placement in the simulator: all members or none, in one pass', () => {
  // Two 4-core nodes. Job 0: 6 processors at 0 s for 10 s. Job 1: 4 processors at 1 s (only 2
  // cores free until 10 s). Job 2: 1 processor at 2 s.
  const jobs = [
    { submit: 0, procs: 6, duration: 10 },
    { submit: 1, procs: 4, duration: 10 },
    { submit: 2, procs: 1, duration: 5 },
  ];

  it('a gang that does not fit whole waits; it starts whole when room appears', async () => {
    const { result } = await replay({ workload: gangWorkload([4, 4], jobs), policy: firstFit, seed: 1, pricing: PRICING });
    const s = startsByJob(result);
    expect(s.get(0)).toEqual([0, 0, 0, 0, 0, 0]); // across both nodes: 4 + 2
    expect(s.get(2)).toEqual([2]); // the single task does not wait behind the gang
    // At 10 s job 0 ends: 7 cores free, job 1 takes 4 at once.
    expect(s.get(1)).toEqual([10, 10, 10, 10]);
  });

  it('without the gang, the same tasks start piecemeal (the difference gangs make)', async () => {
    const { result } = await replay({ workload: gangWorkload([4, 4], jobs, false), policy: firstFit, seed: 1, pricing: PRICING });
    expect(startsByJob(result).get(1)).toEqual([1, 1, 10, 10]);
  });

  it('a gang wider than the cluster never starts, and is pending at the end', async () => {
    const { summary, result } = await replay({ workload: gangWorkload([4, 4], [{ submit: 0, procs: 9, duration: 10 }]), policy: firstFit, seed: 1, pricing: PRICING });
    expect(result.events.start).toBe(0);
    expect(summary.tasks.pendingAtEnd).toBe(9);
  });

  it('the members of a gang may land on different nodes, as the policy chooses', async () => {
    const { result } = await replay({ workload: gangWorkload([4, 4], [{ submit: 0, procs: 4, duration: 10 }]), policy: worstFit, seed: 1, pricing: PRICING });
    const nodes = new Set(Array.from(result.tasks.node.subarray(0, 4)));
    expect(nodes.size).toBe(2); // worst-fit alternates between the two empty nodes
  });
});

describe('readSwf with nodes: rigid jobs as gangs of one-processor tasks', () => {
  it('a job of P processors becomes P tasks of one processor and its memory per processor, one gang', async () => {
    const w = await readSwf(path.join(HERE, 'fixtures', 'swf', 'sample.swf'), { nodes: { count: 4, cpuMillicores: 8000, memoryBytes: 32 * GiB, instanceType: 'm5.2xlarge' } });
    expect(w.machines).toHaveLength(4);
    expect(w.machines.every((m) => m.instanceType === 'm5.2xlarge')).toBe(true);
    const batches = [];
    for await (const b of w.taskBatches()) batches.push(b);
    const [b] = batches;
    // Processors per job in sample.swf: 4, 8, 16 (requested), 0 → from request 2, 32, 1.
    expect(b.count).toBe(4 + 8 + 16 + 2 + 32 + 1);
    expect(b.request[0]).toBe(1000);
    expect(b.request[1]).toBe(2048 * 1024); // job 1: 2,048 KB per processor
    expect(Array.from(b.gang!.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(b.gangSize!.subarray(0, 4))).toEqual([4, 4, 4, 4]);
    expect(Array.from(b.taskIndex.subarray(0, 4))).toEqual([0, 1, 2, 3]);
    const last = b.count - 1;
    expect(b.gang![last]).toBe(5); // job 6, 1 processor: a gang of one
    const notes = w.notes.join('\n');
    expect(notes).toMatch(/each job of P processors \(field 5\) is a gang of P one-processor tasks/);
    expect(notes).toMatch(/machines: 4 nodes of m5\.2xlarge \(--nodes, --instance\), 8 processors each/);
  });

  it('without nodes, the single-pool reading is stated', async () => {
    const w = await readSwf(path.join(HERE, 'fixtures', 'swf', 'sample.swf'));
    expect(w.notes.join('\n')).toMatch(/read as one task per job on one pool of processors \(the single-pool reading/);
  });
});

const NASA = path.join(HERE, '..', '..', 'shared', 'data', 'realworld', 'swf', 'NASA-iPSC-1993-3.1-cln.swf');
const realPresent = existsSync(NASA);
if (!realPresent) console.warn(`SWF gang real-log test skipped: ${NASA} is absent (see ../shared/data/README.md)`);

describe.skipIf(!realPresent)('NASA iPSC log as gangs on 16 × 8-processor nodes (128 processors, its MaxProcs)', () => {
  it('every job starts whole; first-fit and worst-fit now differ (busy node-hours)', async () => {
    const nodes = { count: 16, cpuMillicores: 8000, memoryBytes: 32 * GiB, instanceType: 'm5.2xlarge' };
    const run = async (policy: typeof firstFit) => replay({ workload: await readSwf(NASA, { nodes }), policy, seed: 1, pricing: PRICING });
    const ff = await run(firstFit);
    const wf = await run(worstFit);
    // 309,953 one-processor tasks from 18,239 jobs.
    expect(ff.summary.tasks.submitted).toBe(309_953);
    for (const r of [ff.result, wf.result]) {
      for (const starts of startsByJob(r).values()) expect(new Set(starts).size).toBe(1);
    }
    // First-fit packs processors onto the fewest nodes; worst-fit spreads them over all 16.
    expect(ff.summary.cost.busyNodeHours).toBeLessThan(wf.summary.cost.busyNodeHours);
  });

  it('with 16 × 8 = 128 processors and no memory requests, each job starts exactly when it does in the 128-processor pool', async () => {
    // The log gives no memory (-1), so only processors count; all-or-nothing over nodes then
    // reduces to "P processors free anywhere", the single-pool rule.
    const gang = await replay({ workload: await readSwf(NASA, { nodes: { count: 16, cpuMillicores: 8000, memoryBytes: 32 * GiB } }), policy: firstFit, seed: 1, pricing: PRICING });
    const pool = await replay({ workload: await readSwf(NASA), policy: firstFit, seed: 1, pricing: PRICING });
    const firstStart = (r: typeof gang) => {
      const m = new Map<number, number>();
      for (let i = 0; i < r.result.tasks.count; i++) if (!m.has(r.result.tasks.job[i])) m.set(r.result.tasks.job[i], r.result.tasks.start[i]);
      return m;
    };
    const g = firstStart(gang);
    const p = firstStart(pool);
    expect(p.size).toBe(18_239);
    let differ = 0;
    for (const [job, t] of p) if (g.get(job) !== t) differ++;
    expect(differ).toBe(0);
  });
});
