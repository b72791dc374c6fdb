import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readGoogle2011 } from '../workloads/google-2011/reader.js';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { TaskStatus } from '../model/task-status.js';
import type { PolicyModule } from '../algorithms/policy.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TRACE = path.join(HERE, 'fixtures', 'google-2011', 'trace');
const DATA = path.join(HERE, '..', '..', 'shared', 'data', 'google-2011');
const present = existsSync(path.join(DATA, 'task_events'));
if (!present) console.warn(`skipping the Google 2011 full-window replays: ${DATA} is absent (it ships beside the repo in CI)`);
const s = 1e6;
const PRICING = { instance: 'm5.2xlarge', pricePerHour: 0.384, region: 'us-east-1', priceDate: '2026-11-01' };
const RECORDED: PolicyModule = { name: 'recorded', description: '', create: () => ({ name: 'recorded', select: () => -1 }) };

describe('Google 2011 replay on the hand-written trace', () => {
  it('--placement recorded starts each task at its SCHEDULE time on its recorded machine', async () => {
    const w = await readGoogle2011(TRACE);
    const { result, summary } = await replay({ workload: w, policy: RECORDED, seed: 1, pricing: PRICING, placement: 'recorded' });
    const t = result.tasks;
    const on = (i: number) => (t.node[i] >= 0 ? result.cluster.ids[t.node[i]] : null);
    // task order as in test/google-2011-reader.test.ts
    expect([t.start[0] / s, on(0)]).toEqual([0, '1']);
    expect([t.start[1] / s, on(1)]).toEqual([1000, '2']);
    expect(t.status[2]).toBe(TaskStatus.Killed); // killed at 900 s while pending, as in the trace
    expect(t.end[2] / s).toBe(900);
    expect([t.start[3] / s, on(3)]).toEqual([601, '2']);
    expect(summary.recorded).toEqual({ started: 4, overCapacity: 0, machineMissing: 0, neverStarted: 1 });
    expect(summary.tasks.pendingAtEnd).toBe(1);
  });

  it('--placement policy lets the policy place the same arrivals', async () => {
    const w = await readGoogle2011(TRACE);
    const { result, summary } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING });
    expect(summary.tasks.submitted).toBe(6);
    expect(result.tasks.start[1]).toBe(0); // placed at once, not at its recorded 1000 s
    expect(summary.recorded).toBeUndefined();
  });
});

describe.skipIf(!present)('Google 2011 parts 0–13: the whole 19.5-hour window on its 12.5k machines', () => {
  it('recorded placement replays every SCHEDULE and measures how far Borg exceeded requests', async () => {
    const w = await readGoogle2011(DATA);
    const { summary } = await replay({ workload: w, policy: RECORDED, seed: 1, pricing: PRICING, placement: 'recorded' });
    expect(summary.tasks.submitted).toBe(936_182);
    // 890,517 SCHEDULE events (data README); a few name a machine that is down at that instant.
    expect(summary.recorded!.started).toBe(summary.tasks.scheduled);
    const replayed = summary.recorded!.started + summary.recorded!.machineMissing;
    expect(replayed).toBeGreaterThan(890_500);
    expect(replayed).toBeLessThanOrEqual(890_517);
    expect(summary.windowHours).toBeGreaterThan(19.5);
    expect(summary.nodes.initial).toBe(12_477);
    // Borg admitted requests beyond capacity (reservations, not requests, bound non-production work).
    expect(summary.recorded!.overCapacity).toBeGreaterThan(0);
  }, 120_000);

  // The window under kube-default (policy placement) is replayed, and its summary checked, by
  // test/score-cache-google-kube-default.test.ts, which replays it anyway.
});
