import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replay } from '../harness/replay.js';
import { runSpec } from '../harness/replay-spec.js';
import { renderSummary, summaryRows } from '../reports/summary-table.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { PRICING, tinyWorkload } from './helpers/tiny-workload.js';

const FIX = path.join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures');
const H = 3600e6;

function row(text: string, label: string): string {
  const line = text.split('\n').find((l) => l.startsWith(label));
  if (line === undefined) throw new Error(`no row '${label}' in\n${text}`);
  return line.slice(label.length).trim();
}

describe('text summary', () => {
  it('shows the killed count: SWF jobs cancelled while queued are killed, never started', async () => {
    const { summary, result } = await runSpec({ workload: path.join(FIX, 'swf', 'cancelled.swf'), policy: 'first-fit', seed: 1, nodes: 1, tasks: 1, hours: 1, instance: 'm5.2xlarge' });
    const text = renderSummary(summary);
    expect(row(text, 'tasks killed')).toBe('3');
    // Job 3 was cancelled at its submit time: it leaves the queue before the pass of that instant.
    expect(result.tasks.attempts[2]).toBe(0);
    // Jobs 4 and 5 ran to their end.
    expect(row(text, 'tasks finished')).toBe('2');
  });

  it('used utilization is n/a, not 0.0%, when nothing ran', async () => {
    // One 4-core node; the only task asks 8 cores and never starts. Its usage is known (0.5).
    const w = tinyWorkload([[4000, 8e9]], [{ submit: 0, duration: H, cpu: 8000, mem: 1e9, usage: 0.5 }], { horizon: 2 * H });
    const { summary } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING });
    expect(summary.tasks.scheduled).toBe(0);
    const text = renderSummary(summary);
    expect(row(text, 'cpu used (mean)')).toBe('n/a');
    expect(row(text, 'memory used (p95)')).toBe('n/a');
    expect(row(text, 'cpu requested (mean)')).toBe('0.0%');
  });

  it('used utilization is a figure once something ran', async () => {
    const w = tinyWorkload([[4000, 8e9]], [{ submit: 0, duration: H, cpu: 2000, mem: 1e9, usage: 0.5 }], { horizon: 2 * H });
    const { summary } = await replay({ workload: w, policy: firstFit, seed: 1, pricing: PRICING });
    expect(row(renderSummary(summary), 'cpu used (mean)')).toMatch(/^\d+\.\d%$/);
  });

  it('every number has thousands separators', async () => {
    // 1,500 nodes for 10 h, one task per node: 15,000 node-hours, 1,500 tasks.
    const nodes = Array.from({ length: 1500 }, (): [number, number] => [4000, 8e9]);
    const tasks = nodes.map(() => ({ submit: 0, duration: 10 * H, cpu: 4000, mem: 1e9 }));
    const { summary } = await replay({ workload: tinyWorkload(nodes, tasks, { horizon: 10 * H }), policy: firstFit, seed: 1, pricing: PRICING });
    const text = renderSummary(summary);
    expect(text).toMatch(/1,500 machines at the start/);
    expect(text).toMatch(/pricing: 1,500 machines priced as test each \(one price given for every machine\): 1,500 × 4 cores, 7\.5 GiB \$1\.00\/h/);
    expect(row(text, 'tasks submitted')).toBe('1,500');
    expect(row(text, 'nodes (mean up)')).toBe('1,500.0');
    expect(row(text, 'busy node-hours')).toBe('15,000.0');
    expect(row(text, 'cost per year')).toBe('$13,140,000.00');
    // No run of four or more digits anywhere in the table (a number without separators).
    const table = summaryRows([summary]).map((r) => r.slice(1).join(' ')).join('\n');
    expect(table).not.toMatch(/\d{4}/);
  });
});

describe('schedlab cost', () => {
  it('prints the node count with thousands separators and the brief figures', async () => {
    const { schedlab } = await import('./helpers/cli.js');
    const { existsSync } = await import('node:fs');
    const { CLI } = await import('./helpers/cli.js');
    if (!existsSync(CLI)) return;
    const r = schedlab(['cost', '--instance', 'm5.2xlarge', '--nodes', '1000', '--utilization', '0.5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1,000 × m5\.2xlarge \(8 vCPU, 32 GiB\) at \$0\.384\/h/);
    expect(r.stdout).toMatch(/cost per year: +\$3,363,840\.00/);
    expect(r.stdout).toMatch(/idle at 50\.0% utilization: \$1,681,920\.00 per year/);
  });
});
