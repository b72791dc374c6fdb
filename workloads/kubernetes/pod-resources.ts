import type { Fields } from './fields.js';
import type { FieldPath } from './manifest-documents.js';
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

/** What the pod asks for as a whole, plus what the reader counts for the notes. */
export interface PodResources {
  /** Effective pod request (what the scheduler reserves), NaN = missing (cpu, memory). */
  request: Float64Array;
  /** Effective pod limit, NaN = unbounded (some container has no limit) or none given. */
  limit: Float64Array;
  containers: ContainerResources[];
  /** Container requests filled from their limits (count of container × resource). */
  requestsFromLimits: number;
  /** cpu / memory request stated by some but not all long-running containers (the others count 0). */
  partialCpu: boolean;
  partialMemory: boolean;
}

/** NaN-aware accumulation: a sum stays NaN until some term is known. */
const add = (a: number, b: number) => (a !== a ? b : b !== b ? a : a + b);
const max = (a: number, b: number) => (a !== a ? b : b !== b ? a : Math.max(a, b));

function readContainer(f: Fields, p: FieldPath, init: boolean, ignored: IgnoredResources): { c: ContainerResources; fromLimits: number } {
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
  return { c: { name, init, sidecar: restart === 'Always', request, limit }, fromLimits };
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
 * Every pod requests 1 of the `pods` dimension.
 */
export function readPodResources(f: Fields, spec: FieldPath, ignored: IgnoredResources): PodResources {
  const containers: ContainerResources[] = [];
  let requestsFromLimits = 0;
  const nApp = f.list([...spec, 'containers']);
  if (nApp === 0) throw f.at.error([...spec, 'containers'], 'at least one container', f.raw([...spec, 'containers']));
  const nInit = f.list([...spec, 'initContainers']);
  for (let i = 0; i < nInit; i++) {
    const r = readContainer(f, [...spec, 'initContainers', i], true, ignored);
    containers.push(r.c);
    requestsFromLimits += r.fromLimits;
  }
  for (let i = 0; i < nApp; i++) {
    const r = readContainer(f, [...spec, 'containers', i], false, ignored);
    containers.push(r.c);
    requestsFromLimits += r.fromLimits;
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
    partialCpu: stated[DIM_CPU] > 0 && stated[DIM_CPU] < longRunning,
    partialMemory: stated[DIM_MEMORY] > 0 && stated[DIM_MEMORY] < longRunning,
  };
}
