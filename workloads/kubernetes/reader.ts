import { UsageError, InputError } from '../../model/errors.js';
import { BadRowTally, type OnBadRow } from '../reader-kit/bad-rows.js';
import type { PlacementConstraints } from '../../model/placement-constraints.js';
import { allocTaskBatch, type TaskBatch } from '../../model/task-batch.js';
import type { MachineSpec } from '../../model/machine.js';
import type { Workload } from '../../model/workload.js';
import type { ControllerKind, JobController, ResourceQuotaSpec } from '../../model/workload-controllers.js';
import { isPodMakingKind, jobSpecPath, podPlan, podTemplatePaths, type PodMakingKind } from './controllers.js';
import { cronRuns, readCronJobSpec, TooManyCronRuns } from './cronjobs.js';
import { daemonPodsFactory, type DaemonTemplate } from './daemon-pods.js';
import { daemonWantsNode, withDaemonTolerations } from './daemonsets.js';
import { readJobController } from './job-controllers.js';
import { LimitRanges, readLimitRange } from './limit-ranges.js';
import { readPodDisruptionBudget, resolveBudgetJobs, type BudgetRead } from './pod-disruption-budgets.js';
import { readResourceQuota } from './resource-quotas.js';
import { annotatedDuration, DURATION_ANNOTATION, secondsToMicros } from './durations.js';
import { US_PER_SECOND } from '../../model/units.js';
import { Fields } from './fields.js';
import { listManifestFiles } from './manifest-files.js';
import { readManifestFile, type ManifestObject } from './manifest-documents.js';
import { checkNodeOptions, generateNodes, readNode, type NodeReadStats, type NodeShape } from './nodes.js';
import { readNamespaceLabels, readPodConstraints, type IgnoredFeatures } from './pod-constraints.js';
import { readPodResources } from './pod-resources.js';
import { PriorityClasses } from './priority-classes.js';
import { qosClass, type QosClass } from './qos.js';
import type { IgnoredResources } from './resource-list.js';
import { DIM_CPU, DIM_MEMORY, DIMS, KUBERNETES_RESOURCES } from './resources.js';
import { plural } from '../reader-kit/string-table.js';
import { checkZones, describeNodeLayout } from '../generated-nodes.js';

/**
 * Kubernetes manifests → Workload: "what if I run these workloads on these (or N) nodes?"
 *
 * Input: files or folders of .yaml/.yml/.json manifests (multi-document YAML, JSON, and the
 * `kind: List` that `kubectl get -o yaml` prints). Objects read:
 * - Pod, Deployment, ReplicaSet, ReplicationController, StatefulSet, Job, DaemonSet → pods
 *   (see controllers.ts for replicas and Jobs, daemonsets.ts for one pod per eligible node), each
 *   job with its controller (job-controllers.ts: Workload.controllers);
 * - CronJob → one Job per run of its schedule in the window (cronjobs.ts, cron-schedule.ts);
 * - DaemonSets again for nodes that join later (daemon-pods.ts: Workload.daemonPodsFor);
 * - PriorityClass → priorities and preemption policies (priority-classes.ts);
 * - PodDisruptionBudget → Workload.disruptionBudgets (pod-disruption-budgets.ts);
 * - ResourceQuota → Workload.resourceQuotas (resource-quotas.ts), enforced by the admission reaction;
 * - LimitRange → defaults and bounds applied to every pod at admission (limit-ranges.ts); a pod
 *   it rejects is not created, counted by reason (Workload.admissionRejections);
 * - Node → machines (nodes.ts); without Node objects, `options.nodes` nodes of `options.nodeShape`;
 * - Namespace → the labels pod affinity namespaceSelectors match (pod-constraints.ts).
 * Everything else (Service, ConfigMap, ...) is counted and ignored.
 *
 * Per pod: request and limit per kube-scheduler's rules (pod-resources.ts), QoS class (qos.ts),
 * priority, and all placement constraints (pod-constraints.ts), one Workload job per object
 * (per object and node for DaemonSets, whose pods are each pinned to their node by nodeName).
 *
 * Live dumps (`kubectl get pods,deploy,rs,nodes -o yaml`): a pod or ReplicaSet whose controlling
 * owner is also in the input is left out (the owner makes it), Succeeded/Failed pods are left out
 * (they hold nothing), and the spec.nodeName of a pod that has a status is the scheduler's past
 * decision, so it is dropped unless `keepBoundNodeNames` (a nodeName in a manifest without status
 * is the user's and is kept).
 *
 * Times: manifests have none. All pods arrive at t = 0 in input order (files, documents, list
 * items; replicas in order), or `arrival.interarrivalSeconds` apart (per pod, or per object);
 * a CronJob's Jobs at their schedule times, t = 0 being the wall-clock `startTime` (UTC), merged
 * into that order by time.
 * Durations: NaN (run until the end of the replay) unless annotated (durations.ts) or, for Jobs,
 * `jobDurationSeconds`; a pod's spec.activeDeadlineSeconds caps its run time (counted from its
 * start, as the kubelet does); a Job's spec.activeDeadlineSeconds becomes the kill time of its
 * pods (counted from the Job's arrival). The replay window is `horizonSeconds` (default 1 h).
 *
 * Bad input: a file that does not parse, or holds an object the API server would reject, stops the
 * read (InputError with the path as given, line and field), or with `onBadRow: 'skip'` is left out
 * whole, named in the notes with its reason and counted in sourceStats.badRows.
 */
