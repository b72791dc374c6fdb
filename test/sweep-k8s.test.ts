import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CLI, ROOT, schedlab, spawn } from './helpers/cli.js';
import { jobName } from '../harness/sweep/distributed/k8s-job.js';
import { filesUnder } from './helpers/files-under.js';

/** 2 policies × 3 seeds = 6 small cells. */
const CONFIG = `# a sweep run as a Kubernetes Indexed Job
name: K8s Test
policies: [first-fit, best-fit]
seeds: 3
nodes: 20
tasks: 1000
hours: 4
`;
const CELLS = 6;

/** The compiled CLI, asynchronously (several pods at once). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('schedlab sweep --emit k8s-job, --cell-index, --collect', () => {
  it('writes an Indexed Job whose pods each run one cell; the cells run index by index and collected give the local sweep\'s files byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-k8s-'));
    const config = join(dir, 'sweep.yaml');
    writeFileSync(config, CONFIG);

    const emit = schedlab(['sweep', '--config', config, '--emit', 'k8s-job', '--out', join(dir, 'k8s'), '--parallelism', '4', '--pvc', 'sweep-results', '--image', 'registry.example/schedlab:0.1.0', '--data-pvc', 'traces']);
    expect(emit.code, emit.stderr).toBe(0);
    expect(emit.stdout).toContain(`Indexed Job 'schedlab-k8s-test' of ${CELLS} cells, 4 at a time`);
    const docs = parseAllDocuments(readFileSync(join(dir, 'k8s', 'job.yaml'), 'utf8'));
    expect(Array.isArray(docs)).toBe(true);
    const [cm, job] = (docs as Array<{ toJS: () => unknown; errors: unknown[] }>).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS() as Record<string, any>;
    });
    expect(docs).toHaveLength(2);
    expect(cm).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'schedlab-k8s-test-config' }, data: { 'sweep.yaml': CONFIG } });
    expect(job).toMatchObject({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'schedlab-k8s-test' },
      spec: {
        completionMode: 'Indexed',
        completions: CELLS,
        parallelism: 4,
        backoffLimitPerIndex: 2,
        podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { containerName: 'cell', operator: 'In', values: [2] } }] },
        template: { spec: { restartPolicy: 'Never' } },
      },
    });
    const pod = job.spec.template.spec;
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0];
    expect(c).toMatchObject({ name: 'cell', image: 'registry.example/schedlab:0.1.0', command: ['schedlab'] });
    // The index: the pod's completion-index annotation, through an env variable, into --cell-index.
    const env = c.env.find((e: { name: string }) => c.args.includes(`$(${e.name})`));
    expect(env.valueFrom.fieldRef.fieldPath).toBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    expect(c.args.slice(0, 1)).toEqual(['sweep']);
    const arg = (flag: string) => c.args[c.args.indexOf(flag) + 1];
    expect(arg('--cell-index')).toBe(`$(${env.name})`);
    // --config is the ConfigMap's key where its volume is mounted; --out is where the claim is mounted.
    const mount = (volume: string) => c.volumeMounts.find((m: { name: string }) => m.name === volume);
    const volume = (name: string) => pod.volumes.find((v: { name: string }) => v.name === name);
    const configVolume = pod.volumes.find((v: { configMap?: { name: string } }) => v.configMap?.name === cm.metadata.name);
    expect(arg('--config')).toBe(`${mount(configVolume.name).mountPath}/sweep.yaml`);
    const resultsVolume = pod.volumes.find((v: { persistentVolumeClaim?: { claimName: string } }) => v.persistentVolumeClaim?.claimName === 'sweep-results');
    expect(arg('--out')).toBe(mount(resultsVolume.name).mountPath);
    expect(mount(resultsVolume.name).readOnly).not.toBe(true);
    expect(mount('data')).toMatchObject({ mountPath: '/data', readOnly: true });
    expect(volume('data')).toMatchObject({ persistentVolumeClaim: { claimName: 'traces', readOnly: true } });

    // What each pod would run, index by index, into one folder (several at once, as pods on one volume).
    const results = join(dir, 'results');
    const podArgs = (i: number) => ['sweep', '--config', config, '--cell-index', String(i), '--out', results, '--quiet'];
    const first = await Promise.all([0, 1, 2, 3, 4].map((i) => cli(podArgs(i))));
    for (const r of first) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^schedlab sweep: cell \d of 6 done in [\d.]+ s: .*cells\/[0-9a-f]{64}\.json\n$/);
    }
    // A cell missing: --collect says which, and writes no table.
    const early = schedlab(['sweep', '--collect', results]);
    expect(early.code).toBe(2);
    expect(early.stderr).toBe(`schedlab: --collect: 1 of 6 cells have no result in ${join(results, 'cells')} (indexes 5); rerun those indexes (schedlab sweep --config F --cell-index I --out ${results}) or wait for the Job to finish\n`);
    expect(readdirSync(results).sort()).toEqual(['cells', 'sweep.json']);
    expect((await cli(podArgs(5))).code).toBe(0);
    // A retried pod finds its cell done.
    const again = await cli(podArgs(2));
    expect(again.stdout).toMatch(/^schedlab sweep: cell 2 of 6 already done, not rerun: /);
    const outOfRange = schedlab(podArgs(6));
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toBe('schedlab: --cell-index: expected 0 to 5 (the sweep has 6 cells), got 6\n');

    const collect = schedlab(['sweep', '--collect', results]);
    expect(collect.code, collect.stderr).toBe(0);
    expect(collect.stdout).toContain(`${CELLS} cells collected`);
    const local = join(dir, 'local');
    const threads = schedlab(['sweep', '--config', config, '--out', local, '--threads', '2', '--quiet']);
    expect(threads.code, threads.stderr).toBe(0);
    const names = filesUnder(local).filter((f) => f !== 'timing.json').sort();
    expect(filesUnder(results).filter((f) => f !== 'timing.json').sort()).toEqual(names);
    expect(names).toEqual(expect.arrayContaining(['cells.csv', 'groups.csv', 'groups.parquet', 'sweep.json', 'report.md']));
    for (const f of names) expect(readFileSync(join(results, f)).equals(readFileSync(join(local, f))), f).toBe(true);
    expect(JSON.parse(readFileSync(join(results, 'timing.json'), 'utf8'))).toMatchObject({ mode: 'collect', ran: 0, resumed: CELLS });

    // Collected once; a local sweep's folder is not a --cell-index folder.
    expect(schedlab(['sweep', '--collect', results]).stderr).toBe(`schedlab: --collect: '${results}' is already merged (cells.csv, groups.csv and the report are there)\n`);
  }, 180_000);

  it('refuses options of another mode, and names that Kubernetes would not take', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-k8s-bad-'));
    const config = join(dir, 'sweep.yaml');
    writeFileSync(config, CONFIG);
    const cases: Array<[string[], string]> = [
      [['--emit', 'k8s-job', '--queue', 'redis://:pw12345@h:1'], '--queue: does not apply with --emit (which writes a Job and runs nothing)'],
      [['--pvc', 'x'], '--pvc: applies only with --emit k8s-job'],
      [['--cell-index', '1', '--threads', '2'], '--threads: does not apply with --cell-index (which runs one cell here)'],
      [['--attempts', '2'], '--attempts: applies only with --queue'],
      [['--emit', 'k8s-job', '--job-name', 'Not_A_Name'], "--job-name: 'Not_A_Name' is not a Kubernetes name (lower-case letters, digits and '-', at most 52 characters); e.g. 'not-a-name'"],
      [['--cell-index', '-1'], "--cell-index: expected a whole number from 0 to 4294967295, got '-1'"],
    ];
    for (const [extra, message] of cases) {
      const r = schedlab(['sweep', '--config', config, '--out', join(dir, 'o'), ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toBe(`schedlab: ${message}\n`);
    }
    expect(schedlab(['sweep', '--collect', dir, '--config', config]).stderr).toBe("schedlab: --config: does not apply with --collect (which takes the grid from the folder's sweep.json)\n");
    expect(schedlab(['sweep', '--collect', dir]).stderr).toMatch(/^schedlab: --collect: '.*' has no readable sweep.json: /);
    expect(schedlab(['sweep', '--out', dir]).stderr).toBe('schedlab: --config: required (see schedlab sweep --help)\n');
    expect(readdirSync(dir)).toEqual(['sweep.yaml']);
    expect(jobName('My Sweep: FGD/2024!')).toBe('my-sweep-fgd-2024');
    expect(jobName('---')).toBe('schedlab-sweep');
    expect(jobName('x'.repeat(80))).toHaveLength(52);
  }, 60_000);
});
