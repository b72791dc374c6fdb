import { UsageError } from '../../model/errors.js';
import { JOB_KIND_NAMES, type ArchitectureJobs, type JobKind } from './architecture-jobs.js';
import { findQueue, type CapacityQueue, type FairQueue, type YarnQueueConfig } from './yarn-queue-config.js';

/** A queue as the run sees it (from the config, or created by a fair placement rule). */
export type RunQueue = (CapacityQueue | FairQueue) & { created?: boolean };

/**
 * Which leaf queue each job goes to, as YARN places applications (Apache Hadoop docs,
 * CapacityScheduler "Queue Mapping based on User or Group", FairScheduler "queuePlacementPolicy"):
 * - capacity: the first `yarn.scheduler.capacity.queue-mappings` entry that matches the job's user
 *   (`u:user:queue`, `u:%user:%user`, `u:%user:parent.%user`; group mappings never match, jobs
 *   carry no groups) and names a leaf; a STOPPED leaf accepts no job (-1, rejected).
 * - fair: the first placement rule that yields a leaf: `user` (root.USER), `default` (its queue,
 *   else root.default), `reject` (-1); `create="true"` makes the leaf under an existing parent with
 *   weight 1 and the parent's preemption settings (added to `queues`). `specified` never applies
 *   (jobs name no queue); group rules and nestedUserQueue are not modelled.
 * - else a leaf named after the job kind (batch / service), else `default`; none is a usage error.
 * A mapping that names no leaf is skipped and counted (`mappingMisses`).
 */
export function placeJobsInQueues(queues: RunQueue[], config: YarnQueueConfig, jobs: ArchitectureJobs): { jobLeaf: Int32Array; mappingMisses: number } {
  const file = config.file;
  const fair = config.type === 'fair';
  let mappingMisses = 0;
  const isLeaf = (i: number) => i >= 0 && queues[i].children.length === 0 && queues[i].parent >= 0;
  const admit = (i: number) => (i >= 0 && !fair && (queues[i] as CapacityQueue).stopped ? -1 : i);

  const createFairLeaf = (path: string): number => {
    const cut = path.lastIndexOf('.');
    const p = findQueue(queues, path.slice(0, cut), file);
    if (p < 0 || (queues[p].children.length === 0 && queues[p].parent >= 0)) return -1;
    const parent = queues[p] as FairQueue;
    const i = queues.length;
    queues.push({
      path, name: path.slice(cut + 1), parent: p, children: [], line: 0, weight: 1, created: true,
      fairSharePreemptionTimeout: parent.fairSharePreemptionTimeout, minSharePreemptionTimeout: parent.minSharePreemptionTimeout, fairSharePreemptionThreshold: parent.fairSharePreemptionThreshold,
    });
    parent.children.push(i);
    return i;
  };

  const resolve = (user: string, kind: JobKind): number => {
    if (config.type === 'capacity') {
      for (const m of config.mappings) {
        if (m.kind === 'g' || (m.source !== '%user' && m.source !== user)) continue;
        if (m.queue === '%primary_group' || m.queue === '%secondary_group') continue;
        const i = findQueue(queues, m.queue.replace('%user', user), file);
        if (isLeaf(i)) return admit(i);
        mappingMisses++;
      }
    } else {
      for (const r of config.rules) {
        if (r.name === 'reject') return admit(-1);
        let path: string;
        if (r.name === 'user') path = `root.${user}`;
        else if (r.name === 'default') path = r.queue === undefined ? 'root.default' : r.queue.startsWith('root.') ? r.queue : `root.${r.queue}`;
        else continue;
        let i = findQueue(queues, path, file);
        if (i < 0 && r.create) i = createFairLeaf(path);
        if (isLeaf(i)) return admit(i);
      }
    }
    const byKind = findQueue(queues, JOB_KIND_NAMES[kind], file);
    if (isLeaf(byKind)) return admit(byKind);
    const def = findQueue(queues, 'default', file);
    if (isLeaf(def)) return admit(def);
    throw new UsageError(`${file}: no queue for user ${user}'s ${JOB_KIND_NAMES[kind]} jobs: no mapping or placement rule matched and there is no leaf queue named ${JOB_KIND_NAMES[kind]} or default`);
  };

  const jobLeaf = new Int32Array(jobs.jobCount);
  // Jobs of one user and kind go to the same leaf: resolved once per (user, kind).
  const memo = new Map<number, number>();
  for (let j = 0; j < jobs.jobCount; j++) {
    const key = jobs.user[j] * 2 + jobs.kind[j];
    let leaf = memo.get(key);
    if (leaf === undefined) {
      leaf = resolve(String(jobs.user[j]), jobs.kind[j] as JobKind);
      memo.set(key, leaf);
    }
    jobLeaf[j] = leaf;
  }
  return { jobLeaf, mappingMisses };
}
