import { UsageError, InputError } from '../../model/errors.js';
import { BadRowTally, type OnBadRow } from '../reader-kit/bad-rows.js';
import type { PlacementConstraints } from '../../model/placement-constraints.js';
import { allocTaskBatch, type TaskBatch } from '../../model/task-batch.js';
import type { MachineSpec } from '../../model/machine.js';
import type { Workload } from '../../model/workload.js';
import { isPodMakingKind, podPlan, podTemplatePaths, type PodMakingKind } from './controllers.js';
import { daemonWantsNode, withDaemonTolerations } from './daemonsets.js';
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
 *   (see controllers.ts for replicas and Jobs, daemonsets.ts for one pod per eligible node);
 * - PriorityClass → priorities (priority-classes.ts);
 * - Node → machines (nodes.ts); without Node objects, `options.nodes` nodes of `options.nodeShape`;
 * - Namespace → the labels pod affinity namespaceSelectors match (pod-constraints.ts).
 * Everything else (Service, ConfigMap, CronJob, ...) is counted and ignored.
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
 * items; replicas in order), or `arrival.interarrivalSeconds` apart (per pod, or per object).
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
  for (const o of objects) {
    if (!isPodMakingKind(o.kind)) {
      if (o.kind !== 'Node' && o.kind !== 'PriorityClass' && o.kind !== 'Namespace') bump(ignoredKinds, o.kind);
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

  const jobs: string[] = [];
  const users: string[] = [];
  const userIndex = new Map<string, number>();
  const jobConstraints: Array<PlacementConstraints | undefined> = [];
  const groups: PodGroup[] = [];
  const ignoredFeatures: IgnoredFeatures = new Map();
  const namespaceLabels = readNamespaceLabels(objects);
  const podsByKind = new Map<string, number>();
  const qosCounts = new Map<QosClass, number>([['Guaranteed', 0], ['Burstable', 0], ['BestEffort', 0]]);
  const prioritySources = new Map<string, number>();
  const planNotes: string[] = [];
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
  let objectIndex = 0;

  for (const { o, f, kind, name, namespace } of workloadObjects) {
    // A live object made by a controller that is itself in the input: the controller makes it.
    const nRefs = f.list(['metadata', 'ownerReferences']);
    let owned = false;
    for (let i = 0; i < nRefs; i++) {
      if (f.bool(['metadata', 'ownerReferences', i, 'controller']) !== true) continue;
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
    if (kind !== 'Pod' && f.object(['spec', 'template']) === undefined) {
      throw o.at.error(['spec', 'template'], 'a pod template', undefined);
    }
    if (f.object(t.spec) === undefined) throw o.at.error(t.spec, 'a pod spec', undefined);
    const live = f.object(['status']) !== undefined && kind === 'Pod';
    const keepNodeName = !live || options.keepBoundNodeNames === true;
    if (!keepNodeName && f.string([...t.spec, 'nodeName'])) droppedNodeNames++;

    const res = readPodResources(f, t.spec, ignoredResources);
    const qos = qosClass(res.containers, res.podLevel);
    const prio = priorities.resolve(f, t.spec);
    const constraints = readPodConstraints(f, { metadata: t.metadata, spec: t.spec, namespace, namespaceLabels: namespaceLabels.get(namespace), keepNodeName }, ignoredFeatures);
    constraints.qos = qos;
    if (prio.className !== undefined) constraints.priorityClassName = prio.className;

    // Run time per completion, µs.
    const metaPaths = kind === 'Pod' ? [t.metadata] : [t.metadata, ['metadata']];
    const annotated = annotatedDuration(f, metaPaths);
    let runSeconds = annotated ?? NaN;
    if (annotated === undefined && kind === 'Job' && options.jobDurationSeconds !== undefined) runSeconds = options.jobDurationSeconds;
    const podDeadline = f.int([...t.spec, 'activeDeadlineSeconds'], 1, Number.MAX_SAFE_INTEGER);
    const jobDeadline = kind === 'Job' ? f.int(['spec', 'activeDeadlineSeconds'], 1, Number.MAX_SAFE_INTEGER) : undefined;

    let user = userIndex.get(namespace);
    if (user === undefined) {
      user = users.length;
      users.push(namespace);
      userIndex.set(namespace, user);
    }

    const makeGroup = (jobName: string, c: PlacementConstraints, completions: number[], firstTaskIndex: number): void => {
      // The kubelet kills a pod activeDeadlineSeconds after it started: that caps each pod's run
      // (each back-to-back completion of a Job slot is its own pod with its own deadline).
      const capped = podDeadline !== undefined && !(runSeconds <= podDeadline);
      const perPod = capped ? podDeadline : runSeconds;
      const durations = completions.map((k) => secondsToMicros(perPod * k));
      if (capped) deadlineCapped += completions.length;
      const job = jobs.length;
      jobs.push(jobName);
      jobConstraints.push(c);
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

    const base = `${kind}/${namespace}/${name}`;
    if (kind === 'DaemonSet') {
      const hostNetwork = f.bool([...t.spec, 'hostNetwork']) ?? false;
      const daemonConstraints: PlacementConstraints = { ...constraints, tolerations: withDaemonTolerations(constraints.tolerations, hostNetwork) };
      let k = 0;
      for (const m of machines) {
        if (!daemonWantsNode(daemonConstraints, m)) continue;
        makeGroup(`${base}@${m.id}`, { ...daemonConstraints, nodeName: m.id }, [1], k++);
      }
      planNotes.push(
        machines.length === 0 && options.deferGeneratedNodes
          ? `DaemonSet ${namespace}/${name}: no pods stored: they are one per node, and the nodes are chosen at replay (replay the manifests themselves to include them)`
          : `DaemonSet ${namespace}/${name}: ${k} of ${plural(machines.length, 'node')} eligible, one pod each (pinned by nodeName)`,
      );
      if (k > 0) objectIndex++;
      continue;
    }
    const plan = podPlan(kind, f);
    if (plan.note !== undefined) planNotes.push(`${kind} ${namespace}/${name}: ${plan.note}`);
    if (plan.completions.length === 0) continue;
    makeGroup(base, constraints, plan.completions, 0);
    objectIndex++;
  }

  // Arrival times and tasks.
  const arrival = options.arrival ?? 'all-at-once';
  const step = arrival === 'all-at-once' ? 0 : secondsToMicros(arrival.interarrivalSeconds);
  const perObject = arrival !== 'all-at-once' && arrival.per === 'object';
  let total = 0;
  for (const g of groups) total += g.durations.length;
  const horizon = secondsToMicros(options.horizonSeconds ?? DEFAULT_HORIZON_SECONDS);
  const lastArrival = total === 0 ? 0 : perObject ? (groups[groups.length - 1].objectIndex) * step : (total - 1) * step;
  const anyKill = groups.some((g) => g.killAfter === g.killAfter);
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
      `; one workload job per object (per object and node for DaemonSets)`,
  );
  notes.push(...planNotes);
  notes.push(`QoS classes: ${countsText(qosCounts)} (kubelet rules; stored in the job constraints, not yet acted on by the simulator)`);
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
    arrival === 'all-at-once'
      ? 'arrival: manifests have no times; every pod arrives at t=0 in input order'
      : `arrival: manifests have no times; ${perObject ? 'objects' : 'pods'} arrive ${arrival.interarrivalSeconds} s apart in input order`,
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
    let gi = 0;
    let pi = 0;
    let k = 0; // global pod ordinal
    while (k < total) {
      const n = Math.min(batchSize, total - k);
      const b = allocTaskBatch(n, DIMS);
      if (anyKill) b.killTime = new Float64Array(n).fill(NaN);
      for (let i = 0; i < n; i++, k++, pi++) {
        while (pi >= groups[gi].durations.length) {
          gi++;
          pi = 0;
        }
        const g = groups[gi];
        const submit = perObject ? g.objectIndex * step : k * step;
        b.submitTime[i] = submit;
        b.duration[i] = g.durations[pi];
        b.request.set(g.request, i * DIMS);
        b.limit.set(g.limit, i * DIMS);
        b.priority[i] = g.priority;
        b.job[i] = g.job;
        b.taskIndex[i] = g.firstTaskIndex + pi;
        b.user[i] = g.user;
        if (b.killTime !== undefined && g.killAfter === g.killAfter) b.killTime[i] = submit + g.killAfter;
      }
      yield b;
    }
  }

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
  };
}

