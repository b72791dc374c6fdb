import { FakeReactionHost } from './fake-reaction-host.js';
import { allocTaskBatch } from '../../model/task-batch.js';
import { DEFAULT_RESOURCES } from '../../model/resources.js';
import { TaskStatus } from '../../model/task-status.js';
import type { Workload } from '../../model/workload.js';
import type { PriorityScale } from '../../model/priority-bands.js';
import type { DisruptionBudget, JobController } from '../../model/workload-controllers.js';
import type { PlacementConstraints, Taint } from '../../model/placement-constraints.js';
import type { Policy } from '../../algorithms/policy.js';
import type { TaskView } from '../../model/task-view.js';
import { createPreemption, DEFAULT_TERMINATION_GRACE, type PreemptionMode } from '../../harness/reactions/preemption-reaction.js';
import { DisruptionBudgets } from '../../harness/reactions/disruption-budgets.js';
import type { ReactionsResults } from '../../reports/reaction-results.js';

/** A pod: running on `node` from time `at` (µs), or pending when `node` is undefined. CPU only (millicores). */
export interface Pod {
  cpu: number;
  prio: number;
  node?: number;
  at?: number;
  job?: number;
}

export interface PreemptionSetup {
  mode?: PreemptionMode;
  /** CPU millicores per node. */
  nodes: number[];
  pods: Pod[];
  priorityScale?: PriorityScale;
  controllers?: Array<JobController | undefined>;
  budgets?: DisruptionBudget[];
  constraints?: Array<PlacementConstraints | undefined>;
  labels?: Array<Record<string, string>>;
  taints?: Array<Taint[] | undefined>;
  policy?: Policy;
  seed?: number;
}

/** A policy that never places anything (preemption alone is under test). */
export const NO_POLICY: Policy = { name: 'none', select: () => -1 };

export function controller(over: Partial<JobController> = {}): JobController {
  return {
    kind: 'Deployment',
    name: 'ns/app',
    namespace: 'ns',
    desired: 1,
    restartPolicy: 'Always',
    terminationGracePeriod: DEFAULT_TERMINATION_GRACE,
    preemptionPolicy: 'PreemptLowerPriority',
    ...over,
  };
}

/**
 * A hand-built cluster on the fake reaction host with disruption budgets and preemption
 * registered; the running pods are started in order of `at` (each on its node, the policy told).
 */
export function preemptionCluster(s: PreemptionSetup) {
  const D = 3;
  const workload: Workload = {
    name: 'preemption-test',
    resources: DEFAULT_RESOURCES,
    machines: s.nodes.map((cpu, i) => ({
      id: `n${i}`,
      capacity: [cpu, 1e12, 0],
      instanceType: 'test',
      labels: s.labels?.[i] ?? { 'kubernetes.io/hostname': `n${i}` },
      taints: s.taints?.[i],
    })),
    machineEvents: [],
    jobs: ['j0', 'j1', 'j2', 'j3', 'j4', 'j5'],
    users: [],
    notes: [],
    priorityScale: s.priorityScale ?? 'kubernetes',
    controllers: s.controllers,
    disruptionBudgets: s.budgets,
    jobConstraints: s.constraints,
    taskBatches: async function* () {},
  };
  const b = allocTaskBatch(s.pods.length, D);
  s.pods.forEach((p, i) => {
    b.request[i * D] = p.cpu;
    b.request[i * D + 1] = 0;
    b.priority[i] = p.prio;
    b.job[i] = p.job ?? 0;
    b.taskIndex[i] = i;
    b.duration[i] = NaN;
  });
  const host = new FakeReactionHost(workload, [b], s.seed ?? 1);
  const budgets = new DisruptionBudgets(workload);
  const policy = s.policy ?? NO_POLICY;
  const preemption = createPreemption(s.mode ?? 'kube', workload, budgets, policy);
  host.use(budgets, preemption);
  const order = s.pods.map((p, i) => ({ p, i })).filter((x) => x.p.node !== undefined);
  order.sort((a, c) => (a.p.at ?? 0) - (c.p.at ?? 0) || a.i - c.i);
  for (const { p, i } of order) {
    host.advanceTo(Math.max(host.now(), p.at ?? 0));
    host.startOn(i, p.node!);
    policy.onBind?.(viewOf(host, workload, i), p.node!, host.cluster);
  }
  const report = (): NonNullable<ReactionsResults['preemption']> => {
    const out: ReactionsResults = { settings: {}, events: { length: 0 } as never };
    preemption.finish!(host.now(), out);
    return out.preemption!;
  };
  /** Submits pending pod `i` (if it is not queued) and offers it to preemption as after a failed pass. */
  const preempt = (i: number): boolean => {
    if (host.tasks.status[i] === TaskStatus.Pending && !host.pendingSet.has(i)) host.submit(i);
    return host.unplaced(i);
  };
  return { host, workload, budgets, preemption, report, preempt };
}

export function viewOf(host: FakeReactionHost, w: Workload, i: number): TaskView {
  const D = host.tasks.dims;
  return {
    id: i,
    request: host.tasks.request.subarray(i * D, i * D + D),
    priority: host.tasks.priority[i],
    job: host.tasks.job[i],
    user: -1,
    missingRequest: false,
    constraints: w.jobConstraints?.[host.tasks.job[i]],
    duration: NaN,
  };
}

/** Tasks in their graceful termination now. */
export function terminating(host: FakeReactionHost): number[] {
  const out: number[] = [];
  for (let t = 0; t < host.tasks.count; t++) if (host.isTerminating(t)) out.push(t);
  return out;
}
