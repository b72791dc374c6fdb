import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKubernetesManifests, type KubernetesReadOptions } from '../workloads/kubernetes/reader.js';
import { InputError, UsageError } from '../model/errors.js';
import type { Workload } from '../model/workload.js';
import { GiB } from '../model/units.js';

/**
 * CronJobs in the Kubernetes reader: one Job per schedule time in the window, arriving at its
 * time, with the CronJob's concurrencyPolicy (cronjob_controllerv2.go). Expected times are the
 * schedule worked out by hand from t = 0 = 1970-01-01T00:00:00Z.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, 'fixtures', 'kubernetes-reactions', 'cronjob-and-web.yaml');
const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-k8s-cron-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const S = 1e6;
const SHAPE: KubernetesReadOptions = { nodes: 2, nodeShape: { cpuMillicores: 4000, memoryBytes: 16 * GiB }, instanceType: 'm5.xlarge' };

let n = 0;
async function read(yaml: string, options: KubernetesReadOptions = SHAPE): Promise<Workload> {
  const file = path.join(dir, `c${n++}.yaml`);
  writeFileSync(file, yaml);
  return readKubernetesManifests(file, options);
}

async function tasks(w: Workload) {
  const out: Array<{ job: string; submit: number; duration: number; kill: number }> = [];
  for await (const b of w.taskBatches()) {
    for (let i = 0; i < b.count; i++) out.push({ job: w.jobs[b.job[i]], submit: b.submitTime[i], duration: b.duration[i], kill: b.killTime?.[i] ?? NaN });
  }
  return out;
}

/** A CronJob whose Job runs one pod for `seconds` (annotated; none = unknown). */
function cronJob(o: { schedule: string; policy?: string; seconds?: number; extra?: string; jobSpec?: string; podSpec?: string }): string {
  return `apiVersion: batch/v1
kind: CronJob
metadata: {name: tick, namespace: ops}
spec:
  schedule: ${JSON.stringify(o.schedule)}
${o.policy ? `  concurrencyPolicy: ${o.policy}\n` : ''}${o.extra ?? ''}  jobTemplate:
    spec:
${o.jobSpec ?? ''}      template:
${o.seconds !== undefined ? `        metadata: {annotations: {schedlab.io/duration-seconds: "${o.seconds}"}}\n` : ''}        spec:
          restartPolicy: ${o.podSpec ?? 'Never'}
          containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]
`;
}

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
};

