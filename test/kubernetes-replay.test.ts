import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { replay } from '../harness/replay.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { TaskStatus } from '../model/task-status.js';
import { PRICING } from './helpers/tiny-workload.js';
import { GiB } from '../model/units.js';
import { schedlab } from './helpers/cli.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { readNativeWorkload } from '../workloads/native/reader.js';
import { knownFormatNames } from '../workloads/format-registry.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, 'fixtures', 'kubernetes', 'cluster');
const S = 1e6;

/**
 * End to end: the fixture manifests replayed under first-fit. first-fit places by resources only
 * (the Kubernetes filter plugins for the constraints come separately), so the expectations below
 * follow from requests, allocatable and priority order alone:
 * - highest priority first: the 4 daemon pods (system-node-critical), then db and train (high,
 *   1000), then web, cache and debug (standard, 100), FIFO within a priority;
 * - node-a (3.8 CPU allocatable) takes the daemons (0.4), db-0 (2), web-0 and web-1 (0.5 each)
 *   and debug (no request: placed as zero, one pod slot); db-1 and web-2 go to node-b;
 * - the GPU pods need the only GPU node; cache (6 CPU, 20 GiB) fits only there, after a train
 *   slot finishes at 1,200 s; the second cache pod never fits (1.8 CPU free), so it stays pending.
 */
describe('Kubernetes manifests replayed with first-fit', async () => {
  const workload = await readKubernetesManifests(FIXTURE, {});
  const { result, summary } = await replay({ workload, policy: firstFit, seed: 1, pricing: PRICING });
  const t = result.tasks;
  const nodeOf = (i: number) => (t.node[i] >= 0 ? result.cluster.ids[t.node[i]] : null);
  const idx = (job: string, k = 0) => {
    for (let i = 0; i < t.count; i++) if (workload.jobs[t.job[i]] === job && t.taskIndex[i] === k) return i;
    throw new Error(`no task ${job}#${k}`);
  };

  it('schedules 13 of 14 pods by resources and leaves the one that never fits pending', () => {
    expect(summary.tasks).toMatchObject({ submitted: 14, scheduled: 13, pendingAtEnd: 1, finished: 2, runningAtEnd: 11, missingRequest: 1 });
    expect(result.horizon).toBe(3600 * S);
  });

  it('places each pod where first-fit puts it', () => {
    const where = Object.fromEntries(
      Array.from({ length: t.count }, (_, i) => [`${workload.jobs[t.job[i]].split('@')[0]}#${t.taskIndex[i]}`, nodeOf(i)]),
    );
    expect(where).toEqual({
      'Deployment/shop/web#0': 'node-a',
      'Deployment/shop/web#1': 'node-a',
      'Deployment/shop/web#2': 'node-b',
      'StatefulSet/shop/db#0': 'node-a',
      'StatefulSet/shop/db#1': 'node-b',
      'Deployment/shop/cache#0': 'node-gpu',
      'Deployment/shop/cache#1': null,
      'Job/ml/train#0': 'node-gpu',
      'Job/ml/train#1': 'node-gpu',
      'DaemonSet/kube-system/log-agent#0': 'node-a',
      'DaemonSet/kube-system/log-agent#1': 'node-a',
      'DaemonSet/kube-system/log-agent#2': 'node-a',
      'DaemonSet/kube-system/log-agent#3': 'node-a',
      'Pod/default/debug#0': 'node-a',
    });
  });

  it('runs the Job slots for their annotated time and starts the waiting cache pod when one ends', () => {
    expect(t.end[idx('Job/ml/train', 0)]).toBe(1800 * S);
    expect(t.end[idx('Job/ml/train', 1)]).toBe(1200 * S);
    expect(t.status[idx('Job/ml/train', 0)]).toBe(TaskStatus.Finished);
    expect(t.start[idx('Deployment/shop/cache', 0)]).toBe(1200 * S);
    expect(t.status[idx('Deployment/shop/cache', 1)]).toBe(TaskStatus.Pending);
  });

  it('accounts requested memory on the nodes exactly', () => {
    // At the end node-gpu holds only cache-0 (20 GiB): both train slots finished, and first-fit
    // put the GPU node's daemon pod on node-a (the nodeName pin is for the constraint filters).
    const gpu = result.cluster.ids.indexOf('node-gpu');
    const D = result.cluster.dims;
    expect(result.cluster.requested[gpu * D + 1]).toBe(20 * GiB);
    expect(result.cluster.requested[gpu * D + 3]).toBe(1); // one pod slot in use
  });
});

