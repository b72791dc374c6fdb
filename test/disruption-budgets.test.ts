import { describe, expect, it } from 'vitest';
import { DisruptionBudgets } from '../harness/reactions/disruption-budgets.js';
import { StopCause } from '../harness/reactions/reaction-host.js';
import { UsageError } from '../model/errors.js';
import type { Workload } from '../model/workload.js';
import type { DisruptionBudget, IntOrPercent } from '../model/workload-controllers.js';
import { controller, preemptionCluster, type Pod } from './helpers/preemption-cluster.js';

const int = (value: number): IntOrPercent => ({ value, percent: false });
const pct = (value: number): IntOrPercent => ({ value, percent: true });

/** `replicas` pods of job 1 (a Deployment of `desired`), one per node, all running; one budget. */
function deployment(replicas: number, desired: number, budget: Omit<DisruptionBudget, 'name' | 'namespace' | 'jobs'>) {
  const pods: Pod[] = Array.from({ length: replicas }, (_, node): Pod => ({ cpu: 100, prio: 0, node, job: 1 }));
  return preemptionCluster({
    nodes: new Array<number>(Math.max(1, replicas)).fill(1000),
    pods,
    controllers: [undefined, controller({ desired })],
    budgets: [{ name: 'ns/pdb', namespace: 'ns', jobs: [1], ...budget }],
  });
}

describe('PodDisruptionBudgets at run time (pkg/controller/disruption)', () => {
  it('minAvailable as an integer: desiredHealthy is that number', () => {
    const { budgets } = deployment(5, 5, { minAvailable: int(3) });
    expect(budgets.expected(0)).toBe(5);
    expect(budgets.desired(0)).toBe(3);
    expect(budgets.currentHealthy(0)).toBe(5);
    expect(budgets.allowed(0)).toBe(2);
  });

  it('minAvailable as a percentage of the expected pods, rounded up', () => {
    // 50 % of 5 = 2.5 → 3.
    const { budgets } = deployment(5, 5, { minAvailable: pct(50) });
    expect(budgets.desired(0)).toBe(3);
    expect(budgets.allowed(0)).toBe(2);
  });

  it('maxUnavailable as an integer and as a percentage (rounded up): desiredHealthy = expected − it', () => {
    expect(deployment(5, 5, { maxUnavailable: int(1) }).budgets.desired(0)).toBe(4);
    // 30 % of 5 = 1.5 → 2 unavailable → 3 desired.
    const p = deployment(5, 5, { maxUnavailable: pct(30) }).budgets;
    expect(p.desired(0)).toBe(3);
    expect(p.allowed(0)).toBe(2);
    // More unavailable than expected: desiredHealthy stays at 0.
    expect(deployment(2, 2, { maxUnavailable: int(5) }).budgets.desired(0)).toBe(0);
  });

  it('expected pods come from the controller (desired), not from the pods running', () => {
    // 4 desired, only 2 running: 50 % minAvailable → 2 desired healthy, 0 allowed.
    const { budgets } = deployment(2, 4, { minAvailable: pct(50) });
    expect(budgets.expected(0)).toBe(4);
    expect(budgets.allowed(0)).toBe(0);
  });

  it('healthy follows starts, stops, node crashes and recoveries', () => {
    const { host, budgets } = deployment(3, 3, { maxUnavailable: int(1) });
    expect(budgets.allowed(0)).toBe(1);
    host.stopTask(0, StopCause.EvictedByKubelet);
    expect(budgets.currentHealthy(0)).toBe(2);
    expect(budgets.allowed(0)).toBe(0);
    host.setNodeDown(1, true);
    expect(budgets.currentHealthy(0)).toBe(1);
    expect(budgets.allowed(0)).toBe(-1);
    host.setNodeDown(1, false);
    expect(budgets.currentHealthy(0)).toBe(2);
    host.enqueue(0);
    host.startOn(0, 0);
    expect(budgets.currentHealthy(0)).toBe(3);
    // A pod started on a crashed node is not healthy.
    host.stopTask(2, StopCause.EvictedByKubelet);
    host.setNodeDown(2, true);
    host.enqueue(2);
    host.startOn(2, 2);
    expect(budgets.currentHealthy(0)).toBe(2);
    host.setNodeDown(2, false);
    expect(budgets.currentHealthy(0)).toBe(3);
  });

  it('a pod asked to terminate stops counting at once, and does not come back on recovery', () => {
    const { host, budgets } = deployment(2, 2, { minAvailable: int(1) });
    budgets.terminating(0);
    expect(budgets.currentHealthy(0)).toBe(1);
    host.setNodeDown(0, true);
    host.setNodeDown(0, false);
    expect(budgets.currentHealthy(0)).toBe(1);
    host.stopTask(0, StopCause.Preempted);
    expect(budgets.currentHealthy(0)).toBe(1);
  });

  it('a job without a known controller: its started pods are the expected count', () => {
    const pods: Pod[] = [0, 1, 2].map((node): Pod => ({ cpu: 100, prio: 0, node, job: 1 }));
    const { budgets } = preemptionCluster({ nodes: [1000, 1000, 1000], pods, budgets: [{ name: 'ns/p', namespace: 'ns', jobs: [1], maxUnavailable: pct(34) }] });
    expect(budgets.expected(0)).toBe(3);
    expect(budgets.desired(0)).toBe(1); // ⌈0.34 · 3⌉ = 2 unavailable
  });

  it('a pod selected by two budgets counts in both; budgetsOf lists them', () => {
    const c = preemptionCluster({
      nodes: [1000],
      pods: [{ cpu: 100, prio: 0, node: 0, job: 1 }],
      controllers: [undefined, controller()],
      budgets: [
        { name: 'ns/a', namespace: 'ns', jobs: [1], minAvailable: int(0) },
        { name: 'ns/b', namespace: 'ns', jobs: [1, 2], minAvailable: int(1) },
      ],
    });
    expect(c.budgets.budgetsOf(0)).toEqual([0, 1]);
    expect(c.budgets.allowed(0)).toBe(1);
    expect(c.budgets.allowed(1)).toBe(0);
  });

  it('a budget selecting nothing is accepted with a counted warning, and allows nothing', () => {
    const c = preemptionCluster({ nodes: [1000], pods: [], budgets: [{ name: 'ns/none', namespace: 'ns', jobs: [], minAvailable: int(1) }] });
    expect(c.workload.notes.some((n) => n.includes('1 PodDisruptionBudget(s) select no pods') && n.includes('ns/none'))).toBe(true);
    expect(c.budgets.allowed(0)).toBeLessThanOrEqual(0);
  });

  it('bad budgets: one line naming the budget and the field', () => {
    const make = (b: Partial<DisruptionBudget>) => () =>
      new DisruptionBudgets({ notes: [], disruptionBudgets: [{ name: 'ns/x', namespace: 'ns', jobs: [0], ...b }] } as unknown as Workload);
    expect(make({ minAvailable: int(1), maxUnavailable: int(1) })).toThrow(UsageError);
    expect(make({})).toThrow('PodDisruptionBudget ns/x: set exactly one of spec.minAvailable and spec.maxUnavailable');
    expect(make({ minAvailable: pct(150) })).toThrow('PodDisruptionBudget ns/x (spec.minAvailable): expected a non-negative integer or a percentage 0–100%, got 150%');
    expect(make({ maxUnavailable: int(-1) })).toThrow(/spec\.maxUnavailable.*got -1/);
  });
});
