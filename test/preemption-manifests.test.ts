import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { runSpec, type ReplaySpec } from '../harness/replay-spec.js';
import { TaskStatus } from '../model/task-status.js';
import { ReactionCause } from '../reports/reaction-results.js';

/**
 * Preemption from manifests to the result (reader → controllers → budgets → preemption → the
 * simulator): one m5.2xlarge (8 CPUs), a `batch` pod (3 CPUs, priority 10, preemptionPolicy Never,
 * terminationGracePeriodSeconds 45) and a `web` pod (3 CPUs, priority 5), and at 00:05 a CronJob
 * pod of priority 100000 needing 4 CPUs: 2 are free, so one 3-CPU pod must go.
 * Hand-written fixture: test/fixtures/preemption/.
 */
const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'preemption');
const CRON_AT = 300e6;
const RUNS_FOR = 600e6;

function spec(workload: string): ReplaySpec {
  return { workload, policy: 'kube-framework', seed: 1, nodes: 1, tasks: 100, hours: 1, instance: 'm5.2xlarge', explicit: ['nodes', 'hours'] };
}

async function run(workload: string) {
  const { result, workload: w } = await runSpec(spec(workload));
  const byName = (prefix: string) => {
    for (let i = 0; i < result.tasks.count; i++) if (w.jobs[result.tasks.job[i]].startsWith(prefix)) return i;
    throw new Error(`no task of ${prefix}`);
  };
  return { result, batch: byName('Deployment/shop/batch'), web: byName('Deployment/shop/web'), report: byName('CronJob/shop/report') };
}

describe('preemption on manifests (PriorityClasses, a PodDisruptionBudget, a CronJob)', () => {
  it('without a budget the lowest-priority pod goes, after its default 30 s grace; its replacement cannot preempt back', async () => {
    const { result, batch, web, report } = await run(path.join(DIR, 'priorities.yaml'));
    const t = result.tasks;
    expect(t.start[report]).toBe(CRON_AT + 30e6);
    expect(t.attempts[batch]).toBe(1); // untouched
    // The web pod was recreated by its Deployment at once and waited for the CronJob pod to end.
    expect(t.attempts[web]).toBe(2);
    expect(t.start[web]).toBe(CRON_AT + 30e6 + RUNS_FOR);
    const p = result.reactions!.preemption!;
    expect([p.preemptions, p.victims, p.pdbViolations]).toEqual([1, 1, 0]);
    const ev = result.reactions!.events;
    const rows = Array.from({ length: ev.length }, (_, i) => i).filter((i) => ev.cause[i] === ReactionCause.Preempted);
    expect(rows.map((i) => [ev.task[i], ev.time[i], ev.amount[i], ev.duration[i]])).toEqual([[web, CRON_AT + 30e6, 330, 30]]);
  });

  it('with a budget on web (minAvailable 1) the more important batch pod goes instead, after its own 45 s', async () => {
    const { result, batch, web, report } = await run(DIR);
    const t = result.tasks;
    expect(t.start[report]).toBe(CRON_AT + 45e6);
    expect(t.attempts[web]).toBe(1);
    expect(t.status[web]).toBe(TaskStatus.Running);
    // batch's replacement has preemptionPolicy Never: it waits (counted) for the CronJob pod to end.
    expect(t.attempts[batch]).toBe(2);
    expect(t.start[batch]).toBe(CRON_AT + 45e6 + RUNS_FOR);
    const p = result.reactions!.preemption!;
    expect([p.preemptions, p.victims, p.pdbViolations, p.neverPolicySkipped]).toEqual([1, 1, 0, 1]);
    expect(p.lostWorkSecondsByBand.reduce((a, b) => a + b, 0)).toBe(345);
  });
});
