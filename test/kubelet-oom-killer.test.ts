import { describe, expect, it } from 'vitest';
import { GiB, US_PER_SECOND } from '../model/units.js';
import { QosClass, oomScoreAdj, qosOfTask } from '../model/qos-class.js';
import { oomBadness, pickOomVictim, restartBackoff } from '../harness/kubelet/oom-killer.js';

const CAP = 16 * GiB;

/** adj of a task from its memory request and limit as the kubelet sets it (dims: cpu 0, memory 1). */
function adjOf(cpuReq: number, memReq: number, cpuLim: number, memLim: number): number {
  const qos = qosOfTask([cpuReq, memReq], [cpuLim, memLim], 0, 0, 1);
  return oomScoreAdj(qos, memReq, CAP);
}

describe('OOM badness (mm/oom_kill.c oom_badness, scaled to 1000)', () => {
  it('points = usage / capacity × 1000 + adj; adj −1000 is never killable', () => {
    expect(oomBadness(4 * GiB, CAP, 0)).toBe(250);
    expect(oomBadness(4 * GiB, CAP, -997)).toBe(-747);
    expect(oomBadness(0, CAP, 1000)).toBe(1000);
    expect(oomBadness(CAP, CAP, -1000)).toBe(-Infinity);
  });
});

describe('pickOomVictim', () => {
  it('at equal usage: BestEffort before Burstable before Guaranteed', () => {
    const guaranteed = adjOf(1000, 2 * GiB, 1000, 2 * GiB);
    const burstable = adjOf(500, 2 * GiB, NaN, NaN);
    const bestEffort = adjOf(NaN, NaN, NaN, NaN);
    expect([guaranteed, burstable, bestEffort]).toEqual([-997, 1000 - Math.floor((1000 * 2 * GiB) / CAP), 1000]);
    expect(qosOfTask([NaN, NaN], [NaN, NaN], 0, 0, 1)).toBe(QosClass.BestEffort);
    const usage = new Float64Array([3 * GiB, 3 * GiB, 3 * GiB]);
    const adj = new Float64Array([guaranteed, burstable, bestEffort]);
    expect(pickOomVictim(3, usage, adj, CAP)).toBe(2);
    adj[2] = -1000; // BestEffort gone (unkillable here): Burstable next
    expect(pickOomVictim(3, usage, adj, CAP)).toBe(1);
    adj[1] = -1000; // only the Guaranteed task is left: negative points, still chosen
    expect(pickOomVictim(3, usage, adj, CAP)).toBe(0);
    adj[0] = -1000;
    expect(pickOomVictim(3, usage, adj, CAP)).toBe(-1);
    expect(pickOomVictim(0, usage, adj, CAP)).toBe(-1);
  });

  it('within a class, the larger usage first', () => {
    const be = adjOf(NaN, NaN, NaN, NaN);
    const usage = new Float64Array([1 * GiB, 5 * GiB, 2 * GiB]);
    expect(pickOomVictim(3, usage, new Float64Array([be, be, be]), CAP)).toBe(1);
    const g = -997;
    expect(pickOomVictim(3, usage, new Float64Array([g, g, g]), CAP)).toBe(1);
  });

  it('a large Burstable task can outrank a small BestEffort one (badness adds usage to adj)', () => {
    // Burstable with a 1 GiB request: adj = 1000 − 62 = 938; using 12 GiB → 750 + 938 = 1688 > 1000 + 6
    const usage = new Float64Array([0.1 * GiB, 12 * GiB]);
    const adj = new Float64Array([1000, adjOf(100, GiB, NaN, NaN)]);
    expect(adj[1]).toBe(938);
    expect(pickOomVictim(2, usage, adj, CAP)).toBe(1);
  });

  it('on equal points the later task wins (the kernel replaces its choice unless points are lower)', () => {
    const usage = new Float64Array([GiB, GiB, GiB]);
    expect(pickOomVictim(3, usage, new Float64Array([1000, 1000, 1000]), CAP)).toBe(2);
    expect(pickOomVictim(3, usage, new Float64Array([1000, 1000, 999]), CAP)).toBe(1);
  });
});

describe('CrashLoop back-off', () => {
  it('10 s doubling, capped at 5 min', () => {
    const seconds = Array.from({ length: 9 }, (_, r) => restartBackoff(r) / US_PER_SECOND);
    expect(seconds).toEqual([10, 20, 40, 80, 160, 300, 300, 300, 300]);
    expect(restartBackoff(1e6)).toBe(300 * US_PER_SECOND);
    expect(restartBackoff(-1)).toBe(10 * US_PER_SECOND);
  });
});
