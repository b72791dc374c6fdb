import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCompactionWorkload, runCompactionExperiment, type CompactionExperimentResult } from '../harness/experiments/compaction-experiment.js';
import { standingInstance, type CompactionInstance } from '../harness/experiments/compaction-instance.js';
import { CompactionPacker } from '../harness/experiments/compaction-packer.js';
import { allowedPending, machineOrder, MAX_GROWTH } from '../harness/experiments/compaction.js';

/** Cell compaction of the real Google 2011 cell (../shared/data/google-2011), two seeds. */
const HERE = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.join(HERE, '..', '..', 'shared', 'data', 'google-2011');
const present = existsSync(path.join(DATA, 'task_events'));
if (!present) console.warn(`skipping the Google 2011 compaction: ${DATA} is absent (it ships beside the repo in CI)`);

function cpuShare(inst: CompactionInstance): number {
  let req = 0;
  let cap = 0;
  for (let i = 0; i < inst.taskCount; i++) req += inst.request[i * inst.dims];
  for (let m = 0; m < inst.machineCount; m++) cap += inst.capacity[m * inst.dims];
  return req / cap;
}

describe.skipIf(!present)('compaction of the Google 2011 cell', () => {
  let peak: CompactionInstance;
  let res: CompactionExperimentResult;

  it('the standing population at the peak, then three experiments with two seeds', async () => {
    const w = await openCompactionWorkload({ workload: DATA, seed: 1 });
    peak = await standingInstance(w);
    // The peak holds at least as much as the window's start and its last grid instant.
    const first = await standingInstance(w, w.start ?? 0);
    expect(cpuShare(peak)).toBeGreaterThanOrEqual(cpuShare(first));
    // Tens of thousands of tasks on the ~12.5k machines of the cell (README of the data: 12,583 machines).
    expect(peak.machineCount).toBeGreaterThan(12_000);
    expect(peak.machineCount).toBeLessThanOrEqual(12_583);
    expect(peak.taskCount).toBeGreaterThan(50_000);
    res = await runCompactionExperiment(w, { seeds: [1, 2] });
    expect(res.tasks).toBe(peak.taskCount);
  }, 300_000);

  it('baseline: each seed fits with at most 0.2 % pending, and one machine fewer does not', () => {
    const base = res.variants.find((v) => v.name === 'baseline')!;
    const allow = allowedPending(peak.taskCount);
    const packer = new CompactionPacker(peak);
    for (const t of base.stats.trials) {
      expect(t.machines).not.toBeNull();
      expect(t.pending).toBeLessThanOrEqual(allow);
      const order = machineOrder(peak.machineCount, t.seed, peak.machineCount * MAX_GROWTH);
      expect(packer.pendingOn(order, t.machines!, allow)).toBeLessThanOrEqual(allow);
      expect(packer.pendingOn(order, t.machines! - 1, allow)).toBeGreaterThan(allow);
    }
    // The standing CPU requests exceed the cell's CPU (Borg held them by reclaiming), so the compacted
    // cell needs at least that share of the machines' count — assuming machines no larger than the
    // largest of the cell, the bound is Σ requests / the largest machine's CPU.
    let req = 0;
    let largest = 0;
    for (let i = 0; i < peak.taskCount; i++) req += peak.request[i * peak.dims];
    for (let m = 0; m < peak.machineCount; m++) largest = Math.max(largest, peak.capacity[m * peak.dims]);
    expect(base.stats.min!).toBeGreaterThanOrEqual(Math.ceil(req / largest));
    expect(cpuShare(peak)).toBeGreaterThan(1);
    expect(base.stats.min!).toBeGreaterThan(peak.machineCount);
  });

  it('the directions of the paper: segregation and rounding need more machines than the baseline', () => {
    const base = res.variants.find((v) => v.name === 'baseline')!;
    const seg = res.variants.find((v) => v.name === 'segregated')!;
    const round = res.variants.find((v) => v.name === 'rounded')!;
    expect(seg.stats.p90!).toBeGreaterThanOrEqual(base.stats.min!);
    expect(seg.parts!.productionTasks + seg.parts!.nonProductionTasks).toBe(peak.taskCount);
    // Each trial of the segregated cells is the sum of its two parts.
    seg.stats.trials.forEach((t, i) => expect(t.machines).toBe(seg.parts!.production.trials[i].machines! + seg.parts!.nonProduction.trials[i].machines!));
    expect(round.stats.min!).toBeGreaterThan(base.stats.max!);
    expect(round.requestInflation!.cpu).toBeGreaterThan(0);
    expect(round.requestInflation!.memory).toBeGreaterThan(0);
    expect(round.vsBaseline!).toBeCloseTo(round.stats.p90! / base.stats.p90! - 1, 12);
  });
});
