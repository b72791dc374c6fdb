import { describe, expect, it } from 'vitest';
import { roundedRequests, roundUpToPowerOfTwo, standingInstance, subsetByProduction } from '../harness/experiments/compaction-instance.js';
import { GiB } from '../model/units.js';
import { tinyWorkload } from './helpers/tiny-workload.js';

/** What compaction packs: the standing population at one instant, and the paper's two transforms. */
const H = 3600e6;

describe('standing population', () => {
  // A [0, 2 h), B [1 h, 3 h), C [1 h, 1.5 h); D is submitted at 2.5 h. Machines: two of (4 cores, 8 GB).
  const w = () =>
    tinyWorkload(
      [[4000, 8e9], [4000, 8e9]],
      [
        { submit: 0, duration: 2 * H, cpu: 1000, mem: 1e9, priority: 9 },
        { submit: H, duration: 2 * H, cpu: 2000, mem: 1e9, priority: 0, job: 1 },
        { submit: H, duration: 0.5 * H, cpu: 3000, mem: 1e9, priority: 0, job: 2 },
        { submit: 2.5 * H, duration: H, cpu: 500, mem: 1e9, priority: 11, job: 1 },
      ],
      { horizon: 4 * H },
    );

  it('the peak: the grid instant with the largest standing requests (1 h: A, B and C, 6 of 8 cores)', async () => {
    const inst = await standingInstance(w());
    expect(inst.at).toBe(H);
    expect(inst.atRule).toBe('peak');
    expect(inst.taskCount).toBe(3);
    expect(Array.from(inst.request.filter((_, i) => i % 3 === 0))).toEqual([1000, 2000, 3000]);
    expect(inst.machineCount).toBe(2);
    expect(Array.from(inst.production)).toEqual([1, 0, 0]);
    expect(inst.recordedStarts).toBe(false);
  });

  it('a given instant: at 2.5 h only B and D stand (A ended at 2 h, an interval is [start, end))', async () => {
    const inst = await standingInstance(w(), 2.5 * H);
    expect(inst.atRule).toBe('given');
    expect(Array.from(inst.priority)).toEqual([0, 11]);
    const at2 = await standingInstance(w(), 2 * H);
    expect(Array.from(at2.priority)).toEqual([0]);
  });

  it('an instant outside the window is a usage error naming --at', async () => {
    await expect(standingInstance(w(), 5 * H)).rejects.toThrow(/^--at: 5 h is outside the window \(0 to 4\.00 h\)$/);
  });

  it('machines removed before the instant are not in the cell', async () => {
    const x = w();
    x.machineEvents = [{ time: 0.5 * H, kind: 'remove', machine: x.machines[1] }];
    expect((await standingInstance(x, H)).machineCount).toBe(1);
    expect((await standingInstance(x, 0)).machineCount).toBe(2);
    // None left: a usage error, not an empty cell.
    x.machineEvents.push({ time: 0.75 * H, kind: 'remove', machine: x.machines[0] });
    await expect(standingInstance(x, H)).rejects.toThrow(/^experiment compaction: no machine is up at 1\.00 h of the window; there is no cell to compact$/);
  });

  it('segregation keeps one band: production (priority 9–11 on the 2011 scale) or the rest', async () => {
    const inst = await standingInstance(w(), 2.5 * H);
    const prod = subsetByProduction(inst, true);
    const rest = subsetByProduction(inst, false);
    expect(Array.from(prod.priority)).toEqual([11]);
    expect(Array.from(rest.priority)).toEqual([0]);
    expect(Array.from(prod.request)).toEqual([500, 1e9, 0]);
  });
});

describe('node eligibility from the job constraints', () => {
  it('node selector, required node affinity, node name and taints become per-job machine masks', async () => {
    const x = tinyWorkload(
      [[4000, 8e9], [4000, 8e9], [4000, 8e9]],
      [0, 1, 2, 0].map((job) => ({ submit: 0, duration: H, cpu: 100, mem: 1e6, job })),
      { horizon: H },
    );
    x.machines[0].labels = { disk: 'ssd' };
    x.machines[1].labels = { disk: 'hdd' };
    x.machines[2].taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
    x.jobConstraints = [
      { nodeSelector: { disk: 'ssd' } },
      { requiredNodeAffinity: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd', 'hdd'] }] }], tolerations: [{ key: 'dedicated', operator: 'Exists' }] },
      { nodeName: 'n2', tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] },
    ];
    const inst = await standingInstance(x, 0);
    // Job 0: only the ssd machine. Job 1: ssd or hdd (its toleration does not add n2, which has no disk label).
    // Job 2: only n2, whose taint it tolerates.
    expect(Array.from(inst.eligible.get(0)!)).toEqual([1, 0, 0]);
    expect(Array.from(inst.eligible.get(1)!)).toEqual([1, 1, 0]);
    expect(Array.from(inst.eligible.get(2)!)).toEqual([0, 0, 1]);
    // Without constraints a job may still not use the tainted machine.
    x.jobConstraints = [];
    const plain = await standingInstance(x, 0);
    expect(Array.from(plain.eligible.get(0)!)).toEqual([1, 1, 0]);
    // A cordoned machine is not part of the cell.
    x.machines[1].unschedulable = true;
    expect((await standingInstance(x, 0)).machineCount).toBe(2);
  });

  it('a constraint the packer does not model is refused, naming the job', async () => {
    const x = tinyWorkload([[4000, 8e9]], [{ submit: 0, duration: H, cpu: 100, mem: 1e6 }], { horizon: H });
    x.jobConstraints = [{ hostPorts: [8080] }];
    await expect(standingInstance(x, 0)).rejects.toThrow(/^experiment compaction: job 'job0' has host ports; the compaction packer models resource fit, node eligibility and the different-machines restriction only$/);
  });
});

describe('rounding requests up to powers of two', () => {
  it('from 0.5 core and 1 GiB', () => {
    expect(roundUpToPowerOfTwo(1, 500)).toBe(500);
    expect(roundUpToPowerOfTwo(500, 500)).toBe(500);
    expect(roundUpToPowerOfTwo(501, 500)).toBe(1000);
    expect(roundUpToPowerOfTwo(2100, 500)).toBe(4000);
    expect(roundUpToPowerOfTwo(0, 500)).toBe(0);
    expect(roundUpToPowerOfTwo(NaN, 500)).toBe(0);
    expect(roundUpToPowerOfTwo(1.5 * GiB, GiB)).toBe(2 * GiB);
  });

  it('applies per named resource and leaves the others', async () => {
    const inst = await standingInstance(tinyWorkload([[4000, 8e9]], [{ submit: 0, duration: H, cpu: 700, mem: 3 * GiB }], { horizon: H }));
    const r = roundedRequests(inst, { cpu: 500, memory: GiB });
    expect(Array.from(r.request)).toEqual([1000, 4 * GiB, 0]);
    expect(Array.from(inst.request)).toEqual([700, 3 * GiB, 0]);
  });
});
