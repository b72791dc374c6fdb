import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fgdAllocationChart, readFgdCurvesCsv, type FgdCurves } from '../reports/charts/fgd-allocation-chart.js';
import { packGapChart, readPackJson } from '../reports/charts/pack-gap-chart.js';
import { overcommitChart, readOvercommitCsv } from '../reports/charts/overcommit-chart.js';
import { renderChart } from '../reports/charts/render.js';
import { runFgdExperiment } from '../harness/experiments/fgd-experiment.js';
import { packInstances } from '../harness/pack.js';
import { runOvercommitDataSet } from '../harness/experiments/overcommit-experiment.js';
import { syntheticDataSet } from '../harness/experiments/overcommit-synthetic.js';
import { overcommitCsv } from '../harness/experiments/overcommit-report.js';
import { InputError } from '../model/errors.js';
import { ROOT, schedlab } from './helpers/cli.js';

/**
 * The experiment figures: hand-built records with hand-worked figures, then the records the
 * experiments' own code produces (their types, in process) and their --out files read back.
 */
const FIX = join(ROOT, 'test', 'fixtures');
const BPP = join(ROOT, '..', 'shared', 'data', 'binpacking-1d', 'instances');
const bppPresent = existsSync(join(BPP, 'Scholl_1', 'N1C1W1_A.txt')) && existsSync(join(BPP, 'Falkenauer_U', 'Falkenauer_u120_00.txt'));
if (!bppPresent) console.warn(`[charts-experiments] pack on real BPPLIB instances skipped: ${BPP} is absent (the hand-built records still run)`);
const root = mkdtempSync(join(tmpdir(), 'schedlab-charts-exp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
type Row = Record<string, unknown>;
const values = (spec: Record<string, unknown>): Row[] => (spec.data as { values: Row[] }).values;

describe('FGD allocation vs arrived demand', () => {
  const hand: FgdCurves = {
    seeds: [42, 43],
    results: [
      { policy: 'fgd', curves: [Float64Array.from([0, 0.01, 0.02]), Float64Array.from([0, 0.03, 0.02])] },
      { policy: 'random', curves: [Float64Array.from([0, 0.01, 0.01]), Float64Array.from([0, 0.01, 0.03])] },
    ],
  };
  it('draws the mean over seeds with the min–max band, in % of GPU capacity, and the diagonal', () => {
    const c = fgdAllocationChart(hand);
    expect(values(c.spec)).toEqual([
      { policy: 'fgd', arrived_pct: 0, mean_pct: 0, min_pct: 0, max_pct: 0 },
      { policy: 'fgd', arrived_pct: 1, mean_pct: 2, min_pct: 1, max_pct: 3 },
      { policy: 'fgd', arrived_pct: 2, mean_pct: 2, min_pct: 2, max_pct: 2 },
      { policy: 'random', arrived_pct: 0, mean_pct: 0, min_pct: 0, max_pct: 0 },
      { policy: 'random', arrived_pct: 1, mean_pct: 1, min_pct: 1, max_pct: 1 },
      { policy: 'random', arrived_pct: 2, mean_pct: 2, min_pct: 1, max_pct: 3 },
    ]);
    const layers = c.spec.layer as Array<{ mark: unknown; encoding: Record<string, Row>; data?: { values: Row[] } }>;
    expect(layers[0].data!.values).toEqual([{ arrived_pct: 0, ideal_pct: 0 }, { arrived_pct: 2, ideal_pct: 2 }]);
    expect(layers[1].encoding.y2).toEqual({ field: 'max_pct' });
    expect(layers[2].encoding.x).toMatchObject({ field: 'arrived_pct', type: 'quantitative', title: 'arrived GPU demand (% of cluster GPU capacity)' });
    expect(layers[2].encoding.y).toMatchObject({ field: 'mean_pct', title: 'allocated GPUs (% of cluster GPU capacity)' });
    expect(c.caption).toContain('2 seeds');
  });

  it("charts the experiment's own result, and its --out curves.csv read back gives the same figure", async () => {
    const pods = join(FIX, 'alibaba-openb', 'openb_pod_list_tiny.csv');
    const nodes = join(FIX, 'alibaba-openb', 'openb_node_list_all_node.csv');
    const res = await runFgdExperiment({ pods, nodes, seeds: [42, 43] });
    const direct = values(fgdAllocationChart(res).spec);
    expect(direct.length).toBe(res.results.length * (res.maxPercent + 1));
    const fgd = res.results.find((r) => r.policy === 'fgd')!;
    const at = (x: number) => direct.find((r) => r.policy === 'fgd' && r.arrived_pct === x)!;
    expect(at(res.maxPercent).mean_pct).toBeCloseTo((100 * (fgd.curves[0][res.maxPercent] + fgd.curves[1][res.maxPercent])) / 2, 4);
    const out = join(root, 'fgd');
    const r = schedlab(['experiment', 'fgd', '--pods', pods, '--nodes', nodes, '--seeds', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const back = readFgdCurvesCsv(join(out, 'curves.csv'));
    expect(back.seeds).toEqual([42, 43]);
    const read = values(fgdAllocationChart(back).spec);
    expect(read.length).toBe(direct.length);
    read.forEach((row, i) => expect(row.mean_pct as number).toBeCloseTo(direct[i].mean_pct as number, 3));
  });

  it('refuses a curves file with a gap, naming the line', () => {
    const f = join(root, 'gap.csv');
    writeFileSync(f, 'policy,seed,arrived_gpu_percent,allocated_gpu_share\nfgd,1,0,0\nfgd,1,2,0.1\n');
    expect(() => readFgdCurvesCsv(f)).toThrow(/gap\.csv line 3 \(arrived_gpu_percent\): expected 1/);
    expect(() => readFgdCurvesCsv(f)).toThrow(InputError);
  });
});

describe("pack's gap to optimum per class", () => {
  it('uses the known optimum, else the lower bound drawn lighter, never a missing figure as 0', () => {
    const c = packGapChart({
      classes: [
        { cls: 'Scholl_1', instances: 2, perAlgorithm: [
          { algorithm: 'FFD', meanPctAboveOpt: 1.5, instancesWithOpt: 2, meanPctAboveLb: 1.5 },
          { algorithm: 'NF', meanPctAboveOpt: 20, instancesWithOpt: 2, meanPctAboveLb: 22 },
        ] },
        { cls: 'mine', instances: 3, perAlgorithm: [
          { algorithm: 'FFD', meanPctAboveOpt: null, instancesWithOpt: 0, meanPctAboveLb: 4 },
          { algorithm: 'NF', meanPctAboveOpt: null, instancesWithOpt: 0, meanPctAboveLb: null },
        ] },
      ],
    });
    expect(values(c.spec)).toEqual([
      { class: 'Scholl_1', algorithm: 'FFD', gap_pct: 1.5, basis: 'known optimum', instances: 2 },
      { class: 'Scholl_1', algorithm: 'NF', gap_pct: 20, basis: 'known optimum', instances: 2 },
      { class: 'mine', algorithm: 'FFD', gap_pct: 4, basis: 'lower bound (no optimum known)', instances: 3 },
    ]);
    const e = c.spec.encoding as Record<string, Row>;
    expect(e.x).toMatchObject({ field: 'class', type: 'nominal' });
    expect(e.xOffset).toMatchObject({ field: 'algorithm' });
    expect(e.y).toMatchObject({ field: 'gap_pct', type: 'quantitative', title: 'bins above optimum (% of optimum)' });
    expect(e.opacity).toMatchObject({ field: 'basis' });
  });

  it.skipIf(!bppPresent)('charts packInstances on real BPPLIB instances, and pack --json read back gives the same', async () => {
    const files = [join(BPP, 'Scholl_1', 'N1C1W1_A.txt'), join(BPP, 'Falkenauer_U', 'Falkenauer_u120_00.txt')];
    const rep = await packInstances(files, { algorithms: ['FFD', 'NF'] });
    const v = values(packGapChart(rep).spec);
    for (const inst of rep.instances) {
      for (const a of inst.results) {
        const row = v.find((r) => r.class === inst.cls && r.algorithm === a.algorithm)!;
        // One instance per class: the class mean is the instance's own gap, 100 × (bins − opt) / opt.
        expect(row.basis).toBe('known optimum');
        expect(row.gap_pct as number).toBeCloseTo((100 * (a.bins! - inst.knownOptimum!)) / inst.knownOptimum!, 4);
      }
    }
    const r = schedlab(['pack', ...files, '--algorithms', 'FFD,NF', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const f = join(root, 'pack.json');
    writeFileSync(f, r.stdout);
    expect(values(packGapChart(readPackJson(f)).spec)).toEqual(v);
  });

  it('refuses a file that is not pack --json output', () => {
    const f = join(root, 'not-pack.json');
    writeFileSync(f, '{"instances": []}');
    expect(() => readPackJson(f)).toThrow(/not-pack\.json \(classes\): expected the per-class summaries/);
  });
});

describe('overcommit savings vs violation rate', () => {
  it('plots each predictor of each data set in percent; unmeasured ones are named, not drawn', () => {
    const c = overcommitChart({
      outcomes: [
        { data: 'gcd', results: [{ predictor: 'max', savings: 0.25, violationRate: 0.001 }, { predictor: 'oracle', savings: 0.4, violationRate: 0 }] },
        { data: 'azure', results: [{ predictor: 'max', savings: NaN, violationRate: NaN }] },
      ],
    });
    expect(values(c.spec)).toEqual([
      { data: 'gcd', predictor: 'max', savings_pct: 25, violation_pct: 0.1 },
      { data: 'gcd', predictor: 'oracle', savings_pct: 40, violation_pct: 0 },
    ]);
    expect(c.caption).toContain('not measured: azure/max');
    const e = (c.spec.spec as { encoding: Record<string, Row> }).encoding;
    expect(e.x).toMatchObject({ field: 'violation_pct', type: 'quantitative', title: 'violation rate (% of intervals)' });
    expect(e.y).toMatchObject({ field: 'savings_pct', type: 'quantitative', title: 'savings (% of Σ limits)' });
  });

  it("charts the experiment's own outcome, and its CSV read back gives the same figure", async () => {
    const o = runOvercommitDataSet(syntheticDataSet(3), { seed: 3, machines: 25 });
    const direct = values(overcommitChart({ outcomes: [o] }).spec);
    expect(direct.map((r) => r.predictor)).toEqual(o.results.map((r) => r.predictor));
    direct.forEach((row, i) => {
      expect(row.savings_pct as number).toBeCloseTo(100 * o.results[i].savings, 4);
      expect(row.violation_pct as number).toBeCloseTo(100 * o.results[i].violationRate, 4);
    });
    const f = join(root, 'oc.csv');
    writeFileSync(f, overcommitCsv({ seed: 3, usageLibrary: '', azureReadings: '', outcomes: [o], wallSeconds: 0 }));
    const back = values(overcommitChart(readOvercommitCsv(f)).spec);
    back.forEach((row, i) => expect(row.savings_pct as number).toBeCloseTo(direct[i].savings_pct as number, 3));
    const { svg } = await renderChart(overcommitChart({ outcomes: [o] }));
    expect(svg).toContain('violation rate (% of intervals)');
  });
});
