import { describe, expect, it } from 'vitest';
import { ratioPolicy } from '../algorithms/overcommit/allocation-ratios.js';
import { borgPolicy, borgReservation } from '../algorithms/overcommit/borg-reservations.js';
import { koordinatorPolicy } from '../algorithms/overcommit/koordinator-batch.js';
import { peakPolicy } from '../algorithms/overcommit/peak-admission.js';
import { PriorityBand } from '../model/priority-bands.js';
import { handNode } from './fixtures/overcommit/hand-node.js';

const N = NaN;

describe('allocation ratios', () => {
  it('per named dimension, 1 elsewhere; a bare number is cpu and memory', () => {
    const p = ratioPolicy('cpu=2,memory=1.2', 'cpu=2,memory=1.2', ['cpu', 'memory', 'gpu']);
    expect([p.ratio!(0), p.ratio!(1), p.ratio!(2)]).toEqual([2, 1.2, 1]);
    const q = ratioPolicy('1.5', '1.5', ['memory', 'cpu', 'gpu']);
    expect([q.ratio!(0), q.ratio!(1), q.ratio!(2)]).toEqual([1.5, 1.5, 1]);
  });
});

describe('Borg reservations (hold 300 s, then decay towards recent peak + margin)', () => {
  // 300 s steps: hold = 1 step. margin 0.1 of the limit, window 900 s = 3 steps, half-life 300 s: f = 0.5.
  const s = { margin: 0.1, window: 900, halflife: 300 };
  const usage = [[900, 100, 200, 150, 100, 950]];
  const at = (step: number) =>
    handNode({
      step,
      capacity: [4000],
      tasks: [
        { request: [N], limit: [1000], start: 0, usage, band: PriorityBand.Mid },
        { request: [700], limit: [1000], start: 0, usage, band: PriorityBand.Production },
        { request: [400], limit: [N], start: 0, usage: [[10, 10, 10, 10, 10, 10]], band: PriorityBand.Free },
      ],
    });
  const r = (step: number, id = 0) => {
    const n = at(step);
    return borgReservation(n, id, n.task(id), 0, s);
  };

  it('holds the limit for the first 300 s', () => {
    expect(r(0)).toBe(1000);
  });
  it('target = min(limit, window peak + margin·limit); gap decays by f per step since the hold', () => {
    expect(r(1)).toBe(1000); // peak 900 → target min(1000, 1000) = 1000
    expect(r(3)).toBeCloseTo(300 + 700 * 0.125, 9); // peak of steps 1..3 = 200, target 300, 3 decay steps
    expect(r(4)).toBeCloseTo(300 + 700 / 16, 9); // peak of 2..4 = 200, 4 decay steps
  });
  it('rises at once when usage exceeds the reservation', () => {
    expect(r(5)).toBe(1000); // 950 + 100 capped at the limit
  });
  it('a task without a limit is reserved by its request', () => {
    // target = 10 + 0.1·400 = 50; 2 decay steps at step 2: 50 + 350/4.
    expect(r(2, 2)).toBeCloseTo(50 + 350 / 4, 9);
  });
  it('committed: production by limit, the rest by reservation; charge = limit (request if none)', () => {
    const p = borgPolicy('borg:margin=0.1,window=900,halflife=300', 'margin=0.1,window=900,halflife=300');
    const out = new Float64Array(1);
    expect(p.committed!(at(4), out)).toBe(true);
    const free = 50 + 350 / 16;
    expect(out[0]).toBeCloseTo(300 + 700 / 16 + 1000 + free, 9);
    const n = at(0);
    p.charge!(n.task(2), out);
    expect(out[0]).toBe(400);
    p.charge!(n.task(0), out);
    expect(out[0]).toBe(1000);
  });
});

describe('Koordinator batch allocatable = capacity × threshold − reserved − Σ HP usage', () => {
  const n = handNode({
    step: 0,
    capacity: [10000, 1000, 4000],
    allocatable: [9000, 900, 4000],
    tasks: [
      { request: [2000, 200, 1000], limit: [N, N, N], start: 0, usage: [[1500], [300], [1000]], band: PriorityBand.Mid },
      // No usage known yet: counts its request.
      { request: [1000, 100, N], limit: [N, N, N], start: 0, usage: [[], [], []], band: PriorityBand.Production },
      // Batch tasks are not subtracted.
      { request: [N, N, N], limit: [N, N, N], start: 0, usage: [[3000], [400], [0]], band: PriorityBand.Free },
    ],
  });
  const out = new Float64Array(3);
  it('default thresholds cpu 60 %, memory 65 %; other dimensions: allocatable − HP requests', () => {
    koordinatorPolicy('koordinator', undefined, ['cpu', 'memory', 'gpu']).batchAllocatable!(n, out);
    expect(out[0]).toBeCloseTo(6000 - 1000 - 1500 - 1000, 9);
    expect(out[1]).toBeCloseTo(650 - 100 - 300 - 100, 9);
    expect(out[2]).toBe(3000);
  });
  it('floored at 0; thresholds from the settings', () => {
    koordinatorPolicy('koordinator:cpu=30', 'cpu=30', ['cpu', 'memory', 'gpu']).batchAllocatable!(n, out);
    expect(out[0]).toBe(0);
  });
  it('free and best-effort-batch bands use batch resources, mid and production do not', () => {
    const p = koordinatorPolicy('koordinator', undefined, ['cpu']);
    const t = (band: PriorityBand) => ({ ...n.task(0), band });
    expect([PriorityBand.Free, PriorityBand.BestEffortBatch, PriorityBand.Mid, PriorityBand.Production, PriorityBand.Monitoring].map((b) => p.usesBatch!(t(b)))).toEqual([
      true, true, false, false, false,
    ]);
  });
});

describe('peak-prediction admission', () => {
  const n = handNode({
    step: 3,
    capacity: [4000, 1000],
    tasks: [
      { request: [300, 50], limit: [1000, 100], start: 0, usage: [[1, 1, 1, 1], [1, 1, 1, 1]] },
      { request: [400, 50], limit: [N, N], start: 0, usage: [[1, 1, 1, 1], [1, 1, 1, 1]] },
    ],
  });
  const out = new Float64Array(2);
  it('CPU is the predicted peak, memory the sum of limits; charges are limits (request if none)', () => {
    const p = peakPolicy('peak:borg-default:fraction=0.5,warmup=600', 'borg-default:fraction=0.5,warmup=600', ['cpu', 'memory']);
    expect(p.committed!(n, out)).toBe(true);
    expect(Array.from(out)).toEqual([700, 150]);
    p.charge!(n.task(0), out);
    expect(Array.from(out)).toEqual([1000, 100]);
    p.charge!(n.task(1), out);
    expect(Array.from(out)).toEqual([400, 50]);
  });
  it('dims=cpu+memory predicts memory too', () => {
    const p = peakPolicy('peak:borg-default:fraction=0.5,warmup=600,dims=cpu+memory', 'borg-default:fraction=0.5,warmup=600,dims=cpu+memory', ['cpu', 'memory']);
    p.committed!(n, out);
    expect(Array.from(out)).toEqual([700, 75]);
  });
});
