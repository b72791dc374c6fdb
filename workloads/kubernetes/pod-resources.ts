import type { Fields } from './fields.js';
import { describeGot, type FieldPath } from './manifest-documents.js';
import { readResourceList, type IgnoredResources } from './resource-list.js';
import { DIM_CPU, DIM_GPU, DIM_MEMORY, DIM_PODS, DIMS } from './resources.js';

/** One container's resources after Kubernetes defaulting (a limit alone implies an equal request). */
export interface ContainerResources {
  name: string;
  /** In spec.initContainers (a sidecar too, when restartPolicy is Always). */
  init: boolean;
  /** Init container with restartPolicy: Always (a sidecar, Kubernetes ≥ 1.28): runs beside the app containers. */
  sidecar: boolean;
  /** Per dimension; NaN = not stated (neither request nor limit). */
  request: Float64Array;
  /** Per dimension; NaN = no limit. */
  limit: Float64Array;
}

/** Container defaults of a namespace (its LimitRanges, limit-ranges.ts): per dimension, NaN = none. */
export interface ContainerDefaults {
  limit: Float64Array;
  request: Float64Array;
}

/** What the pod asks for as a whole, plus what the reader counts for the notes. */
export interface PodResources {
  /** Effective pod request (what the scheduler reserves), NaN = missing (cpu, memory). */
  request: Float64Array;
  /** Effective pod limit, NaN = unbounded (some container has no limit) or none given. */
  limit: Float64Array;
  containers: ContainerResources[];
  /** Container requests filled from their limits (count of container × resource). */
  requestsFromLimits: number;
  /** Containers given a LimitRange default request or limit (LimitRanger's mutation). */
  defaultedContainers: number;
  /** cpu / memory request stated by some but not all long-running containers (the others count 0). */
  partialCpu: boolean;
  partialMemory: boolean;
  /**
   * Pod-level `spec.resources` (KEP-2837) after the API server's defaulting, when the pod states
   * it: request and limit over the reader's dimensions (NaN = not set; only cpu and memory).
   */
  podLevel?: { request: Float64Array; limit: Float64Array };
}

/** NaN-aware accumulation: a sum stays NaN until some term is known. */
const add = (a: number, b: number) => (a !== a ? b : b !== b ? a : a + b);
const max = (a: number, b: number) => (a !== a ? b : b !== b ? a : Math.max(a, b));

function readContainer(f: Fields, p: FieldPath, init: boolean, ignored: IgnoredResources, defaults: ContainerDefaults | undefined): { c: ContainerResources; fromLimits: number; defaulted: boolean } {
  const name = f.requiredString([...p, 'name'], 'a container name');
  const restart = init ? f.oneOf([...p, 'restartPolicy'], ['Always'] as const) : undefined;
  const request = readResourceList(f, [...p, 'resources', 'requests'], false, ignored);
  const limit = readResourceList(f, [...p, 'resources', 'limits'], false, ignored);
  let fromLimits = 0;
  for (let d = 0; d < DIMS; d++) {
    if (request[d] !== request[d] && limit[d] === limit[d]) {
      request[d] = limit[d];
      fromLimits++;
    } else if (request[d] > limit[d]) {
      const key = d === DIM_CPU ? 'cpu' : d === DIM_MEMORY ? 'memory' : 'nvidia.com/gpu';
      throw f.at.error([...p, 'resources', 'requests', key], `a request no larger than the limit (${f.raw([...p, 'resources', 'limits', key]) as string})`, f.raw([...p, 'resources', 'requests', key]));
    }
  }
  // LimitRanger's mutation (admission, after the API server's defaulting above): what the
  // container does not state comes from its namespace's LimitRange defaults (limit-ranges.ts).
  let defaulted = false;
  if (defaults !== undefined) {
    for (let d = 0; d < DIMS; d++) {
      if (limit[d] !== limit[d] && defaults.limit[d] === defaults.limit[d]) {
        limit[d] = defaults.limit[d];
        defaulted = true;
      }
      if (request[d] !== request[d] && defaults.request[d] === defaults.request[d]) {
        request[d] = defaults.request[d];
        defaulted = true;
      }
    }
  }
  return { c: { name, init, sidecar: restart === 'Always', request, limit }, fromLimits, defaulted };
}