describe('a CronJob makes one Job per schedule time in the window', async () => {
  const w = await readKubernetesManifests(FIXTURE, SHAPE);
  const ts = await tasks(w);

  it('runs at 20 and 40 minutes (the first after t = 0; 60 min is the window end), each Job its own workload job with two pods', () => {
    expect(w.jobs).toEqual(['Deployment/batch/web', 'CronJob/batch/report@1970-01-01T00:20:00Z', 'CronJob/batch/report@1970-01-01T00:40:00Z']);
    expect(ts.map((t) => [t.job, t.submit / S, t.duration / S])).toEqual([
      ['Deployment/batch/web', 0, NaN],
      ['Deployment/batch/web', 0, NaN],
      ['Deployment/batch/web', 0, NaN],
      ['CronJob/batch/report@1970-01-01T00:20:00Z', 1200, 600],
      ['CronJob/batch/report@1970-01-01T00:20:00Z', 1200, 600],
      ['CronJob/batch/report@1970-01-01T00:40:00Z', 2400, 600],
      ['CronJob/batch/report@1970-01-01T00:40:00Z', 2400, 600],
    ]);
    expect(w.expectedTasks).toBe(7);
  });

  it("each run's controller is the CronJob's, named with the run's time, with its Job template's fields", () => {
    expect(w.controllers?.[1]).toEqual({
      kind: 'CronJob',
      name: 'batch/report@1970-01-01T00:20:00Z',
      namespace: 'batch',
      desired: 2,
      restartPolicy: 'OnFailure',
      terminationGracePeriod: 5 * S,
      preemptionPolicy: 'PreemptLowerPriority',
      movable: true,
      backoffLimit: 6,
      completions: 2,
      parallelism: 2,
    });
    expect(w.controllers?.[0]).toMatchObject({ kind: 'Deployment', name: 'batch/web', desired: 3, restartPolicy: 'Always' });
    expect(w.notes).toContain('CronJob batch/report: schedule "*/20 * * * *" (UTC), concurrencyPolicy Allow: 2 schedule times in the window, 2 Jobs');
  });

  it('merges the runs into the arrival order by time', async () => {
    const spaced = await readKubernetesManifests(FIXTURE, { ...SHAPE, arrival: { interarrivalSeconds: 1000 } });
    expect((await tasks(spaced)).map((t) => t.submit / S)).toEqual([0, 1000, 1200, 1200, 2000, 2400, 2400]);
  });

  it('reads the schedule from the wall-clock startTime', async () => {
    const w9 = await read(cronJob({ schedule: '0 9 * * *' }), { ...SHAPE, startTime: '2024-03-04T08:30:00Z', horizonSeconds: 2 * 3600 });
    expect(w9.jobs).toEqual(['CronJob/ops/tick@2024-03-04T09:00:00Z']);
    expect((await tasks(w9)).map((t) => t.submit / S)).toEqual([1800]);
    await expect(read(cronJob({ schedule: '0 9 * * *' }), { ...SHAPE, startTime: '2024-03-04 08:30' })).rejects.toThrow(UsageError);
  });

  it('suspend: true makes no Job', async () => {
    const s = await read(cronJob({ schedule: '*/5 * * * *', extra: '  suspend: true\n' }));
    expect(s.jobs).toEqual([]);
    expect(s.notes).toContain('CronJob ops/tick: schedule "*/5 * * * *" (UTC), concurrencyPolicy Allow: suspended, no Jobs');
  });
});

describe('concurrencyPolicy', () => {
  // Every 10 minutes (600, 1200, 1800, 2400, 3000 s in a 1-h window); each Job runs 25 minutes.
  const every10 = (policy: string, extra = '', jobSpec = '') => cronJob({ schedule: '*/10 * * * *', policy, seconds: 1500, extra, jobSpec });

  it('Allow: every run, overlapping', async () => {
    const w = await read(every10('Allow'));
    expect((await tasks(w)).map((t) => t.submit / S)).toEqual([600, 1200, 1800, 2400, 3000]);
  });

  it('Forbid: a run during the active Job waits; when it ends the latest missed run starts, older ones are lost', async () => {
    // @600 ends at 2100; 1200 and 1800 are missed, 1800 starts at 2100 (ends 3600); 2400 and 3000
    // are missed and the window ends with that Job.
    const w = await read(every10('Forbid'));
    expect(w.jobs).toEqual(['CronJob/ops/tick@1970-01-01T00:10:00Z', 'CronJob/ops/tick@1970-01-01T00:30:00Z']);
    expect((await tasks(w)).map((t) => t.submit / S)).toEqual([600, 2100]);
    expect(w.notes).toContain('CronJob ops/tick: schedule "*/10 * * * *" (UTC), concurrencyPolicy Forbid: 5 schedule times in the window, 2 Jobs, 1 started late (the previous Job still ran), 3 skipped (Forbid: the previous Job still ran)');
  });

  it('Forbid with startingDeadlineSeconds: a late start past the deadline is dropped', async () => {
    // At 2100 the missed 1800 run is 300 s late > 200 s: dropped; 2400 then runs on time.
    const w = await read(every10('Forbid', '  startingDeadlineSeconds: 200\n'));
    expect((await tasks(w)).map((t) => [t.job, t.submit / S])).toEqual([
      ['CronJob/ops/tick@1970-01-01T00:10:00Z', 600],
      ['CronJob/ops/tick@1970-01-01T00:40:00Z', 2400],
    ]);
    expect(w.notes.join('\n')).toContain('2 Jobs, 2 skipped (Forbid: the previous Job still ran), 1 late starts dropped (startingDeadlineSeconds passed)');
  });

  it('Forbid without a known run time: the first Job never ends, so no other starts', async () => {
    const w = await read(cronJob({ schedule: '*/10 * * * *', policy: 'Forbid' }));
    expect(w.jobs).toEqual(['CronJob/ops/tick@1970-01-01T00:10:00Z']);
    expect(w.notes.join('\n')).toContain('(the Job run time is unknown: a Job is taken to run until the end)');
  });

  it("Replace: each run deletes the still-active previous Job, whose pods are killed at the run's time", async () => {
    const w = await read(every10('Replace'));
    expect((await tasks(w)).map((t) => [t.submit / S, t.kill / S])).toEqual([
      [600, 1200],
      [1200, 1800],
      [1800, 2400],
      [2400, 3000],
      [3000, NaN],
    ]);
  });

  it("Replace: a Job that ended (its activeDeadlineSeconds) is not replaced; its deadline kills its pods", async () => {
    const w = await read(every10('Replace', '', '      activeDeadlineSeconds: 300\n'));
    expect((await tasks(w)).map((t) => [t.submit / S, t.kill / S])).toEqual([
      [600, 900],
      [1200, 1500],
      [1800, 2100],
      [2400, 2700],
      [3000, 3300],
    ]);
    expect(w.controllers?.[0]?.activeDeadline).toBe(300 * S);
  });
});