export interface KubernetesReadOptions {
  /** Node count when the input has no Node objects (`--nodes`). Ignored (with a note) when it has. */
  nodes?: number;
  /** Shape of those nodes (from `--instance`). */
  nodeShape?: NodeShape;
  /** Instance type name of generated nodes. A Node object's type is its instance-type label only (none: priced by its shape, reports/pricing.ts). */
  instanceType?: string;
  /**
   * Without Node objects, generate no nodes: the workload has no machines, and whoever replays it
   * chooses them (`trace convert`: `--nodes` applies at replay). DaemonSets, whose pods are one per
   * node, then make none (noted).
   */
  deferGeneratedNodes?: boolean;
  /** An option for generated nodes (nodes, instance, zones) the user gave explicitly: an error when the input has Node objects. */
  nodesGiven?: 'nodes' | 'instance' | 'zones';
  /** Generated nodes: zone count (`--zones`, default 3) and region (the catalog's, default us-east-1); see generated-nodes.ts. */
  zones?: number;
  region?: string;
  /** Default 'all-at-once' (every pod at t = 0, in input order). */
  arrival?: 'all-at-once' | { interarrivalSeconds: number; per?: 'pod' | 'object' };
  /** Run time of Job pods without the duration annotation (default: none, NaN). */
  jobDurationSeconds?: number;
  /**
   * The wall-clock time t = 0 stands for, for CronJob schedules: ISO 8601 with a zone, e.g.
   * `2024-03-04T00:00:00Z` (default 1970-01-01T00:00:00Z, a Thursday). Manifests have no times.
   */
  startTime?: string;
  /** End of the replay window, seconds (default 3,600). */
  horizonSeconds?: number;
  /** Keep spec.nodeName of pods read from a live dump (default false: re-place them). */
  keepBoundNodeNames?: boolean;
  /** Tasks per TaskBatch (default 65,536). */
  batchSize?: number;
  /**
   * A file that does not parse or holds an invalid object: stop with its error (default 'fail'),
   * or 'skip' it (--on-bad-row skip), naming it and the reason in the notes and counting it by reason.
   */
  onBadRow?: OnBadRow;
}

export const DEFAULT_HORIZON_SECONDS = 3600;
export const DEFAULT_START_TIME = '1970-01-01T00:00:00Z';

/** An ISO 8601 time with a zone (Z or ±hh:mm) → Unix ms, or NaN. */
function parseStartTime(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return NaN;
  return Date.parse(text);
}

/** A schedule time as the Job's name shows it: ISO 8601 UTC, whole seconds. */
const isoTime = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/** One Workload job: the pods of one object (or of one DaemonSet on one node). */
interface PodGroup {
  job: number;
  user: number;
  /** Index of the object among pod-making objects with pods (for per-object arrival). */
  objectIndex: number;
  request: Float64Array;
  limit: Float64Array;
  priority: number;
  /** Per pod, µs; NaN = runs until the end. */
  durations: number[];
  /** µs after arrival when the source kills the pods (Job activeDeadlineSeconds); NaN = never. */
  killAfter: number;
  /** Task index of the group's first pod within its object. */
  firstTaskIndex: number;
  /** µs: a fixed arrival (a CronJob's Job); undefined = by input order and the arrival option. */
  arrival?: number;
  /** µs: an absolute kill time (a CronJob Job replaced by the next run); NaN = none. */
  killAt: number;
  missingCpu: boolean;
  missingMemory: boolean;
}

const countsText = (m: Map<string, number>, sep = ' ') => [...m.entries()].map(([k, v]) => `${k}${sep}${v.toLocaleString('en-US')}`).join(', ');
const bump = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

function checkOptions(o: KubernetesReadOptions): void {
  if (o.arrival !== undefined && o.arrival !== 'all-at-once') {
    const s = o.arrival.interarrivalSeconds;
    if (!(Number.isFinite(s) && s >= 0)) throw new UsageError(`kubernetes arrival: interarrivalSeconds must be a non-negative number, got ${s}`);
    if (o.arrival.per !== undefined && o.arrival.per !== 'pod' && o.arrival.per !== 'object') {
      throw new UsageError(`kubernetes arrival: per must be 'pod' or 'object', got ${String(o.arrival.per)}`);
    }
  }
  if (o.jobDurationSeconds !== undefined && !(Number.isFinite(o.jobDurationSeconds) && o.jobDurationSeconds > 0)) {
    throw new UsageError(`kubernetes: jobDurationSeconds must be a positive number, got ${o.jobDurationSeconds}`);
  }
  if (o.horizonSeconds !== undefined && !(Number.isFinite(o.horizonSeconds) && o.horizonSeconds > 0)) {
    throw new UsageError(`kubernetes: horizonSeconds must be a positive number, got ${o.horizonSeconds}`);
  }
  if (o.startTime !== undefined && !Number.isFinite(parseStartTime(o.startTime))) {
    throw new UsageError(`kubernetes: startTime must be an ISO 8601 time with a zone, e.g. 2024-03-04T00:00:00Z, got ${JSON.stringify(o.startTime)}`);
  }
  checkZones(o.zones);
  if (o.batchSize !== undefined && !(Number.isInteger(o.batchSize) && o.batchSize > 0)) {
    throw new UsageError(`kubernetes: batchSize must be a positive integer, got ${o.batchSize}`);
  }
}

function objectName(o: ManifestObject, f: Fields): string {
  const name = f.string(['metadata', 'name']);
  if (name !== undefined && name !== '') return name;
  const gen = f.string(['metadata', 'generateName']);
  if (gen !== undefined && gen !== '') return `${gen}${o.ordinal}`;
  throw o.at.error(['metadata', 'name'], 'an object name (metadata.name or metadata.generateName)', undefined);
}