/**
 * The pod's effective request and limit, by kube-scheduler's rules (k8s.io/component-helpers
 * resource.PodRequests):
 * - long-running containers (app containers and sidecars) add up;
 * - a plain init container runs alone, beside the sidecars started before it, so it needs its own
 *   request plus those sidecars';
 * - effective = max(long-running sum, largest init-container need), plus spec.overhead.
 * GPU: a container that does not name nvidia.com/gpu asks for 0 GPUs (extended resources are
 * opt-in), so the GPU request is 0, not missing. CPU and memory: a container without a request
 * counts 0 as in Kubernetes when another container states one; when no container states any, the
 * pod's request stays NaN (missing; the simulator places it as zero and counts it).
 * Limit: a dimension is limited only when every long-running container has a limit there.
 * Every pod requests 1 of the `pods` dimension. `defaults` (the namespace's LimitRange container
 * defaults) fill what a container does not state before any of this is computed.
 */
export function readPodResources(f: Fields, spec: FieldPath, ignored: IgnoredResources, defaults?: ContainerDefaults): PodResources {
  const containers: ContainerResources[] = [];
  let requestsFromLimits = 0;
  let defaultedContainers = 0;
  const nApp = f.list([...spec, 'containers']);
  if (nApp === 0) throw f.at.error([...spec, 'containers'], 'at least one container', f.raw([...spec, 'containers']));
  const nInit = f.list([...spec, 'initContainers']);
  for (let i = 0; i < nInit; i++) {
    const r = readContainer(f, [...spec, 'initContainers', i], true, ignored, defaults);
    containers.push(r.c);
    requestsFromLimits += r.fromLimits;
    if (r.defaulted) defaultedContainers++;
  }
  for (let i = 0; i < nApp; i++) {
    const r = readContainer(f, [...spec, 'containers', i], false, ignored, defaults);
    containers.push(r.c);
    requestsFromLimits += r.fromLimits;
    if (r.defaulted) defaultedContainers++;
  }

  const request = new Float64Array(DIMS);
  const limit = new Float64Array(DIMS);
  const stated = [0, 0];
  let longRunning = 0;
  for (let d = 0; d < DIMS; d++) {
    let sum = NaN; // long-running containers
    let sidecars = NaN; // sidecars started so far (init order)
    let initNeed = NaN;
    let limSum = 0;
    let limAll = true;
    let initLim = NaN;
    let sidecarLim = 0;
    for (const c of containers) {
      if (!c.init || c.sidecar) {
        sum = add(sum, c.request[d]);
        if (c.limit[d] === c.limit[d]) limSum += c.limit[d];
        else limAll = false;
      }
      if (c.init) {
        if (c.sidecar) {
          sidecars = add(sidecars, c.request[d]);
          initNeed = max(initNeed, sidecars);
          if (c.limit[d] === c.limit[d]) sidecarLim += c.limit[d];
        } else {
          initNeed = max(initNeed, add(c.request[d], sidecars));
          if (c.limit[d] === c.limit[d]) initLim = max(initLim, c.limit[d] + sidecarLim);
        }
      }
    }
    request[d] = max(sum, initNeed);
    limit[d] = limAll ? max(limSum, initLim) : NaN;
    if (d === DIM_CPU || d === DIM_MEMORY) {
      for (const c of containers) if ((!c.init || c.sidecar) && c.request[d] === c.request[d]) stated[d]++;
    }
  }
  for (const c of containers) if (!c.init || c.sidecar) longRunning++;

  // Extended resources are opt-in: no GPU stated = 0 GPUs requested (and no GPU limit).
  if (request[DIM_GPU] !== request[DIM_GPU]) request[DIM_GPU] = 0;
  let anyGpuLimit = false;
  for (const c of containers) if (c.limit[DIM_GPU] === c.limit[DIM_GPU]) anyGpuLimit = true;
  if (!anyGpuLimit) limit[DIM_GPU] = NaN;
  request[DIM_PODS] = 1;
  limit[DIM_PODS] = NaN;

  const podLevel = readPodLevelResources(f, spec, containers, request, limit, ignored);
  const podLevelRequest = (d: number) => podLevel !== undefined && podLevel.request[d] === podLevel.request[d];

  const overhead = readResourceList(f, [...spec, 'overhead'], false, ignored);
  for (let d = 0; d < DIMS; d++) {
    // A missing request stays missing (NaN): the overhead is added only to a known request.
    if (overhead[d] !== overhead[d] || request[d] !== request[d]) continue;
    request[d] += overhead[d];
    if (limit[d] === limit[d]) limit[d] += overhead[d];
  }

  return {
    request,
    limit,
    containers,
    requestsFromLimits,
    defaultedContainers,
    // With a pod-level request the containers' split does not matter.
    partialCpu: !podLevelRequest(DIM_CPU) && stated[DIM_CPU] > 0 && stated[DIM_CPU] < longRunning,
    partialMemory: !podLevelRequest(DIM_MEMORY) && stated[DIM_MEMORY] > 0 && stated[DIM_MEMORY] < longRunning,
    ...(podLevel ? { podLevel } : {}),
  };
}

