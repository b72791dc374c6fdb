import type { Workload } from '../../model/workload.js';
import { UsageError } from '../../model/errors.js';
import type { TaskBatch } from '../../model/task-batch.js';
import type { ControllerKind, JobController } from '../../model/workload-controllers.js';
import type { PlacementConstraints, TopologySpreadConstraint } from '../../model/placement-constraints.js';

/** Controllers whose replicas are interchangeable: the ones spreading and scaling apply to. */
const REPLICATED: ReadonlySet<ControllerKind> = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet']);

export const ZONE_KEY = 'topology.kubernetes.io/zone';

/** `--spread`: as written, a hard zone spread, or a soft one. */
export type SpreadChoice = 'none' | 'zone' | 'zone-soft';
export const SPREAD_CHOICES: readonly SpreadChoice[] = ['none', 'zone', 'zone-soft'];

const isReplicated = (c: JobController | undefined): c is JobController => c !== undefined && REPLICATED.has(c.kind);

/**
 * The workload with every replicated controller (Deployment, ReplicaSet, ReplicationController,
 * StatefulSet) scaled up to at least `minReplicas` replicas: the extra pods are copies of the
 * template (same request, constraints, arrival), numbered after the existing ones. Its
 * controllers' `desired` follows. A research knob for the zone-outage experiment: the published
 * manifests run one replica of each service, which no spreading can protect.
 */
export function withMinReplicas(w: Workload, minReplicas: number): Workload {
  if (!(Number.isInteger(minReplicas) && minReplicas >= 1)) throw new UsageError(`--min-replicas: expected a positive integer, got ${minReplicas}`);
  if (!w.controllers?.some(isReplicated)) throw new UsageError(`--min-replicas: workload ${w.name} has no Deployment, ReplicaSet, ReplicationController or StatefulSet`);
  // In place: the reader's own arrays keep growing (DaemonSet pods of new nodes append to them).
  const original = new Map<number, number>();
  w.controllers?.forEach((c, job) => {
    if (!isReplicated(c) || c.desired >= minReplicas) return;
    original.set(job, c.desired);
    w.controllers![job] = { ...c, desired: minReplicas };
  });
  const dims = w.resources.names.length;
  const source = w.taskBatches.bind(w);
  w.notes.push(`experiment: every Deployment, ReplicaSet, ReplicationController and StatefulSet runs at least ${minReplicas} replicas (${original.size} scaled up)`);
  if (w.expectedTasks !== undefined) w.expectedTasks += [...original.values()].reduce((s, had) => s + minReplicas - had, 0);
  w.taskBatches = async function* () {
    for await (const b of source()) yield original.size === 0 ? b : scaleBatch(b, dims, original, minReplicas);
  };
  return w;
}

/** Adds, after the last task of each scaled job in the batch, its missing replicas. */
function scaleBatch(b: TaskBatch, dims: number, original: ReadonlyMap<number, number>, minReplicas: number): TaskBatch {
  // Which row each output row copies, and its task index.
  const from: number[] = [];
  const index: number[] = [];
  for (let i = 0; i < b.count; i++) {
    from.push(i);
    index.push(b.taskIndex[i]);
    const had = original.get(b.job[i]);
    // The last replica of a scaled job: its copies follow it (same submit time, so order holds).
    if (had !== undefined && b.taskIndex[i] === had - 1) {
      for (let k = had; k < minReplicas; k++) {
        from.push(i);
        index.push(k);
      }
    }
  }
  if (from.length === b.count) return b;
  const n = from.length;
  const pick = <T extends Float64Array | Float32Array | Int32Array>(a: T, width = 1): T => {
    const out = new (a.constructor as new (n: number) => T)(n * width);
    for (let r = 0; r < n; r++) for (let d = 0; d < width; d++) out[r * width + d] = a[from[r] * width + d];
    return out;
  };
  const out: TaskBatch = {
    count: n,
    submitTime: pick(b.submitTime),
    duration: pick(b.duration),
    request: pick(b.request, dims),
    limit: pick(b.limit, dims),
    priority: pick(b.priority),
    job: pick(b.job),
    taskIndex: Int32Array.from(index),
    user: pick(b.user),
    usageFraction: pick(b.usageFraction, dims),
    usageVariation: pick(b.usageVariation),
  };
  if (b.killTime) out.killTime = pick(b.killTime);
  if (b.usageSeries) out.usageSeries = pick(b.usageSeries);
  if (b.usageScale) out.usageScale = pick(b.usageScale, dims);
  return out;
}

/**
 * The workload with a zone spread on every replicated controller's pods: maxSkew 1 over
 * `topology.kubernetes.io/zone` selecting the template's own labels (the constraint the
 * Kubernetes docs give for zone-redundant services, "Pod Topology Spread Constraints"), hard
 * (DoNotSchedule) or soft (ScheduleAnyway). Under a zone outage the hard one keeps a service's
 * replicas out of the surviving zones until the lost zone's pods return (the failed nodes still
 * count as a domain: nodeTaintsPolicy Ignore, the default); the soft one lets them in. Jobs without
 * labels get none (the selector would match nothing of theirs). Spread is a filter and score of
 * the kube-framework policies: other policies ignore it.
 */
export function withZoneSpread(w: Workload, whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway' = 'DoNotSchedule', maxSkew = 1): Workload {
  if (!w.controllers?.some(isReplicated)) throw new UsageError(`--spread zone: workload ${w.name} has no Deployment, ReplicaSet, ReplicationController or StatefulSet`);
  let added = 0;
  w.jobConstraints?.forEach((c, job) => {
    if (!c || !isReplicated(w.controllers?.[job]) || !c.labels || Object.keys(c.labels).length === 0) return;
    const spread: TopologySpreadConstraint = { maxSkew, topologyKey: ZONE_KEY, whenUnsatisfiable, labelSelector: { matchLabels: { ...c.labels } } };
    added++;
    const constraints: PlacementConstraints = { ...c, topologySpread: [...(c.topologySpread ?? []).filter((x) => x.topologyKey !== ZONE_KEY), spread] };
    w.jobConstraints![job] = constraints;
  });
  w.notes.push(`experiment: a ${whenUnsatisfiable === 'DoNotSchedule' ? 'hard' : 'soft'} zone spread (maxSkew ${maxSkew}, ${ZONE_KEY}, ${whenUnsatisfiable}) on ${added} replicated workloads`);
  return w;
}
