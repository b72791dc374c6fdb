import { describe, expect, it } from 'vitest';
import { chooseOption, priceScore, wasteScore, preferredNodeCpu, type ExpanderContext, type ExpansionOption, type GroupFacts } from '../harness/autoscaler/expanders.js';
import { packPods, SimNodes } from '../harness/autoscaler/binpacking-estimator.js';
import type { PodGroup } from '../harness/autoscaler/pod-groups.js';
import { groupPods } from '../harness/autoscaler/pod-groups.js';
import { Rng } from '../model/rng.js';
import { GiB } from '../model/units.js';

// Dimensions: cpu (millicores), memory (bytes), gpu.
const facts = (vcpu: number, memGiB: number, price: number, gpus = 0): GroupFacts => ({ capacity: Float64Array.of(vcpu * 1000, memGiB * GiB, gpus * 1000), pricePerHour: price, hasGpu: gpus > 0 });
const option = (group: number, nodes: number, pods: number, cpu: number, memGiB: number): ExpansionOption => ({ group, nodes, pods, requested: Float64Array.of(cpu, memGiB * GiB, 0) });

/**
 * Three groups (m5.large 2 vCPU 8 GiB $0.096, c5.2xlarge 8 vCPU 16 GiB $0.34, r5.2xlarge 8 vCPU
 * 64 GiB $0.504) and one option each, built so that each expander picks a different one:
 * X = 3 × m5.large for 6 pods (5 CPU, 6 GiB), Y = 1 × c5.2xlarge for 4 pods (7.5 CPU, 15 GiB),
 * Z = 1 × r5.2xlarge for 5 pods (7 CPU, 60 GiB). Prices per vCPU-hour 0.03 and GiB-hour 0.004,
 * 30 nodes in the cluster (the price expander's preferred node: 8 cores).
 */
const ctx = (rng = new Rng(7)): ExpanderContext => ({
  facts: [facts(2, 8, 0.096), facts(8, 16, 0.34), facts(8, 64, 0.504)],
  cpu: 0,
  memory: 1,
  gpu: 2,
  clusterNodes: 30,
  perVcpuHour: 0.03,
  perGiBHour: 0.004,
  rng,
});
const X = option(0, 3, 6, 5000, 6);
const Y = option(1, 1, 4, 7500, 15);
const Z = option(2, 1, 5, 7000, 60);

describe('expanders', () => {
  it('most-pods picks the option that schedules the most pods', () => {
    expect(chooseOption('most-pods', [X, Y, Z], ctx())).toBe(X);
  });

  it('least-waste picks the least idle CPU + memory fraction (waste.go)', () => {
    // By hand: X (6000 − 5000)/6000 + (24 − 6)/24 = 0.1667 + 0.75; Y 500/8000 + 1/16 = 0.125; Z 1000/8000 + 4/64 = 0.1875.
    expect(wasteScore(X, ctx())).toBeCloseTo(0.916667, 5);
    expect(wasteScore(Y, ctx())).toBeCloseTo(0.125, 9);
    expect(wasteScore(Z, ctx())).toBeCloseTo(0.1875, 9);
    expect(chooseOption('least-waste', [X, Y, Z], ctx())).toBe(Y);
  });

  it('price picks the lowest suppressed unfitness × stabilized price ratio (price.go)', () => {
    // By hand: stabilization X = 0.5 × 0.03 + 500/1024 × 0.004 = 0.016953125.
    // X: pods 5 × 0.03 + 6 × 0.004 = 0.174; ratio (0.288 + X)/(0.174 + X) = 1.597008; unfitness
    //    8/2 = 4, suppressed (4 − 1)(1 − tanh(2/15)) + 1 = 3.602353 → 5.75300.
    // Y: pods 0.285; ratio 0.356953125/0.301953125 = 1.182148; unfitness 1.
    // Z: pods 0.45; ratio 0.520953125/0.466953125 = 1.115644; unfitness 1.
    expect(priceScore(X, ctx())).toBeCloseTo(5.753, 3);
    expect(priceScore(Y, ctx())).toBeCloseTo(1.182148, 5);
    expect(priceScore(Z, ctx())).toBeCloseTo(1.115644, 5);
    expect(chooseOption('price', [X, Y, Z], ctx())).toBe(Z);
  });

  it('price: a GPU node is never preferred for pods that do not need it (gpuUnfitnessOverride)', () => {
    const c = ctx();
    const gpu: ExpanderContext = { ...c, facts: [...c.facts, facts(8, 64, 0.1, 1)] };
    const cheapGpu = option(3, 1, 5, 7000, 60);
    expect(chooseOption('price', [Z, cheapGpu], gpu)).toBe(Z);
  });

  it('the preferred node doubles in CPU each time the cluster triples (preferred.go)', () => {
    expect([1, 2, 3, 6, 7, 20, 21, 60, 61, 200, 201].map(preferredNodeCpu)).toEqual([1000, 1000, 2000, 2000, 4000, 4000, 8000, 8000, 16000, 16000, 32000]);
  });

  it('random picks any option, reproducibly from its seed; ties of the others go to it', () => {
    const seen = new Set<ExpansionOption>();
    const a = new Rng(3);
    const picks = Array.from({ length: 60 }, () => chooseOption('random', [X, Y, Z], ctx(a))!);
    for (const p of picks) seen.add(p);
    expect(seen.size).toBe(3);
    const b = new Rng(3);
    expect(Array.from({ length: 60 }, () => chooseOption('random', [X, Y, Z], ctx(b))!)).toEqual(picks);
    // most-pods with a tie between X and a twin: both come up.
    const X2 = option(1, 2, 6, 5000, 6);
    const tie = new Set(Array.from({ length: 40 }, () => chooseOption('most-pods', [X, X2, Y], ctx(a))));
    expect(tie).toEqual(new Set([X, X2]));
  });
});

