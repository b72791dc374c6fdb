import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { podGpuMilli } from '../model/gpu-pod-set.js';
import { gpuPodsFromOpenb } from '../workloads/alibaba-openb/gpu-records.js';
import { experimentCommand } from '../cli/commands/experiment.js';
import { allocationAt, DEFAULT_FGD_SEEDS, inflatedSequence, runFgdExperiment, type FgdExperimentResult } from '../harness/experiments/fgd-experiment.js';
import { FGD_PUBLISHED } from '../harness/experiments/fgd-published.js';
import { readOpenbPods } from '../workloads/alibaba-openb/pods.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const DATA = path.resolve(ROOT, '..', 'shared', 'data', 'alibaba-openb-2023');
const PODS = path.join(DATA, 'openb_pod_list_default.csv');
const present = existsSync(PODS) && existsSync(path.join(DATA, 'openb_node_list_gpu_node.csv'));
if (!present) console.warn(`FGD experiment tests skipped: ${DATA} is absent (see ../shared/data/README.md)`);

describe.skipIf(!present)('FGD experiment on openb (Weng et al., ATC\'23)', () => {
  it('inflates the workload to just under 1.3× GPU capacity, the same for every call with one seed', () => {
    const pods = gpuPodsFromOpenb(readOpenbPods(PODS));
    const cap = 6212 * 1000;
    const seq = inflatedSequence(pods, cap, 1.3, 42);
    let total = 0;
    for (const i of seq) total += podGpuMilli(pods, i);
    expect(total).toBeLessThanOrEqual(1.3 * cap);
    expect(total).toBeGreaterThan(1.3 * cap - 8000); // stops at the first copy that would not fit
    expect(seq.length).toBeGreaterThan(pods.count);
    // every original pod is there once at least
    const seen = new Uint8Array(pods.count);
    for (const i of seq) seen[i] = 1;
    expect(seen.every((x) => x === 1)).toBe(true);
    expect(Array.from(inflatedSequence(pods, cap, 1.3, 42))).toEqual(Array.from(seq));
    expect(Array.from(inflatedSequence(pods, cap, 1.3, 43))).not.toEqual(Array.from(seq));
  });

  // One run of the published protocol (10 seeds × 6 policies, as in the paper), shared by the next two tests.
  let run: Promise<FgdExperimentResult> | undefined;
  const tenSeeds = (): Promise<FgdExperimentResult> => (run ??= runFgdExperiment({ seeds: DEFAULT_FGD_SEEDS }));

  it('10 seeds × 6 policies: curves monotone, ≤ 100%, FGD ≥ best-fit ≥ random at 130%', async () => {
    const res = await tenSeeds();
    expect(res.gpus).toBe(6212);
    expect(res.results.map((r) => r.policy)).toEqual(['random', 'dot-product', 'gpu-clustering', 'gpu-packing', 'best-fit', 'fgd']);
    for (const r of res.results) {
      for (const c of r.curves) {
        expect(c).toHaveLength(131);
        expect(c[0]).toBe(0);
        for (let x = 1; x < c.length; x++) expect(c[x]).toBeGreaterThanOrEqual(c[x - 1]);
        expect(c[130]).toBeLessThanOrEqual(1);
        // nothing can be allocated beyond what arrived
        for (let x = 0; x < c.length; x++) expect(c[x]).toBeLessThanOrEqual(x / 100 + 1e-12);
      }
    }
    const at = (p: string) => allocationAt(res.results.find((r) => r.policy === p)!, 130).mean;
    expect(at('fgd')).toBeGreaterThanOrEqual(at('random'));
    // the paper's ordering at the top: FGD above the best baseline (best-fit)
    expect(at('fgd')).toBeGreaterThan(at('best-fit'));
    expect(at('best-fit')).toBeGreaterThan(at('random'));
  }, 120_000);

  it('beside the published figures (Fig. 9(a), authors\' artifact): mean allocation at 100% and 130% per policy within the α = 0.001 two-sample bound', async () => {
    // Ours and theirs are 10 seeded runs each of the same protocol with different random streams, so
    // the means can differ only by seed noise if the policies are the same: Welch's two-sample
    // bound z(1 − α/2) √(s₁²/n₁ + s₂²/n₂) at α = 0.001 (z = 3.29), with each side's sample variance.
    const res = await tenSeeds();
    const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    const variance = (v: readonly number[]): number => v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1);
    const lines: string[] = [];
    for (const r of res.results) {
      const pub = FGD_PUBLISHED.policies[r.policy];
      expect(pub, r.policy).toBeDefined();
      for (const [percent, theirs] of [[100, pub.at100], [130, pub.at130]] as const) {
        const ours = r.curves.map((c) => 100 * c[percent]);
        const diff = mean(ours) - mean(theirs);
        const bound = 3.2905 * Math.sqrt(variance(ours) / ours.length + variance(theirs) / theirs.length);
        lines.push(`${r.policy} @${percent}%: ours ${mean(ours).toFixed(2)}%, published ${mean(theirs).toFixed(2)}%, difference ${diff.toFixed(2)} (bound ${bound.toFixed(2)})`);
        expect(Math.abs(diff), `${r.policy} at ${percent}%`).toBeLessThan(bound);
      }
    }
    console.log(lines.join('\n'));
  }, 120_000);

  it('schedlab experiment fgd writes the table and a tidy curves CSV', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'fgd-')), 'res');
    const chunks: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (chunks.push(String(s)), true)) as typeof process.stdout.write;
    try {
      await yargs().command(experimentCommand).strict().parseAsync(['experiment', 'fgd', '--seeds', '1', '--policies', 'random,fgd', '--out', out]);
    } finally {
      process.stdout.write = write;
    }
    const text = chunks.join('');
    expect(text).toMatch(/^random\s+\d+\.\d\d% \(/m);
    expect(text).toMatch(/^fgd\s+\d+\.\d\d% \(/m);
    const csv = readFileSync(path.join(out, 'curves.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('policy,seed,arrived_gpu_percent,allocated_gpu_share');
    expect(csv).toHaveLength(1 + 2 * 131);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.policies.map((p: { policy: string }) => p.policy)).toEqual(['random', 'fgd']);
    // timings are kept out of the results (equal seeds, equal files) and written to timing.json
    expect(JSON.stringify(summary)).not.toMatch(/seconds/i);
    const timing = JSON.parse(readFileSync(path.join(out, 'timing.json'), 'utf8'));
    expect(timing.command).toBe('experiment fgd');
    expect(timing.wallSeconds).toBeGreaterThan(0);
    expect(Object.keys(timing.placementSeconds)).toEqual(['random', 'fgd']);
    expect(timing.placementSeconds.fgd).toHaveLength(1);
    rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
