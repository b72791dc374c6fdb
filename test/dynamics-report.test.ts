import { describe, expect, it } from 'vitest';
import { summarizeDynamics } from '../reports/dynamics-summary.js';
import { qosBreakdown } from '../reports/qos-breakdown.js';
import { dynamicsRows, renderDynamics } from '../reports/dynamics-table.js';
import { summarize } from '../reports/summary.js';
import { renderSummary, summaryRows } from '../reports/summary-table.js';
import { DynamicsCause } from '../reports/replay-results.js';
import { handResults, handRun } from './helpers/dynamics-results.js';
import { TaskStatus } from '../model/task-status.js';
import { QosClass } from '../model/qos-class.js';
import { PriorityBand } from '../model/priority-bands.js';

/**
 * The dynamics figures of the summary (README "What the summary means"): evictions by cause ×
 * QoS × band, OOM kills, throttled CPU-seconds, lost work, violation rate, and the per-class
 * table, on the hand-built run of test/helpers/dynamics-results.ts. Expected figures are counted
 * by hand from that run's stated tasks and events.
 */
const CTX = { workload: 'hand-made', instance: 'test.small', pricePerHour: 1, region: 'nowhere', priceDate: '2026-01-01' };

describe('summarizeDynamics', () => {
  it('counts evictions per cause from the log; causes not modeled are null, not 0', () => {
    const d = summarizeDynamics(handRun())!;
    expect(d.evictionsByCause).toEqual({
      'eviction-memory-pressure': 2,
      // No disk dimension: nodefs.available is not a signal of this run.
      'eviction-disk-pressure': null,
      'oom-limit': 0,
      'oom-node': 1,
      preemption: null,
      failure: null,
    });
    expect(d.evictionsTotal).toBe(3);
    expect(d.kubeletEvictions).toBe(2);
    expect(d.oomKills).toBe(1);
    expect(d.pressureTransitions).toEqual({ on: 1, off: 1 });
  });

  it('cause × QoS × band cells list only what happened', () => {
    expect(summarizeDynamics(handRun())!.evictionsByClass).toEqual([
      { cause: 'eviction-memory-pressure', qos: 'Burstable', band: 'mid', count: 1 },
      { cause: 'eviction-memory-pressure', qos: 'BestEffort', band: 'free', count: 1 },
      { cause: 'oom-node', qos: 'BestEffort', band: 'free', count: 1 },
    ]);
  });

  it('sums throttling and lost work over the tasks up to the horizon; violation rate = violated / evaluated intervals', () => {
    const d = summarizeDynamics(handRun())!;
    // Task 4 (after the horizon) holds 7s everywhere: left out.
    expect(d.throttledCpuSeconds).toBe(12.5);
    expect(d.lostWorkTaskSeconds).toBe(300 + 180);
    expect(d.violationRate).toBe(3 / 20);
    expect(d.housekeeping).toEqual({ ticks: 360, nodeEvaluations: 410 });
    expect(d.settings).toEqual({ usage: 'library', housekeepingSeconds: 10, overcommit: 'cpu=1,memory=1.5' });
  });

  it('per-class table: tasks, scheduled, pending at end, evictions, OOM kills by QoS × band', () => {
    expect(qosBreakdown(handRun())).toEqual([
      { qos: 'Guaranteed', band: 'production', tasks: 1, scheduled: 1, pendingAtEnd: 0, evictions: 0, oomKills: 0 },
      { qos: 'Burstable', band: 'mid', tasks: 1, scheduled: 1, pendingAtEnd: 0, evictions: 1, oomKills: 0 },
      { qos: 'BestEffort', band: 'free', tasks: 2, scheduled: 1, pendingAtEnd: 2, evictions: 1, oomKills: 1 },
    ]);
  });

  it('breakdowns sum to the totals: classes to tasks, evictions and OOM kills; cells to the causes', () => {
    const r = handRun();
    const s = summarize(r, CTX);
    const d = s.dynamics!;
    const sum = (f: (c: (typeof d.classes)[number]) => number) => d.classes.reduce((a, c) => a + f(c), 0);
    expect(sum((c) => c.tasks)).toBe(s.tasks.submitted - 1); // the one after the horizon
    expect(sum((c) => c.scheduled)).toBe(s.tasks.scheduled);
    expect(sum((c) => c.pendingAtEnd)).toBe(s.tasks.pendingAtEnd);
    expect(sum((c) => c.evictions)).toBe(d.kubeletEvictions);
    expect(sum((c) => c.oomKills)).toBe(d.oomKills);
    const cells = (cause: string) => d.evictionsByClass.filter((e) => e.cause === cause).reduce((a, e) => a + e.count, 0);
    for (const [cause, n] of Object.entries(d.evictionsByCause)) expect(cells(cause)).toBe(n ?? 0);
    expect(d.evictionsByClass.reduce((a, e) => a + e.count, 0)).toBe(d.evictionsTotal);
  });

  it('a disk dimension makes disk pressure a modeled cause (0, not n/a); a cause in the log is modeled', () => {
    const r = handResults({
      horizon: 1e9,
      resources: { names: ['cpu', 'memory', 'ephemeral-storage'], units: ['millicores', 'bytes', 'bytes'] },
      tasks: [{ job: 0, index: 0, priority: 0, qos: QosClass.BestEffort, band: PriorityBand.Free, submit: 0, start: 0, end: 5e8, node: 1, status: TaskStatus.Pending, attempts: 1, request: [0, 0, 0], limit: [NaN, NaN, NaN], lost: 500 }],
      dynamics: { events: [{ time: 5e8, node: 1, task: 0, cause: DynamicsCause.Failure, memory: NaN, amount: 500, duration: NaN }] },
    });
    const d = summarizeDynamics(r)!;
    expect(d.evictionsByCause['eviction-disk-pressure']).toBe(0);
    expect(d.evictionsByCause.failure).toBe(1);
    expect(d.evictionsByCause.preemption).toBeNull();
    expect(d.evictionsTotal).toBe(1);
    // Nothing evaluated: no violation rate to report.
    expect(d.violationRate).toBeNull();
  });

  it("the simulator's settings.causes states what was modeled", () => {
    const r = handResults({ horizon: 1e9, tasks: [], dynamics: { events: [], settings: { causes: 'oom-limit,preemption' } } });
    expect(summarizeDynamics(r)!.evictionsByCause).toEqual({
      'eviction-memory-pressure': null, 'eviction-disk-pressure': null, 'oom-limit': 0, 'oom-node': null, preemption: 0, failure: null,
    });
  });

  it('no CPU dimension: throttled CPU-seconds are n/a', () => {
    const r = handResults({ horizon: 1e9, resources: { names: ['memory'], units: ['bytes'] }, tasks: [], dynamics: { events: [] } });
    expect(summarizeDynamics(r)!.throttledCpuSeconds).toBeNull();
  });

  it('a replay without dynamics has no dynamics summary', () => {
    expect(summarizeDynamics(handRun(false))).toBeUndefined();
    expect(summarize(handRun(false), CTX).dynamics).toBeUndefined();
  });
});