/** Reads Kubernetes manifests into a Workload; see KubernetesReadOptions for every modelling choice. */
export async function readKubernetesManifests(paths: string | string[], options: KubernetesReadOptions): Promise<Workload> {
  checkOptions(options);
  const files = await listManifestFiles(paths);
  const skip = options.onBadRow === 'skip';
  const skipped = new BadRowTally();
  const skippedFiles: string[] = [];
  const dropFile = (e: InputError) => {
    skipped.add(e);
    skippedFiles.push(`--on-bad-row skip: file skipped: ${e.message}`);
  };
  const isBadFile = (e: unknown, known: (file: string) => boolean): e is InputError => skip && e instanceof InputError && known(e.file);

  // Parse every file once; with --on-bad-row skip a file that does not parse is left out.
  const warnings: string[] = [];
  const perFile = new Map<string, ManifestObject[]>();
  let ordinal = 0;
  for (const file of files) {
    try {
      const objs = await readManifestFile(file, ordinal, warnings);
      perFile.set(file, objs);
      ordinal += objs.length;
    } catch (e) {
      if (!isBadFile(e, (f) => f === file)) throw e;
      dropFile(e);
    }
  }
  // Then interpret them; a file whose object is invalid is left out too, and the rest read again
  // (objects depend on each other across files: priority classes, nodes for DaemonSets).
  for (;;) {
    const read = files.filter((f) => perFile.has(f));
    try {
      return assemble(paths, read, read.flatMap((f) => perFile.get(f)!), options, {
        warnings,
        skippedFiles,
        badRows: skipped.total > 0 ? Object.fromEntries(skipped.counts) : undefined,
        totalFiles: files.length,
      });
    } catch (e) {
      if (!isBadFile(e, (f) => perFile.has(f))) throw e;
      perFile.delete(e.file);
      dropFile(e);
    }
  }
}

/** What the file pass leaves for the notes: YAML warnings, skipped files. */
interface ReadExtras {
  warnings: string[];
  skippedFiles: string[];
  badRows: Record<string, number> | undefined;
  totalFiles: number;
}