describe('CronJobs the API server rejects, or the reader cannot model', () => {
  it('an invalid schedule names the field and line, with robfig\'s message', async () => {
    const e = await errorOf(read(cronJob({ schedule: '61 * * * *' })));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/c\d+\.yaml line 5 \(spec\.schedule\): invalid schedule "61 \* \* \* \*": end of range \(61\) above maximum \(59\): 61$/);
  });

  it('TZ or CRON_TZ in the schedule is refused, as the API server does', async () => {
    const e = await errorOf(read(cronJob({ schedule: 'CRON_TZ=UTC 0 * * * *' })));
    expect(e.message).toContain('(spec.schedule): expected a schedule without TZ or CRON_TZ (cannot use TZ or CRON_TZ in schedule, use timeZone field instead)');
  });

  it('timeZone: UTC and its aliases are read; another zone is not modeled', async () => {
    expect((await read(cronJob({ schedule: '@hourly', extra: '  timeZone: Etc/UTC\n' }), { ...SHAPE, horizonSeconds: 7200 })).jobs).toEqual(['CronJob/ops/tick@1970-01-01T01:00:00Z']);
    const e = await errorOf(read(cronJob({ schedule: '@hourly', extra: '  timeZone: Europe/Paris\n' })));
    expect(e.message).toMatch(/line 6 \(spec\.timeZone\): expected UTC \(or unset\): other time zones, with their daylight saving, are not modeled, got "Europe\/Paris"$/);
  });

  it("the Job template's restartPolicy must be OnFailure or Never", async () => {
    const e = await errorOf(read(cronJob({ schedule: '@hourly', podSpec: 'Always' })));
    expect(e.message).toContain("(spec.jobTemplate.spec.template.spec.restartPolicy): expected OnFailure or Never (a Job's pods may not restart Always, the default the API server would give), got \"Always\"");
  });

  it('an unknown concurrencyPolicy names the field', async () => {
    const e = await errorOf(read(cronJob({ schedule: '@hourly', policy: 'Sometimes' })));
    expect(e.message).toContain('(spec.concurrencyPolicy): expected one of Allow, Forbid, Replace, got "Sometimes"');
  });

  it('more than a million runs in the window is refused (a typo or a mismatched window)', async () => {
    const e = await errorOf(read(cronJob({ schedule: '@every 1s' }), { ...SHAPE, horizonSeconds: 1_000_002 }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toContain('(spec.schedule): schedule "@every 1s" makes more than 1,000,000 runs in the 1000002-s window');
  });
});
