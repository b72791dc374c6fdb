import { describe, expect, it } from 'vitest';
import { borgDefaultPredictor } from '../algorithms/overcommit/predictors/borg-default.js';
import { maxPredictor } from '../algorithms/overcommit/predictors/max.js';
import { nSigmaPredictor } from '../algorithms/overcommit/predictors/n-sigma.js';
import { oraclePredictor } from '../algorithms/overcommit/predictors/oracle.js';
import { percentile } from '../algorithms/overcommit/predictors/peak-predictor.js';
import { rcLikePredictor } from '../algorithms/overcommit/predictors/rc-like.js';
import { handNode } from './fixtures/overcommit/hand-node.js';

// One CPU dimension, 300 s steps. Warm-up 900 s = 3 steps, history 1200 s = 4 steps, so at step 5
// the window is steps 2..5 and a task is warm when it started at step 3 or earlier.
const N = NaN;
const node = (step: number) =>
  handNode({
    step,
    capacity: [4000],
    tasks: [
      // T0: limit 1000; window 2..5 = 300, 400, 500, 600; future 700, 200, 100.
      { request: [500], limit: [1000], start: 0, usage: [[100, 200, 300, 400, 500, 600, 700, 200, 100]] },
      // T1: limit 500; 600 at step 2 is capped to 500; window = 500, 100, 100, 200; future 100, 900 (→ 500), 0.
      { request: [N], limit: [500], start: 0, usage: [[50, 50, 600, 100, 100, 200, 100, 900, 0]] },
      // T2: limit 800, started at step 4: cold at step 5 (2 samples < 3); future 10, 10, 900 (→ 800).
      { request: [200], limit: [800], start: 4, usage: [[N, N, N, N, 10, 10, 10, 10, 900]] },
    ],
  });
const W = 900;
const H = 1200;

describe('percentile (linear interpolation, numpy default)', () => {
  it('interpolates between closest ranks', () => {
    expect(percentile(Float64Array.from([400, 300, 600, 500]), 4, 50)).toBe(450); // rank 1.5
    expect(percentile(Float64Array.from([1, 2, 3, 4, 5]), 5, 90)).toBeCloseTo(4.6, 12); // rank 3.6
    expect(percentile(Float64Array.from([7]), 1, 99)).toBe(7);
  });
});

describe('peak predictors on a hand-built node (expected values from the formulas)', () => {
  it('borg-default: fraction × limits of warm tasks + limits of cold ones', () => {
    // 0.9·1000 + 0.9·500 + 800
    expect(borgDefaultPredictor(0.9, W).predict(node(5), 0)).toBeCloseTo(2150, 9);
    // All warm once T2 has 3 samples (step 6): 0.9 · 2300
    expect(borgDefaultPredictor(0.9, W).predict(node(6), 0)).toBeCloseTo(2070, 9);
  });

  it('rc-like: per-task percentile of capped usage over the window, cold tasks at their limit', () => {
    // T0 P50 of 300..600 = 450; T1 P50 of [100,100,200,500] = 150; T2 cold 800.
    expect(rcLikePredictor(50, W, H).predict(node(5), 0)).toBeCloseTo(1400, 9);
    // P100 = max of history: 600 + 500 (capped) + 800.
    expect(rcLikePredictor(100, W, H).predict(node(5), 0)).toBeCloseTo(1900, 9);
  });

  it('n-sigma: (mean + N·sd) of usage/limit over the window × warm limits + cold limits', () => {
    // Ratios over T0+T1 (limits 1500): 800/1500, 500/1500, 600/1500, 800/1500: mean 0.45, sample sd 0.1.
    expect(nSigmaPredictor(2, W, H).predict(node(5), 0)).toBeCloseTo(0.65 * 1500 + 800, 9);
    expect(nSigmaPredictor(0, W, H).predict(node(5), 0)).toBeCloseTo(0.45 * 1500 + 800, 9);
    // mean + 10 sd = 1.45 is capped at 1: the warm limits.
    expect(nSigmaPredictor(10, W, H).predict(node(5), 0)).toBeCloseTo(1500 + 800, 9);
  });

  it('max: the larger of rc-like and n-sigma', () => {
    expect(maxPredictor(50, 2, W, H).predict(node(5), 0)).toBeCloseTo(1775, 9); // n-sigma wins
    expect(maxPredictor(100, 0, W, H).predict(node(5), 0)).toBeCloseTo(1900, 9); // rc-like wins
    expect(maxPredictor(50, 0, W, H).predict(node(5), 0)).toBeCloseTo(1475, 9);
  });

  it('oracle: the largest future sum of capped usage over the horizon', () => {
    // Steps 6, 7, 8: 700+100+10 = 810, 200+500+10 = 710, 100+0+800 = 900.
    expect(oraclePredictor(900).predict(node(5), 0)).toBe(900);
    expect(oraclePredictor(600).predict(node(5), 0)).toBe(810);
    // Nothing known after step 8: the sum of limits.
    expect(oraclePredictor(900).predict(node(8), 0)).toBe(2300);
  });

  it('tasks with neither limit nor request count 0; a predictor is the same on every call', () => {
    const n = handNode({ step: 30, capacity: [1000], tasks: [{ request: [N], limit: [N], start: 0, usage: [new Array(31).fill(50)] }] });
    expect(rcLikePredictor().predict(n, 0)).toBe(50); // no cap without a limit
    expect(borgDefaultPredictor().predict(n, 0)).toBe(0);
    const a = maxPredictor().predict(node(5), 0);
    expect(maxPredictor().predict(node(5), 0)).toBe(a);
  });

  it('default warm-up is 2 h: a task 23 steps old is still predicted at its limit', () => {
    const usage = [new Array(40).fill(100)];
    const young = handNode({ step: 22, capacity: [4000], tasks: [{ request: [N], limit: [1000], start: 0, usage }] });
    const warm = handNode({ step: 23, capacity: [4000], tasks: [{ request: [N], limit: [1000], start: 0, usage }] });
    expect(rcLikePredictor().predict(young, 0)).toBe(1000);
    expect(rcLikePredictor().predict(warm, 0)).toBe(100);
    expect(nSigmaPredictor().predict(warm, 0)).toBeCloseTo(100, 9); // constant usage: sd 0
  });
});