/** The resources a pod may state at pod level that the reader models (KEP-2837 allows cpu, memory, hugepages-*). */
const POD_LEVEL_DIMS = [DIM_CPU, DIM_MEMORY] as const;
const dimKey = (d: number) => (d === DIM_CPU ? 'cpu' : 'memory');

/**
 * Pod-level resources (`spec.resources`, KEP-2837, beta since Kubernetes 1.34): one request and
 * limit for the whole pod, which the containers share. Applied as Kubernetes does:
 * - defaulting (pkg/apis/core/v1/defaults.go defaultPodRequests / defaultPodLimits): with a
 *   pod-level limit, an unset pod-level request becomes the containers' aggregate request when
 *   some container states one, else the pod-level limit (if any); with a pod-level request and no
 *   pod-level limit, the limit becomes the containers' aggregate limit when every container has one;
 * - validation (the API server rejects, so the reader does): only cpu and memory (and hugepages,
 *   not modeled) at pod level; the request no smaller than the containers' aggregate request and
 *   no larger than the pod-level limit; no container limit above the pod-level limit;
 * - the effective request and limit (k8s.io/component-helpers/resource PodRequests / PodLimits):
 *   the pod-level value replaces the containers' aggregate for cpu and memory; the overhead is
 *   added after. `request` and `limit` are updated in place.
 * Returns the defaulted pod-level values (for the QoS class), or undefined without spec.resources.
 */
function readPodLevelResources(
  f: Fields,
  spec: FieldPath,
  containers: readonly ContainerResources[],
  request: Float64Array,
  limit: Float64Array,
  ignored: IgnoredResources,
): { request: Float64Array; limit: Float64Array } | undefined {
  const p = [...spec, 'resources'];
  if (f.object(p) === undefined) return undefined;
  const req = readResourceList(f, [...p, 'requests'], false, ignored);
  const lim = readResourceList(f, [...p, 'limits'], false, ignored);
  for (const [list, side] of [[req, 'requests'], [lim, 'limits']] as const) {
    if (list[DIM_GPU] === list[DIM_GPU]) {
      throw f.at.error([...p, side, 'nvidia.com/gpu'], 'a pod-level resource Kubernetes accepts (cpu, memory, hugepages-*); extended resources go on containers', f.raw([...p, side, 'nvidia.com/gpu']));
    }
  }
  const anyLimit = POD_LEVEL_DIMS.some((d) => lim[d] === lim[d]);
  const anyRequest = POD_LEVEL_DIMS.some((d) => req[d] === req[d]);
  for (const d of POD_LEVEL_DIMS) {
    if (anyLimit && req[d] !== req[d]) req[d] = request[d] === request[d] ? request[d] : lim[d];
    if (anyRequest && !anyLimit && limit[d] === limit[d] && containers.every((c) => c.limit[d] === c.limit[d])) lim[d] = limit[d];
  }
  for (const d of POD_LEVEL_DIMS) {
    const key = dimKey(d);
    const stated = f.raw([...p, 'requests', key]) !== undefined;
    if (lim[d] === lim[d]) {
      const over = containers.find((c) => c.limit[d] > lim[d]);
      if (over !== undefined) {
        throw f.at.error([...p, 'limits', key], `a pod-level ${key} limit no smaller than every container's limit (container ${over.name} has ${formatUnits(over.limit[d], d)})`, f.raw([...p, 'limits', key]));
      }
    }
    if (stated && request[d] === request[d] && req[d] < request[d]) {
      throw f.at.error([...p, 'requests', key], `a pod-level ${key} request no smaller than the containers' aggregate request (${formatUnits(request[d], d)})`, f.raw([...p, 'requests', key]));
    }
    if (req[d] > lim[d]) {
      if (stated) throw f.at.error([...p, 'requests', key], `a pod-level ${key} request no larger than the pod-level limit (${describeGot(f.raw([...p, 'limits', key]))})`, f.raw([...p, 'requests', key]));
      throw f.at.problem([...p, 'limits', key], `the pod-level ${key} limit is below the containers' aggregate request (${formatUnits(req[d], d)}), which the unset pod-level request defaults to`);
    }
    if (req[d] === req[d]) request[d] = req[d];
    if (lim[d] === lim[d]) limit[d] = lim[d];
  }
  return { request: req, limit: lim };
}

/** A cpu amount in millicores or a memory amount in bytes, as a quantity. */
const formatUnits = (v: number, d: number) => (d === DIM_CPU ? `${v}m` : `${v} bytes`);