describe('trace inspect on manifests without Node objects', () => {
  const SPREAD = path.join(here, 'fixtures', 'kubernetes', 'generated-nodes', 'spread.yaml');

  it('takes --nodes, --instance and --zones for the generated nodes', () => {
    const r = schedlab(['trace', 'inspect', SPREAD, '--nodes', '4', '--instance', 'm5.large', '--zones', '2', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { machines: { initial: number; shapes: { capacity: number[]; machines: number }[] }; tasks: number; notes: string[] };
    expect(report.machines.initial).toBe(4);
    expect(report.machines.shapes).toEqual([{ capacity: [2000, 8 * GiB, 0, 110], machines: 4 }]);
    // 6 web replicas, one agent pod per node, the arm pod.
    expect(report.tasks).toBe(6 + 4 + 1);
    expect(report.notes.some((n) => n.includes('round-robin over us-east-1a, us-east-1b ('))).toBe(true);
  });

  it('without --nodes it says what to give; --nodes on a trace with machines is refused', () => {
    const r = schedlab(['trace', 'inspect', SPREAD]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give --nodes N (and --instance TYPE for their shape, default m5.2xlarge)');
    const swf = schedlab(['trace', 'inspect', path.join(here, 'fixtures', 'swf', 'sample.swf'), '--nodes', '3']);
    expect(swf.code).toBe(2);
    expect(swf.stderr).toMatch(/--nodes: only Kubernetes manifests without Node objects run on generated nodes; .* is swf/);
  });
});

describe('trace convert on manifests', () => {
  const SPREAD = path.join(here, 'fixtures', 'kubernetes', 'generated-nodes', 'spread.yaml');

  it('stores no generated nodes, so --nodes applies at replay', async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'schedlab-convert-')), 'app.schedlab.arrow');
    const c = schedlab(['trace', 'convert', SPREAD, '--out', out, '--nodes', '9']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain(': 7 tasks in 1 batch, 0 machines + 0 machine events');
    expect(c.stderr).toContain('note: the input defines no nodes, so none are stored: replay the file with --nodes N --instance TYPE');
    const stored = await readNativeWorkload(out);
    expect(stored.machines).toEqual([]);
    expect(stored.notes).toContain(
      'DaemonSet kube-system/agent: no pods stored: they are one per node, and the nodes are chosen at replay (replay the manifests themselves to include them)',
    );
    const r = schedlab(['replay', '--workload', out, '--nodes', '3', '--policy', 'kube-framework', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { nodes: { initial: number }; tasks: { submitted: number; scheduled: number; pendingReasons: Record<string, number> } };
    expect(summary.nodes.initial).toBe(3);
    // The six web replicas run on the generated Linux nodes; the arm64 pod waits, as on the manifests.
    expect(summary.tasks).toMatchObject({ submitted: 7, scheduled: 6, pendingReasons: { "node(s) didn't match Pod's node affinity/selector": 1 } });
  });

  it('takes --on-bad-row skip for a folder with a bad file, and its help lists every format', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'schedlab-convert-'));
    await writeFile(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: a}]}\n');
    await writeFile(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: b\n');
    const out = path.join(dir, 'out.schedlab.arrow');
    expect(schedlab(['trace', 'convert', dir, '--out', out]).code).toBe(2);
    const c = schedlab(['trace', 'convert', dir, '--out', out, '--on-bad-row', 'skip']);
    expect(c.code).toBe(0);
    expect((await readNativeWorkload(out)).notes.some((n) => n.startsWith(`--on-bad-row skip: file skipped: ${dir}/b.yaml line`))).toBe(true);
    const help = schedlab(['trace', 'convert', '--help']).stdout.replace(/\s+/g, ' ');
    for (const f of knownFormatNames()) expect(help).toContain(f);
  });
});
