import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSpec, type ReplaySpec } from '../harness/replay-spec.js';
import { checkOptionsApply, OPTION_APPLICABILITY, knownFormatNames } from '../workloads/format-registry.js';
import { UsageError } from '../model/errors.js';
import { schedlab } from './helpers/cli.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const FIX = path.join(HERE, 'fixtures');
const base = { policy: 'first-fit', seed: 1, nodes: 100, tasks: 100, hours: 1, instance: 'm5.2xlarge' } satisfies Omit<ReplaySpec, 'workload'>;

describe('every workload option applies or is refused, naming why', () => {
  it('the table covers every registered format and the synthetic workload', () => {
    for (const f of [...knownFormatNames(), 'synthetic']) expect(OPTION_APPLICABILITY[f], f).toBeDefined();
  });

  it('trace formats that define their machines refuse --nodes, --instance, --tasks, --hours', async () => {
    const g11 = { ...base, workload: path.join(FIX, 'google-2011', 'trace') };
    await expect(runSpec({ ...g11, explicit: ['nodes'] })).rejects.toThrow(/^--nodes does not apply to google-2011 workloads: the trace defines its machines \(machine_events\)$/);
    await expect(runSpec({ ...g11, explicit: ['instance'] })).rejects.toThrow(/^--instance does not apply to google-2011 workloads: the trace defines its machines \(machine_events\), each priced by its shape$/);
    await expect(runSpec({ ...g11, explicit: ['tasks'] })).rejects.toThrow(/--tasks does not apply to google-2011 workloads: the trace defines its tasks/);
    await expect(runSpec({ ...g11, explicit: ['hours'] })).rejects.toThrow(/--hours does not apply to google-2011 workloads/);
    await expect(runSpec({ ...base, workload: path.join(FIX, 'alibaba-2018', 'trace'), explicit: ['nodes'] })).rejects.toThrow(/--nodes does not apply to alibaba-2018 workloads: the trace defines its machines \(machine_meta/);
    await expect(runSpec({ ...base, workload: path.join(FIX, 'alibaba-2018', 'trace'), machineScale: 'cpu=32,mem=128GiB' })).rejects.toThrow(/--machine-scale does not apply to alibaba-2018 workloads/);
    // The defaults themselves are not "given": the same runs without explicit options work.
    await expect(runSpec(g11)).resolves.toBeDefined();
  });

  it('the synthetic workload refuses what only traces have', async () => {
    const syn = { ...base, workload: 'synthetic' };
    await expect(runSpec({ ...syn, machineScale: 'cpu=32,mem=128GiB' })).rejects.toThrow(/--machine-scale does not apply to the synthetic workload/);
    await expect(runSpec({ ...syn, onBadRow: 'skip' })).rejects.toThrow(/--on-bad-row skip does not apply to the synthetic workload: the synthetic workload is generated: it has no input rows/);
    await expect(runSpec({ ...syn, placement: 'recorded' })).rejects.toThrow(/--placement recorded does not apply to the synthetic workload/);
    expect(() => checkOptionsApply('synthetic', ['nodes', 'instance', 'tasks', 'hours', 'zones'])).not.toThrow();
    expect(() => checkOptionsApply('swf', ['zones'])).toThrow(UsageError);
  });

  it('SWF takes --nodes and --instance: the jobs become gangs on those nodes, priced as the instance', async () => {
    const { summary, workload } = await runSpec({ ...base, workload: path.join(FIX, 'swf', 'sample.swf'), nodes: 6, instance: 'm5.2xlarge', explicit: ['nodes', 'instance'] });
    expect(workload.machines).toHaveLength(6);
    expect(workload.notes.join('\n')).toMatch(/gang of P one-processor tasks/);
    expect(summary.cost.pricing.rules).toEqual([{ rule: 'instance type', machines: 6 }]);
    expect(summary.tasks.submitted).toBe(4 + 8 + 16 + 2 + 32 + 1);
  });

  it('Azure takes --nodes and --instance: that many hosts of that shape', async () => {
    const { workload, summary } = await runSpec({ ...base, workload: path.join(FIX, 'azure', 'v1', 'vmtable.csv'), nodes: 3, instance: 'm5.4xlarge', explicit: ['nodes', 'instance'] });
    expect(workload.machines).toHaveLength(3);
    expect(workload.machines[0].capacity[0]).toBe(16_000);
    expect(summary.cost.pricing.rules).toEqual([{ rule: 'instance type', machines: 3 }]);
  });

  it('manifests with Node objects refuse --nodes; without them --nodes makes the nodes', async () => {
    const cluster = path.join(FIX, 'kubernetes', 'cluster');
    await expect(runSpec({ ...base, workload: cluster, explicit: ['nodes'] })).rejects.toThrow(/--nodes does not apply: the manifests define 4 Node objects/);
    await expect(runSpec({ ...base, workload: cluster, explicit: ['instance'] })).rejects.toThrow(/--instance does not apply: the manifests define 4 Node objects/);
    const spread = path.join(FIX, 'kubernetes', 'generated-nodes', 'spread.yaml');
    const { workload } = await runSpec({ ...base, workload: spread, nodes: 4, explicit: ['nodes'] });
    expect(workload.machines).toHaveLength(4);
  });

  it('on the command line: exit 2 and one line naming the option and why', () => {
    if (!existsSync(path.join(HERE, '..', 'dist', 'cli', 'main.js'))) return;
    const r = schedlab(['replay', '--workload', path.join(FIX, 'google-2011', 'trace'), '--nodes', '5', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['schedlab: --nodes does not apply to google-2011 workloads: the trace defines its machines (machine_events)']);
    const c = schedlab(['compare', '--workload', path.join(FIX, 'google-2011', 'trace'), '--instance', 'm5.large', '--policies', 'first-fit,best-fit']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--instance does not apply to google-2011 workloads/);
    const ok = schedlab(['replay', '--workload', path.join(FIX, 'swf', 'sample.swf'), '--nodes', '4', '--instance', 'm5.2xlarge', '--json', '--quiet']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).nodes.initial).toBe(4);
  });
});

describe('--instance without --nodes: nodes of that type, as many as the trace needs', () => {
  it('SWF: enough nodes for MaxProcs (32 processors on 8-vCPU nodes: 4)', async () => {
    const { workload } = await runSpec({ ...base, workload: path.join(FIX, 'swf', 'sample.swf'), instance: 'm5.2xlarge', explicit: ['instance'] });
    expect(workload.machines).toHaveLength(4);
    expect(workload.notes.join('\n')).toMatch(/machines: 4 nodes of m5\.2xlarge \(enough for the log's 32 processors \(MaxProcs\); --nodes to choose, --instance\)/);
  });

  it("Azure: enough hosts of that type for the recorded peak", async () => {
    // V1 fixture peak: 8 cores and 56 GiB at once (a3 alone), plus a1/a2 earlier; m5.4xlarge = 16 cores, 64 GiB.
    const { workload } = await runSpec({ ...base, workload: path.join(FIX, 'azure', 'v1', 'vmtable.csv'), instance: 'm5.4xlarge', explicit: ['instance'] });
    expect(workload.machines.every((m) => m.instanceType === 'm5.4xlarge')).toBe(true);
    expect(workload.notes.join('\n')).toMatch(/enough hosts of m5\.4xlarge \(--instance\) to hold the recorded peak/);
  });
});