describe('binpacking estimator (First-Fit Decreasing over equivalence groups)', () => {
  const group = (job: number, cpu: number, n: number, memGiB = 1): PodGroup => ({ job, request: Float64Array.of(cpu, memGiB * GiB, 0), tasks: Array.from({ length: n }, (_, i) => job * 100 + i) });
  const template = Float64Array.of(4000, 16 * GiB, 0);
  const all = { eligible: () => true };
  const score = { cpu: 0, memory: 1, allocatable: template };

  it('packs the largest pods first and fills holes with the smaller ones', () => {
    // 2 × 3000 and 4 × 1000 on 4000-mc nodes: 3000+1000, 3000+1000, 1000+1000 → 3 nodes (the optimum: 10000/4000 rounded up).
    const r = packPods([group(1, 1000, 4), group(0, 3000, 2)], new SimNodes(3), { ...all, template: { room: template, kind: 0, limit: 10 } }, score);
    expect(r.newNodes).toBe(3);
    expect(r.pods).toBe(6);
    expect(r.requested[0]).toBe(10000);
  });

  it('stops at the node limit (the group max) and counts only what it placed', () => {
    const r = packPods([group(1, 1000, 4), group(0, 3000, 2)], new SimNodes(3), { ...all, template: { room: template, kind: 0, limit: 2 } }, score);
    expect(r.newNodes).toBe(2);
    expect(r.pods).toBe(4);
  });

  it('a pod larger than the template is not placed and adds no node', () => {
    const r = packPods([group(0, 5000, 3)], new SimNodes(3), { ...all, template: { room: template, kind: 0, limit: 10 } }, score);
    expect(r.newNodes).toBe(0);
    expect(r.pods).toBe(0);
  });

  it('without a template only fills the nodes given (upcoming capacity), first fit, skipping what is taken', () => {
    const nodes = new SimNodes(3);
    nodes.add(template, 0);
    const r = packPods([group(0, 1500, 4)], nodes, { ...all, skip: Int32Array.of(1) }, score);
    expect(r.newNodes).toBe(0);
    expect(Array.from(r.placed)).toEqual([2]);
  });

  it('honours eligibility per node group', () => {
    const nodes = new SimNodes(3);
    nodes.add(template, 5);
    const r = packPods([group(0, 1000, 2), group(1, 1000, 2)], nodes, { eligible: (g, kind) => g.job === 1 || kind !== 5 }, score);
    expect(Array.from(r.placed)).toEqual([0, 2]);
  });

  it('groups pods by job and request', () => {
    const vectors = Float64Array.of(1, 2, 0, 1, 2, 0, 1, 3, 0, 1, 2, 0);
    const jobs = Int32Array.of(0, 0, 0, 1);
    const g = groupPods([0, 1, 2, 3], jobs, vectors, 3);
    expect(g.map((x) => [x.job, x.tasks])).toEqual([
      [0, [0, 1]],
      [0, [2]],
      [1, [3]],
    ]);
  });
});
