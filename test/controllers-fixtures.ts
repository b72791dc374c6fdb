import { allocTaskBatch, type TaskBatch } from '../model/task-batch.js';
import type { Workload } from '../model/workload.js';
import type { JobController } from '../model/workload-controllers.js';
import type { PlacementConstraints } from '../model/placement-constraints.js';
import { DEFAULT_RESOURCES } from '../model/resources.js';
import { FakeReactionHost } from './helpers/fake-reaction-host.js';
import { createControllers } from '../harness/controllers/controller-reaction.js';
import type { Reaction } from '../harness/reactions/reaction-host.js';

export const S = 1e6;

export interface FixtureJob {
  /** The controller (name, desired and the defaults filled in when absent); undefined = no controller. */
  c?: Partial<JobController> & Pick<JobController, 'kind'>;
  pods: number;
  /** Run time of each pod, µs (default 1000 s). */
  duration?: number;
  /** CPU request, millicores (default 1000). */
  cpu?: number;
  constraints?: PlacementConstraints;
}

/**
 * A workload of controller jobs written by hand: `nodes` nodes of 4 cores / 16 GiB (ids n0, n1,
 * …), job i's pods submitted at 0 with task index 0..pods-1, its controller filled with the API
 * defaults (Always, 30 s grace, desired = its pods) where the test leaves them out.
 */
export function controlledWorkload(nodes: number, jobs: FixtureJob[], extra: Partial<Workload> = {}): { workload: Workload; batch: TaskBatch } {
  const D = DEFAULT_RESOURCES.names.length;
  const total = jobs.reduce((n, j) => n + j.pods, 0);
  const b = allocTaskBatch(total, D);
  let i = 0;
  jobs.forEach((j, job) => {
    for (let p = 0; p < j.pods; p++, i++) {
      b.submitTime[i] = 0;
      b.duration[i] = j.duration ?? 1000 * S;
      b.request[i * D] = j.cpu ?? 1000;
      b.request[i * D + 1] = 1024 ** 3;
      b.request[i * D + 2] = 0;
      b.job[i] = job;
      b.taskIndex[i] = p;
      b.usageFraction.fill(0.5, i * D, i * D + D);
    }
  });
  const controllers = jobs.map((j, job): JobController | undefined =>
    j.c === undefined
      ? undefined
      : {
          name: `default/job${job}`,
          namespace: 'default',
          desired: j.pods,
          restartPolicy: 'Always',
          terminationGracePeriod: 30 * S,
          preemptionPolicy: 'PreemptLowerPriority',
          ...j.c,
        },
  );
  const workload: Workload = {
    name: 'controllers-fixture',
    resources: DEFAULT_RESOURCES,
    machines: Array.from({ length: nodes }, (_, n) => ({ id: `n${n}`, capacity: [4000, 16 * 1024 ** 3, 0], instanceType: 'test' })),
    machineEvents: [],
    jobs: jobs.map((_, job) => `job${job}`),
    users: [],
    notes: [],
    taskBatches: async function* () {
      yield b;
    },
    controllers,
    jobConstraints: jobs.map((j) => j.constraints),
    ...extra,
  };
  return { workload, batch: b };
}

/** A fake host with the controllers on, every task of the batch appended (not yet submitted). */
export function hostWithControllers(nodes: number, jobs: FixtureJob[], opts: { seed?: number; extra?: Partial<Workload>; before?: Reaction[] } = {}): { host: FakeReactionHost; controllers: Reaction; workload: Workload } {
  const { workload, batch } = controlledWorkload(nodes, jobs, opts.extra);
  const host = new FakeReactionHost(workload, [batch], opts.seed ?? 1);
  const controllers = createControllers(workload, opts.seed ?? 1);
  host.use(...(opts.before ?? []), controllers);
  return { host, controllers, workload };
}
