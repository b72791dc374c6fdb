import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { podGpuMilli } from '../algorithms/gpu/gpu-cluster.js';
import { gpuPodsFromOpenb } from '../algorithms/gpu/from-openb.js';
import { experimentCommand } from '../cli/commands/experiment.js';
import { allocationAt, inflatedSequence, runFgdExperiment } from '../harness/experiments/fgd-experiment.js';
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

  it('2 seeds × 6 policies: curves monotone, ≤ 100%, FGD ≥ best-fit ≥ random at 130%', async () => {
    const res = await runFgdExperiment({ seeds: [42, 43] });
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
  });

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
    rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
