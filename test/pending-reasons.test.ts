import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { replay } from '../harness/replay.js';
import { kubeFramework } from '../algorithms/kubernetes/policies.js';
import { firstFit } from '../algorithms/classic/first-fit.js';
import { failedSchedulingMessage, NO_NODES_MESSAGE, RECORDED_REASON } from '../harness/pending-reasons.js';
import { renderSummary } from '../reports/summary-table.js';
import type { PolicyModule } from '../algorithms/policy.js';
import type { Workload } from '../model/workload.js';
import { tinyWorkload, PRICING } from './helpers/tiny-workload.js';
import { schedlab } from './helpers/cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PENDING = path.join(here, 'fixtures', 'kubernetes', 'pending');
const CONTROL_PLANE = path.join(here, 'fixtures', 'kubernetes', 'control-plane', 'cluster.yaml');

/** Job name (without the DaemonSet @node suffix) → FailedScheduling message of its pending tasks. */
async function pendingMessages(workload: Workload, policy: PolicyModule) {
  const out = await replay({ workload, policy, seed: 1, pricing: PRICING });
  const { messageOf, messages } = out.result.pending;
  const t = out.result.tasks;
  const byJob: Record<string, string[]> = {};
  for (let i = 0; i < t.count; i++) {
    if (i >= messageOf.length || messageOf[i] < 0) continue;
    (byJob[workload.jobs[t.job[i]]] ??= []).push(messages[messageOf[i]]);
  }
  return { byJob, summary: out.summary };
}