describe('dynamics in the summary text', () => {
  it('rows per run: n/a for a run without dynamics and for causes a run did not model', () => {
    const rows = dynamicsRows([summarize(handRun(), CTX), summarize(handRun(false), CTX)]);
    expect(rows).toEqual([
      ['evictions (all causes)', '3', 'n/a'],
      ['  kubelet: memory pressure', '2', 'n/a'],
      ['  OOM kill: over limit', '0', 'n/a'],
      ['  OOM kill: node out of memory', '1', 'n/a'],
      ['OOM kills', '1', 'n/a'],
      ['throttled CPU-seconds', '12.5', 'n/a'],
      ['lost work (task-seconds)', '480.0', 'n/a'],
      ['violation rate', '15.00%', 'n/a'],
      ['memory pressure episodes', '1', 'n/a'],
    ]);
    expect(dynamicsRows([summarize(handRun(false), CTX)])).toEqual([]);
  });

  it('the replay summary ends with the settings, the per-class table and the cause × class cells', () => {
    const s = summarize(handRun(), CTX);
    expect(renderDynamics(s.dynamics!)).toBe(
      [
        'node dynamics: usage=library, housekeepingSeconds=10, overcommit=cpu=1,memory=1.5',
        '',
        'class (QoS / band)       tasks  scheduled  pending at end  evictions  OOM kills',
        '-----------------------  -----  ---------  --------------  ---------  ---------',
        'Guaranteed / production      1          1               0          0          0',
        'Burstable / mid              1          1               0          1          0',
        'BestEffort / free            2          1               2          1          1',
        '',
        'evicted by (cause, QoS / band)                   count',
        '-----------------------------------------------  -----',
        'kubelet: memory pressure, Burstable / mid            1',
        'kubelet: memory pressure, BestEffort / free          1',
        'OOM kill: node out of memory, BestEffort / free      1',
        '',
      ].join('\n'),
    );
    const text = renderSummary(s);
    expect(text).toContain(renderDynamics(s.dynamics!));
    expect(text).toMatch(/\nevictions \(all causes\) +3\n/);
    expect(summaryRows([s]).map((r) => r[0])).toContain('violation rate');
    // Without dynamics the summary is as before.
    expect(renderSummary(summarize(handRun(false), CTX))).not.toMatch(/evictions|node dynamics/);
  });
});