/** The objects of the files read → the Workload (throws InputError naming the file of a bad object). */
function assemble(paths: string | string[], files: string[], objects: ManifestObject[], options: KubernetesReadOptions, extras: ReadExtras): Workload {
  const byKind = new Map<string, number>();
  for (const o of objects) bump(byKind, o.kind);

  // Priority classes first: a pod may name a class defined later in the input.
  const priorities = new PriorityClasses();
  for (const o of objects) if (o.kind === 'PriorityClass') priorities.add(o);

  // Machines.
  const ignoredResources: IgnoredResources = new Map();
  const nodeStats: NodeReadStats = { defaultedPods: 0, addedHostname: 0 };
  const notes: string[] = [];
  let machines: MachineSpec[] = [];
  const nodeObjects = objects.filter((o) => o.kind === 'Node');
  if (nodeObjects.length > 0) {
    // The input is the cluster: --nodes, --instance and --zones make generated nodes, which it has none of.
    if (options.nodesGiven !== undefined) {
      throw new UsageError(
        `--${options.nodesGiven} does not apply: the manifests define ${plural(nodeObjects.length, 'Node object')} (the cluster is theirs; each Node is priced by its instance-type label, else its shape)`,
      );
    }
    const seen = new Map<string, ManifestObject>();
    for (const o of nodeObjects) {
      const m = readNode(o, ignoredResources, nodeStats);
      const prev = seen.get(m.id);
      if (prev !== undefined) throw o.at.problem(['metadata', 'name'], `Node ${m.id} is defined twice (also line ${prev.at.line() ?? '?'} of ${prev.at.file})`);
      seen.set(m.id, o);
      machines.push(m);
    }
    notes.push(
      `nodes: ${plural(machines.length, 'Node object')} from the input` +
        (options.nodes !== undefined ? ` (the requested node count ${options.nodes} is not used: the input defines the nodes)` : '') +
        (nodeStats.defaultedPods > 0 ? `; ${plural(nodeStats.defaultedPods, 'node')} without capacity.pods given the kubelet default 110` : '') +
        (nodeStats.addedHostname > 0 ? `; ${plural(nodeStats.addedHostname, 'node')} given kubernetes.io/hostname = name` : ''),
    );
    const cordoned = machines.filter((m) => m.unschedulable).length;
    const tainted = machines.filter((m) => (m.taints?.length ?? 0) > 0).length;
    const pressure = machines.filter((m) => m.conditions?.memoryPressure || m.conditions?.diskPressure || m.conditions?.pidPressure).length;
    if (cordoned + tainted + pressure > 0) {
      notes.push(`nodes: ${cordoned} unschedulable (cordoned), ${tainted} with taints, ${pressure} under memory/disk/PID pressure (kept as node facts for the constraint filters)`);
    }
  } else if (options.deferGeneratedNodes) {
    notes.push('nodes: no Node objects in the input, and none generated: the replay chooses them (--nodes N --instance TYPE, generated nodes with well-known labels)');
  } else {
    const { nodes, shape } = checkNodeOptions(options.nodes, options.nodeShape);
    const layout = { instanceType: options.instanceType, zones: options.zones, region: options.region };
    machines = generateNodes(nodes, shape, layout);
    notes.push(
      `nodes: no Node objects in the input; ${plural(nodes, 'generated node')} ${options.instanceType ?? ''} ` +
        `(${shape.cpuMillicores / 1000} CPU, ${(shape.memoryBytes / 1024 ** 3).toFixed(1)} GiB, ${shape.gpus ?? 0} GPU, ${shape.maxPods ?? 110} pods each)`,
      describeNodeLayout(nodes, layout),
    );
  }

  // Objects that make pods, with owner de-duplication for live dumps.
  const present = new Map<string, ManifestObject>();
  const keyOf = (kind: string, ns: string, name: string) => `${kind}/${ns}/${name}`;
  const workloadObjects: Array<{ o: ManifestObject; f: Fields; kind: PodMakingKind; name: string; namespace: string }> = [];
  const ignoredKinds = new Map<string, number>();
  const readKinds = new Set(['Node', 'PriorityClass', 'Namespace', 'LimitRange', 'ResourceQuota', 'PodDisruptionBudget']);
  for (const o of objects) {
    if (!isPodMakingKind(o.kind)) {
      if (!readKinds.has(o.kind)) bump(ignoredKinds, o.kind);
      continue;
    }
    const f = new Fields(o.body, o.at);
    const name = objectName(o, f);
    const namespace = f.string(['metadata', 'namespace']) || 'default';
    const key = keyOf(o.kind, namespace, name);
    const prev = present.get(key);
    if (prev !== undefined) {
      throw o.at.problem(['metadata', 'name'], `${o.kind} ${namespace}/${name} is defined twice (also line ${prev.at.line() ?? '?'} of ${prev.at.file})`);
    }
    present.set(key, o);
    workloadObjects.push({ o, f, kind: o.kind, name, namespace });
  }

  // Admission objects: LimitRanges act on every pod below; quotas and budgets are handed on.
  const limitRanges = new LimitRanges();
  for (const o of objects) if (o.kind === 'LimitRange') limitRanges.add(readLimitRange(o));
  const budgets: BudgetRead[] = objects.filter((o) => o.kind === 'PodDisruptionBudget').map(readPodDisruptionBudget);
  const quotaUnmodeled = new Map<string, number>();
  const resourceQuotas: ResourceQuotaSpec[] = [];
  const quotaNotes: string[] = [];
  for (const o of objects) {
    if (o.kind !== 'ResourceQuota') continue;
    const q = readResourceQuota(o, quotaUnmodeled);
    if (q.spec !== undefined) resourceQuotas.push(q.spec);
    else quotaNotes.push(`warning: ${q.notApplied}`);
  }
  const startMs = parseStartTime(options.startTime ?? DEFAULT_START_TIME);
  const horizon = secondsToMicros(options.horizonSeconds ?? DEFAULT_HORIZON_SECONDS);

  const jobs: string[] = [];
  const users: string[] = [];
  const userIndex = new Map<string, number>();
  const jobConstraints: Array<PlacementConstraints | undefined> = [];
  const controllers: Array<JobController | undefined> = [];
  const groups: PodGroup[] = [];
  const daemonTemplates: DaemonTemplate[] = [];
  const rejections = new Map<string, number>();
  const ignoredFeatures: IgnoredFeatures = new Map();
  const notModeled = new Map<string, number>();
  const namespaceLabels = readNamespaceLabels(objects);
  const podsByKind = new Map<string, number>();
  const controllersByKind = new Map<string, number>();
  const qosCounts = new Map<QosClass, number>([['Guaranteed', 0], ['Burstable', 0], ['BestEffort', 0]]);
  const prioritySources = new Map<string, number>();
  const planNotes: string[] = [];
  const cronNotes: string[] = [];
  let ownedSkipped = 0;
  let terminatedSkipped = 0;
  let droppedNodeNames = 0;
  let requestsFromLimits = 0;
  let podLevelPods = 0;
  let partialCpu = 0;
  let partialMemory = 0;
  let annotatedPods = 0;
  let optionDurationPods = 0;
  let deadlineCapped = 0;
  let killed = 0;
  let limitDefaultedPods = 0;
  let unmovableJobs = 0;
  let objectIndex = 0;

  for (const { o, f, kind, name, namespace } of workloadObjects) {
    // A live object made by a controller that is itself in the input: the controller makes it.
    const nRefs = f.list(['metadata', 'ownerReferences']);
    let owned = false;
    let hasController = false;
    for (let i = 0; i < nRefs; i++) {
      if (f.bool(['metadata', 'ownerReferences', i, 'controller']) !== true) continue;
      hasController = true;
      const ok = f.string(['metadata', 'ownerReferences', i, 'kind']);
      const on = f.string(['metadata', 'ownerReferences', i, 'name']);
      if (ok !== undefined && on !== undefined && present.has(keyOf(ok, namespace, on))) owned = true;
    }
    if (owned) {
      ownedSkipped++;
      continue;
    }
    const phase = kind === 'Pod' ? f.string(['status', 'phase']) : undefined;
    if (phase === 'Succeeded' || phase === 'Failed') {
      terminatedSkipped++;
      continue;
    }

    const t = podTemplatePaths(kind);
    if (kind === 'CronJob' && f.object(['spec', 'jobTemplate']) === undefined) throw o.at.error(['spec', 'jobTemplate'], 'a Job template', undefined);
    if (kind !== 'Pod' && f.object(t.spec.slice(0, -1)) === undefined) {
      throw o.at.error(t.spec.slice(0, -1), 'a pod template', undefined);
    }
    if (f.object(t.spec) === undefined) throw o.at.error(t.spec, 'a pod spec', undefined);
    const live = f.object(['status']) !== undefined && kind === 'Pod';
    const keepNodeName = !live || options.keepBoundNodeNames === true;
    if (!keepNodeName && f.string([...t.spec, 'nodeName'])) droppedNodeNames++;

    // Admission order: the API server's defaulting, then LimitRanger's defaults and bounds.
    const res = readPodResources(f, t.spec, ignoredResources, limitRanges.defaultsFor(namespace));
    const rejection = limitRanges.rejection(namespace, res);
    const qos = qosClass(res.containers, res.podLevel);
    const prio = priorities.resolve(f, t.spec);
    const constraints = readPodConstraints(f, { metadata: t.metadata, spec: t.spec, namespace, namespaceLabels: namespaceLabels.get(namespace), keepNodeName }, ignoredFeatures);
    constraints.qos = qos;
    if (prio.className !== undefined) constraints.priorityClassName = prio.className;
    const controllerKind: ControllerKind = kind;
    const controller = readJobController({
      kind: controllerKind,
      f,
      metadata: t.metadata,
      spec: t.spec,
      jobSpec: jobSpecPath(kind),
      name: `${namespace}/${name}`,
      namespace,
      desired: 0,
      preemptionPolicy: prio.preemptionPolicy,
      hasController,
      notModeled,
    });
    const cron = kind === 'CronJob' ? readCronJobSpec(f) : undefined;

    // Run time per completion, µs.
    const metaPaths =
      kind === 'Pod' ? [t.metadata] : kind === 'CronJob' ? [t.metadata, ['spec', 'jobTemplate', 'metadata'], ['metadata']] : [t.metadata, ['metadata']];
    const annotated = annotatedDuration(f, metaPaths);
    const isJob = kind === 'Job' || kind === 'CronJob';
    let runSeconds = annotated ?? NaN;
    if (annotated === undefined && isJob && options.jobDurationSeconds !== undefined) runSeconds = options.jobDurationSeconds;
    const podDeadline = f.int([...t.spec, 'activeDeadlineSeconds'], 1, Number.MAX_SAFE_INTEGER);
    const jobSpec = jobSpecPath(kind);
    const jobDeadline = jobSpec !== undefined ? f.int([...jobSpec, 'activeDeadlineSeconds'], 1, Number.MAX_SAFE_INTEGER) : undefined;
    // The kubelet kills a pod activeDeadlineSeconds after it started: that caps each pod's run
    // (each back-to-back completion of a Job slot is its own pod with its own deadline).
    const capped = podDeadline !== undefined && !(runSeconds <= podDeadline);
    const perPod = capped ? podDeadline : runSeconds;

    let user = userIndex.get(namespace);
    if (user === undefined) {
      user = users.length;
      users.push(namespace);
      userIndex.set(namespace, user);
    }
    if (res.defaultedContainers > 0) limitDefaultedPods++;

    const makeGroup = (jobName: string, c: PlacementConstraints, completions: number[], firstTaskIndex: number, ctl: JobController, arrival?: number, killAt = NaN): void => {
      const durations = completions.map((k) => secondsToMicros(perPod * k));
      if (capped) deadlineCapped += completions.length;
      const job = jobs.length;
      jobs.push(jobName);
      jobConstraints.push(c);
      controllers.push(ctl);
      bump(controllersByKind, ctl.kind);
      if (ctl.movable === false) unmovableJobs++;
      groups.push({
        job,
        user: user!,
        objectIndex,
        request: res.request,
        limit: res.limit,
        priority: prio.value,
        durations,
        killAfter: jobDeadline !== undefined ? secondsToMicros(jobDeadline) : NaN,
        firstTaskIndex,
        missingCpu: res.request[DIM_CPU] !== res.request[DIM_CPU],
        missingMemory: res.request[DIM_MEMORY] !== res.request[DIM_MEMORY],
        ...(arrival !== undefined ? { arrival } : {}),
        killAt,
      });
      const n = completions.length;
      bump(podsByKind, kind, n);
      bump(qosCounts, qos, n);
      bump(prioritySources, prio.source, n);
      requestsFromLimits += res.requestsFromLimits * n;
      if (res.partialCpu) partialCpu += n;
      if (res.partialMemory) partialMemory += n;
      if (res.podLevel !== undefined) podLevelPods += n;
      if (annotated !== undefined) annotatedPods += n;
      else if (runSeconds === runSeconds) optionDurationPods += n;
      if (jobDeadline !== undefined) killed += n;
    };
    const reject = (pods: number) => {
      if (rejection !== undefined && pods > 0) bump(rejections, rejection, pods);
    };

    const base = `${kind}/${namespace}/${name}`;
    if (kind === 'DaemonSet') {
      const hostNetwork = f.bool([...t.spec, 'hostNetwork']) ?? false;
      const daemonConstraints: PlacementConstraints = { ...constraints, tolerations: withDaemonTolerations(constraints.tolerations, hostNetwork) };
      const daemonController: JobController = { ...controller, desired: 1 };
      daemonTemplates.push({
        base,
        constraints: daemonConstraints,
        request: res.request,
        limit: res.limit,
        priority: prio.value,
        user,
        duration: secondsToMicros(perPod),
        controller: daemonController,
        ...(rejection !== undefined ? { rejection } : {}),
      });
      let k = 0;
      for (const m of machines) {
        if (!daemonWantsNode(daemonConstraints, m)) continue;
        if (rejection === undefined) makeGroup(`${base}@${m.id}`, { ...daemonConstraints, nodeName: m.id }, [1], k, { ...daemonController });
        k++;
      }
      reject(k);
      planNotes.push(
        machines.length === 0 && options.deferGeneratedNodes
          ? `DaemonSet ${namespace}/${name}: no pods stored: they are one per node, and the nodes are chosen at replay (replay the manifests themselves to include them)`
          : `DaemonSet ${namespace}/${name}: ${k} of ${plural(machines.length, 'node')} eligible, one pod each (pinned by nodeName)` + (rejection !== undefined ? ', all rejected at admission' : ''),
      );
      if (k > 0 && rejection === undefined) objectIndex++;
      continue;
    }
    const plan = podPlan(kind, f);
    if (plan.note !== undefined) planNotes.push(`${kind} ${namespace}/${name}: ${plan.note}`);
    const slotController = (ctlName = controller.name): JobController => ({ ...controller, name: ctlName, desired: plan.completions.length });
    if (cron !== undefined) {
      // A Job runs until its longest slot ends (its pods starting at once), at most its activeDeadlineSeconds.
      let length = 0;
      for (const k of plan.completions) length = Math.max(length, perPod === perPod ? secondsToMicros(perPod * k) : Infinity);
      if (jobDeadline !== undefined) length = Math.min(length, secondsToMicros(jobDeadline));
      let r;
      try {
        r = cronRuns(cron, startMs, horizon, length);
      } catch (e) {
        if (e instanceof TooManyCronRuns) throw o.at.problem(['spec', 'schedule'], `schedule ${JSON.stringify(cron.scheduleText)} makes ${e.message}`);
        throw e;
      }
      const madeJobs = plan.completions.length === 0 ? 0 : r.runs.length;
      if (rejection !== undefined) reject(madeJobs * plan.completions.length);
      else if (plan.completions.length > 0) {
        for (const run of r.runs) {
          const iso = isoTime(startMs + run.scheduled / 1000);
          makeGroup(`${base}@${iso}`, constraints, plan.completions, 0, slotController(`${namespace}/${name}@${iso}`), run.arrival, run.killAt);
        }
      }
      cronNotes.push(
        `CronJob ${namespace}/${name}: schedule ${JSON.stringify(cron.scheduleText)} (UTC${cron.timeZone !== undefined ? `, timeZone ${cron.timeZone}` : ''}), concurrencyPolicy ${cron.concurrencyPolicy}: ` +
          (cron.suspend
            ? 'suspended, no Jobs'
            : `${plural(r.scheduleTimes, 'schedule time')} in the window, ${plural(madeJobs, 'Job')}` +
              (r.late > 0 ? `, ${r.late} started late (the previous Job still ran)` : '') +
              (r.skipped > 0 ? `, ${r.skipped} skipped (Forbid: the previous Job still ran)` : '') +
              (r.missedDeadline > 0 ? `, ${r.missedDeadline} late starts dropped (startingDeadlineSeconds passed)` : '') +
              (r.replaced > 0 ? `, ${r.replaced} Jobs replaced by the next run (their pods killed then)` : '') +
              (cron.concurrencyPolicy !== 'Allow' && !Number.isFinite(length) ? ' (the Job run time is unknown: a Job is taken to run until the end)' : '') +
              (rejection !== undefined ? '; every pod rejected at admission' : '')),
      );
      continue;
    }
    if (plan.completions.length === 0) continue;
    if (rejection !== undefined) {
      reject(plan.completions.length);
      continue;
    }
    makeGroup(base, constraints, plan.completions, 0, slotController());
    objectIndex++;
  }
  resolveBudgetJobs(budgets, jobConstraints);

  // Arrival times and tasks: pods by input order (and the arrival option), a CronJob's Jobs at their times.
  const arrival = options.arrival ?? 'all-at-once';
  const step = arrival === 'all-at-once' ? 0 : secondsToMicros(arrival.interarrivalSeconds);
  const perObject = arrival !== 'all-at-once' && arrival.per === 'object';
  const ordered = groups.filter((g) => g.arrival === undefined);
  // Stable: runs at the same time keep input order.
  const timed = groups.filter((g) => g.arrival !== undefined).sort((a, b) => a.arrival! - b.arrival!);
  let total = 0;
  let orderedTotal = 0;
  for (const g of groups) total += g.durations.length;
  for (const g of ordered) orderedTotal += g.durations.length;
  const lastArrival = orderedTotal === 0 ? 0 : perObject ? ordered[ordered.length - 1].objectIndex * step : (orderedTotal - 1) * step;
  const anyKill = groups.some((g) => g.killAfter === g.killAfter || g.killAt === g.killAt);
  let missingCpu = 0;
  let missingMemory = 0;
  for (const g of groups) {
    if (g.missingCpu) missingCpu += g.durations.length;
    if (g.missingMemory) missingMemory += g.durations.length;
  }

  // Notes.
  notes.unshift(
    `kubernetes manifests: ${plural(objects.length, 'object')} in ${plural(files.length, 'file')} (${countsText(byKind)})` +
      (extras.skippedFiles.length > 0 ? `; ${extras.skippedFiles.length} of ${plural(extras.totalFiles, 'file')} skipped (--on-bad-row skip, listed below)` : ''),
    `pods generated: ${plural(total, 'pod')} in ${plural(jobs.length, 'job')}` + (podsByKind.size > 0 ? ` (${countsText(podsByKind)})` : '') +
      `; one workload job per object (per object and node for DaemonSets, per run for CronJobs)`,
  );
  notes.push(...planNotes, ...cronNotes);
  if (controllers.length > 0) {
    notes.push(
      `controllers, by workload jobs: ${countsText(controllersByKind)} (restart policy, Job backoffLimit/completions/parallelism/deadline, StatefulSet ordering, grace period, preemption policy from the manifests; workloads/kubernetes/README.md)` +
        (unmovableJobs > 0 ? `; ${plural(unmovableJobs, 'job')} the cluster autoscaler may not move (bare pods, local storage, safe-to-evict "false")` : ''),
    );
  }
  if (notModeled.size > 0) notes.push(`Job features not modeled, by objects: ${countsText(notModeled, ' ×')}`);
  if (cronNotes.length > 0) {
    notes.push(
      `CronJobs: schedules read in UTC from t = 0 = ${isoTime(startMs)} (manifests have no times; startTime sets it); the first run is the first schedule time after t = 0; startingDeadlineSeconds matters only for Forbid's late starts (the simulated controller is never late otherwise)`,
    );
  }
  for (const b of budgets) {
    const n = b.budget.jobs.length;
    const what = b.budget.maxUnavailable !== undefined ? `maxUnavailable ${intOrPercentText(b.budget.maxUnavailable)}` : `minAvailable ${intOrPercentText(b.budget.minAvailable!)}`;
    if (b.neither) notes.push(`warning: PodDisruptionBudget ${b.budget.name} sets neither minAvailable nor maxUnavailable: Kubernetes accepts it and it allows every disruption (read as minAvailable 0)`);
    if (n === 0) {
      notes.push(`warning: PodDisruptionBudget ${b.budget.name} (${what}) selects no pod of the input${b.selector === undefined ? ' (it has no selector)' : ''}: Kubernetes accepts it; it protects nothing`);
    } else {
      notes.push(`PodDisruptionBudget ${b.budget.name}: ${what}, selects ${plural(n, 'job')} (${b.budget.jobs.slice(0, 3).map((j) => jobs[j]).join(', ')}${n > 3 ? ', ...' : ''})`);
    }
  }
  const emptyBudgets = budgets.filter((b) => b.budget.jobs.length === 0).length;
  if (emptyBudgets > 0) notes.push(`warnings: ${plural(emptyBudgets, 'PodDisruptionBudget')} select${emptyBudgets === 1 ? 's' : ''} no pod`);
  if (resourceQuotas.length > 0 || quotaNotes.length > 0) {
    notes.push(
      `ResourceQuotas: ${resourceQuotas.length} (${[...new Set(resourceQuotas.map((q) => q.namespace))].join(', ') || 'none applied'}), enforced at admission when the replay runs admission` +
        (quotaUnmodeled.size > 0 ? `; hard keys not modeled (not enforced), by quotas: ${countsText(quotaUnmodeled, ' ×')}` : ''),
      ...quotaNotes,
    );
  }
  if (limitRanges.size > 0) {
    const rejected = [...rejections.values()].reduce((a, b) => a + b, 0);
    notes.push(
      `LimitRanges: ${limitRanges.size} (${limitRanges.all().map((l) => l.name).join(', ')}), applied at admission: ${plural(limitDefaultedPods, 'object')} given container defaults, ${plural(rejected, 'pod')} rejected (never created)`,
    );
    for (const lr of limitRanges.all()) {
      if (lr.unmodeled.length > 0) notes.push(`LimitRange ${lr.name}: constraints on ${lr.unmodeled.join(', ')} are not modeled (not checked on pods)`);
      if (lr.otherTypes.length > 0) notes.push(`LimitRange ${lr.name}: ${lr.otherTypes.join(', ')} limits do not apply to pods (not modeled)`);
    }
    for (const [reason, n] of rejections) notes.push(`admission rejected ${plural(n, 'pod')}: ${reason}`);
  }
  notes.push(`QoS classes: ${countsText(qosCounts)} (kubelet rules; stored in the job constraints)`);
  const prioText = [...prioritySources.entries()]
    .map(([s, n]) => `${n} ${s === 'class' ? 'by priorityClassName' : s === 'global-default' ? `by the globalDefault class ${priorities.defaultClass}` : s === 'spec.priority' ? 'by spec.priority' : 'with no class (0)'}`)
    .join(', ');
  notes.push(`priorities: ${plural(priorities.size, 'PriorityClass', 'PriorityClasses')} in the input plus the built-in system-cluster-critical and system-node-critical` + (prioText ? `; pods: ${prioText}` : ''));
  notes.push(
    `requests: ${plural(missingCpu, 'pod')} without a CPU request, ${plural(missingMemory, 'pod')} without a memory request (NaN: the simulator places them as requesting zero and counts them)` +
      (requestsFromLimits > 0 ? `; ${plural(requestsFromLimits, 'container request')} taken from the limit (a limit alone implies an equal request)` : '') +
      (partialCpu + partialMemory > 0 ? `; pods stating a request for only some containers (the others count 0, as in Kubernetes): CPU ${partialCpu}, memory ${partialMemory}` : '') +
      (podLevelPods > 0
        ? `; ${plural(podLevelPods, 'pod')} with pod-level resources (spec.resources, KEP-2837): their cpu/memory request and limit replace the containers' aggregate, and set the QoS class`
        : ''),
  );
  notes.push('resources: CPU millicores, memory bytes, nvidia.com/gpu in thousandths of a GPU, and pods (each pod requests 1 of the node\'s pod capacity)');
  if (ignoredResources.size > 0) notes.push(`resources not modeled (ignored), by mentions: ${countsText(ignoredResources, ' ×')}`);
  notes.push(
    (arrival === 'all-at-once'
      ? 'arrival: manifests have no times; every pod arrives at t=0 in input order'
      : `arrival: manifests have no times; ${perObject ? 'objects' : 'pods'} arrive ${arrival.interarrivalSeconds} s apart in input order`) +
      (timed.length > 0 ? "; CronJob Jobs at their schedule times" : ''),
  );
  notes.push(
    `durations: pods run until the end of the replay (NaN) unless annotated ${DURATION_ANNOTATION} (${annotatedPods} pods)` +
      (options.jobDurationSeconds !== undefined ? ` or, for Jobs, the ${options.jobDurationSeconds} s option (${optionDurationPods} pods)` : '') +
      (deadlineCapped > 0 ? `; ${plural(deadlineCapped, 'pod')} capped by spec.activeDeadlineSeconds` : '') +
      (killed > 0 ? `; ${plural(killed, 'pod')} get a kill time from their Job's activeDeadlineSeconds (counted from arrival)` : ''),
  );
  notes.push(`horizon: ${horizon / US_PER_SECOND} s` + (lastArrival > horizon ? `; the last pod arrives at ${lastArrival / US_PER_SECOND} s, after the horizon: later pods are not replayed` : ''));
  if (ignoredKinds.size > 0) notes.push(`objects ignored (they make no pods here): ${countsText(ignoredKinds)}`);
  if (ownedSkipped > 0) notes.push(`${plural(ownedSkipped, 'object')} left out because their controlling owner is also in the input (it makes them)`);
  if (terminatedSkipped > 0) notes.push(`${plural(terminatedSkipped, 'pod')} in phase Succeeded/Failed left out (they hold no resources)`);
  if (droppedNodeNames > 0) notes.push(`${plural(droppedNodeNames, 'live pod')} had spec.nodeName from a past scheduling decision: dropped so the policy places them (keepBoundNodeNames keeps it)`);
  if (ignoredFeatures.size > 0) notes.push(`pod spec features noted, by pods: ${countsText(ignoredFeatures, ' ×')}`);
  notes.push(...extras.skippedFiles, ...extras.warnings);

  const batchSize = options.batchSize ?? 65_536;
  async function* taskBatches(): AsyncGenerator<TaskBatch> {
    // Two sorted streams merged by submit time: pods in input order, and timed Jobs (ties: input order first).
    let gi = 0;
    let pi = 0;
    let k = 0; // ordinal among the input-ordered pods
    let ti = 0;
    let tp = 0;
    let emitted = 0;
    while (emitted < total) {
      const n = Math.min(batchSize, total - emitted);
      const b = allocTaskBatch(n, DIMS);
      if (anyKill) b.killTime = new Float64Array(n).fill(NaN);
      for (let i = 0; i < n; i++, emitted++) {
        while (gi < ordered.length && pi >= ordered[gi].durations.length) {
          gi++;
          pi = 0;
        }
        while (ti < timed.length && tp >= timed[ti].durations.length) {
          ti++;
          tp = 0;
        }
        const orderedSubmit = gi < ordered.length ? (perObject ? ordered[gi].objectIndex * step : k * step) : Infinity;
        const timedSubmit = ti < timed.length ? timed[ti].arrival! : Infinity;
        let g: PodGroup;
        let p: number;
        let submit: number;
        if (orderedSubmit <= timedSubmit) {
          g = ordered[gi];
          p = pi++;
          submit = orderedSubmit;
          k++;
        } else {
          g = timed[ti];
          p = tp++;
          submit = timedSubmit;
        }
        b.submitTime[i] = submit;
        b.duration[i] = g.durations[p];
        b.request.set(g.request, i * DIMS);
        b.limit.set(g.limit, i * DIMS);
        b.priority[i] = g.priority;
        b.job[i] = g.job;
        b.taskIndex[i] = g.firstTaskIndex + p;
        b.user[i] = g.user;
        if (b.killTime !== undefined) {
          const kill = Math.min(g.killAfter === g.killAfter ? submit + g.killAfter : Infinity, g.killAt === g.killAt ? g.killAt : Infinity);
          if (kill !== Infinity) b.killTime[i] = kill;
        }
      }
      yield b;
    }
  }

  const admissionRejections = limitRanges.size > 0 ? Object.fromEntries(rejections) : undefined;
  const disruptionBudgets = budgets.map((b) => b.budget);
  return {
    name: `kubernetes:${Array.isArray(paths) ? paths.join(',') : paths}`,
    resources: KUBERNETES_RESOURCES,
    machines,
    machineEvents: [],
    jobs,
    users,
    taskBatches,
    notes,
    jobConstraints,
    sourceStats: { files: files.length, rowsRead: objects.length, eventCounts: Object.fromEntries(byKind), ...(extras.badRows ? { badRows: extras.badRows } : {}) },
    expectedTasks: total,
    horizon,
    priorityScale: 'kubernetes',
    controllers,
    ...(budgets.length > 0 ? { disruptionBudgets } : {}),
    ...(resourceQuotas.length > 0 ? { resourceQuotas } : {}),
    ...(admissionRejections !== undefined ? { admissionRejections } : {}),
    ...(daemonTemplates.length > 0
      ? { daemonPodsFor: daemonPodsFactory(daemonTemplates, { jobs, jobConstraints, controllers, budgets, ...(admissionRejections !== undefined ? { admissionRejections } : {}) }) }
      : {}),
  };
}

const intOrPercentText = (v: { value: number; percent: boolean }) => (v.percent ? `${v.value}%` : String(v.value));