describe("kube-scheduler's FailedScheduling message", () => {
  it('counts each reason over the nodes and sorts the "<count> <reason>" strings as Go does', () => {
    const counts = new Map([
      ["node(s) didn't match Pod's node affinity/selector", 2],
      ['Insufficient cpu', 3],
      ['node(s) had untolerated taint {dedicated: gpu}', 1],
    ]);
    expect(failedSchedulingMessage(6, counts)).toBe(
      "0/6 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector, 3 Insufficient cpu.",
    );
    expect(failedSchedulingMessage(0, new Map())).toBe(NO_NODES_MESSAGE);
  });

  it("reproduces a real cluster's event: the one-node kubeadm cluster of kubernetes issue 116133", async () => {
    const workload = await readKubernetesManifests(CONTROL_PLANE, {});
    const { byJob, summary } = await pendingMessages(workload, kubeFramework);
    // The event read "... {node-role.kubernetes.io/control-plane: }. preemption: ..." (preemption is not modeled).
    expect(byJob['Deployment/default/apache']).toEqual(['0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.']);
    expect(summary.tasks.pendingReasons).toEqual({ 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }': 1 });
  });
});

describe('pending reasons under kube-framework: the first filter that rejects each node, in profile order', async () => {
  const workload = await readKubernetesManifests(PENDING, {});
  const { byJob, summary } = await pendingMessages(workload, kubeFramework);
  const taint = '1 node(s) had untolerated taint {dedicated: gpu}';
  const cordoned = '1 node(s) were unschedulable';

  it('resources: "Insufficient cpu" on the nodes every earlier filter passed', () => {
    expect(byJob['Pod/default/big']).toEqual([`0/4 nodes are available: ${taint}, ${cordoned}, 2 Insufficient cpu.`]);
  });

  it("node selector, pod anti-affinity and node name", () => {
    expect(byJob['Pod/default/ssd']).toEqual([`0/4 nodes are available: ${taint}, ${cordoned}, 2 node(s) didn't match Pod's node affinity/selector.`]);
    // Two replicas run on the two open hosts; the third is kept off both by its own anti-affinity.
    expect(byJob['Deployment/default/solo']).toEqual([`0/4 nodes are available: ${taint}, ${cordoned}, 2 node(s) didn't match pod anti-affinity rules.`]);
    // NodeUnschedulable runs before NodeName, as in kube's default profile.
    expect(byJob['Pod/default/pinned']).toEqual([`0/4 nodes are available: ${cordoned}, 3 node(s) didn't match the requested node name.`]);
  });

  it('the summary counts the pending tasks per reason, and the text table lists them under the pending row', () => {
    expect(summary.tasks.pendingAtEnd).toBe(4);
    expect(summary.tasks.pendingReasons).toEqual({
      'node(s) were unschedulable': 4,
      'node(s) had untolerated taint {dedicated: gpu}': 3,
      'Insufficient cpu': 1,
      "node(s) didn't match Pod's node affinity/selector": 1,
      "node(s) didn't match pod anti-affinity rules": 1,
      "node(s) didn't match the requested node name": 1,
    });
    const lines = renderSummary(summary).split('\n');
    const at = lines.findIndex((l) => l.startsWith('tasks pending at end'));
    expect(lines[at + 1]).toMatch(/^ {2}node\(s\) were unschedulable +4$/);
    expect(lines[at + 2]).toMatch(/^ {2}node\(s\) had untolerated taint \{dedicated: gpu\} +3$/);
  });
});

describe('pending reasons for policies without filters: the resources each node lacks', () => {
  it('first-fit ignores the constraints, so only the pod too big for every node waits', async () => {
    const workload = await readKubernetesManifests(PENDING, {});
    const { byJob, summary } = await pendingMessages(workload, firstFit);
    expect(byJob).toEqual({ 'Pod/default/big': ['0/4 nodes are available: 4 Insufficient cpu.'] });
    expect(summary.tasks.pendingReasons).toEqual({ 'Insufficient cpu': 1 });
  });

  it('names every resource a node lacks, and each task of a class gets the message', async () => {
    // n0 has neither the CPU nor the memory; n1 has the CPU but not the memory.
    const w = tinyWorkload(
      [
        [1000, 1000],
        [4000, 1000],
      ],
      [
        { submit: 0, duration: 10, cpu: 2000, mem: 2000 },
        { submit: 0, duration: 10, cpu: 2000, mem: 2000 },
      ],
    );
    const { byJob, summary } = await pendingMessages(w, firstFit);
    expect(byJob.job0).toEqual(['0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.', '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.']);
    expect(summary.tasks.pendingReasons).toEqual({ 'Insufficient cpu': 2, 'Insufficient memory': 2 });
  });

  it('a node with room that the policy still declined is counted as such', async () => {
    const picky: PolicyModule = { name: 'picky', description: 'declines everything', create: () => ({ name: 'picky', select: () => -1 }) };
    const w = tinyWorkload(
      [
        [1000, 4000],
        [4000, 4000],
      ],
      [{ submit: 0, duration: 10, cpu: 2000, mem: 1000 }],
    );
    const { byJob } = await pendingMessages(w, picky);
    expect(byJob.job0).toEqual(['0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had free resources but policy picky declined them.']);
  });

  it('no pending task, no reasons', async () => {
    const w = tinyWorkload([[4000, 4000]], [{ submit: 0, duration: 10, cpu: 1000, mem: 1000 }]);
    const { byJob, summary } = await pendingMessages(w, firstFit);
    expect(byJob).toEqual({});
    expect(summary.tasks.pendingReasons).toEqual({});
  });
});

describe('pending reasons under --placement recorded', () => {
  it('a task the trace never starts waits for that reason', () => {
    const r = schedlab(['replay', '--workload', path.join(here, 'fixtures', 'google-2011', 'trace'), '--placement', 'recorded', '--json', '--quiet']);
    const s = JSON.parse(r.stdout) as { tasks: { pendingAtEnd: number; pendingReasons: Record<string, number> } };
    expect(s.tasks.pendingAtEnd).toBeGreaterThan(0);
    expect(s.tasks.pendingReasons).toEqual({ [RECORDED_REASON]: s.tasks.pendingAtEnd });
  });
});

describe('pending reasons in the outputs', () => {
  it('tasks.csv has a pending_reason column; run.json and --json carry the per-reason counts', async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'schedlab-pending-')), 'run');
    const r = schedlab(['replay', '--workload', PENDING, '--policy', 'kube-framework', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n {2}Insufficient cpu +1\n/);
    const csv = (await readFile(path.join(out, 'tasks.csv'), 'utf8')).trim().split('\n');
    expect(csv[0].split(',').at(-1)).toBe('pending_reason');
    const big = csv.find((l) => l.includes('Pod/default/big'));
    expect(big?.endsWith(',"0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 2 Insufficient cpu."')).toBe(true);
    const running = csv.find((l) => l.includes('Deployment/default/solo') && l.includes(',running,'));
    expect(running?.endsWith(',')).toBe(true);
    const run = JSON.parse(await readFile(path.join(out, 'run.json'), 'utf8')) as { summary: { tasks: { pendingReasons: Record<string, number> } } };
    expect(run.summary.tasks.pendingReasons['node(s) were unschedulable']).toBe(4);
    const json = schedlab(['replay', '--workload', PENDING, '--policy', 'first-fit', '--json', '--quiet']);
    expect((JSON.parse(json.stdout) as { tasks: { pendingReasons: unknown } }).tasks.pendingReasons).toEqual({ 'Insufficient cpu': 1 });
  });
});
