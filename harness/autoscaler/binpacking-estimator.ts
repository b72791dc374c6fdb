import type { PodGroup } from './pod-groups.js';

/**
 * Simulated nodes: free room per dimension (flat `node * dims + d`), the node group each belongs
 * to, and whether any pod was put there. The estimator's scratch cluster.
 */
export class SimNodes {
  free: Float64Array;
  kind: Int32Array;
  pods: Int32Array;
  count = 0;

  constructor(readonly dims: number, capacity = 16) {
    this.free = new Float64Array(capacity * dims);
    this.kind = new Int32Array(capacity);
    this.pods = new Int32Array(capacity);
  }

  /** Adds a node with `room` free; returns its number. */
  add(room: ArrayLike<number>, kind: number): number {
    const D = this.dims;
    if (this.count === this.kind.length) {
      const n = this.kind.length * 2;
      const f = new Float64Array(n * D);
      f.set(this.free);
      this.free = f;
      const k = new Int32Array(n);
      k.set(this.kind);
      this.kind = k;
      const p = new Int32Array(n);
      p.set(this.pods);
      this.pods = p;
    }
    const i = this.count++;
    for (let d = 0; d < D; d++) this.free[i * D + d] = room[d];
    this.kind[i] = kind;
    this.pods[i] = 0;
    return i;
  }

  fits(i: number, req: ArrayLike<number>): boolean {
    const D = this.dims;
    const o = i * D;
    for (let d = 0; d < D; d++) if (req[d] > this.free[o + d]) return false;
    return true;
  }

  place(i: number, req: ArrayLike<number>): void {
    const D = this.dims;
    const o = i * D;
    for (let d = 0; d < D; d++) this.free[o + d] -= req[d];
    this.pods[i]++;
  }
}

export interface PackOptions {
  /** May pods of this group go on a node of that node group (its constraints against the group's labels and taints)? */
  eligible: (g: PodGroup, kind: number) => boolean;
  /** New nodes: their room (template allocatable minus DaemonSet pods), their node group, and how many may be added. */
  template?: { room: Float64Array; kind: number; limit: number };
  /** Per pod group, how many of its pods are already taken (skipped; default none). */
  skip?: Int32Array;
}

export interface PackResult {
  /** New nodes that received at least one pod. */
  newNodes: number;
  /** Pods placed, in total and per group (the first `placed[g]` not skipped of each group). */
  pods: number;
  placed: Int32Array;
  /** Σ requests of the pods placed, per dimension. */
  requested: Float64Array;
}

/**
 * The cluster autoscaler's binpacking estimator (kubernetes/autoscaler
 * cluster-autoscaler/estimator/binpacking_estimator.go, Estimate; First-Fit Decreasing): pod
 * groups are taken in decreasing score, `cpu / template allocatable cpu + memory / template
 * allocatable memory` (decreasing_pod_orderer.go); each group's pods first go, first fit, on the
 * simulated nodes already there, until one does not fit (tryToScheduleOnExistingNodes); the rest
 * go on the newest node or on a new template node (tryToScheduleOnNewNodes): a pod that does not
 * fit an empty new node stops its group, as does the node limit (the group's max size and
 * max-nodes-total). The estimate is the number of new nodes that received pods. Without a template
 * it only fills the nodes given (the pods that upcoming nodes will take).
 *
 * Cost: O(P + G·N) for P pods in G groups over N simulated nodes in the usual case (a group's
 * pods stop scanning at their first miss), O(P·N) at worst.
 */
export function packPods(groups: readonly PodGroup[], nodes: SimNodes, opts: PackOptions, scoreDims: { cpu: number; memory: number; allocatable?: Float64Array }): PackResult {
  const D = nodes.dims;
  const placed = new Int32Array(groups.length);
  const requested = new Float64Array(D);
  const order = decreasingOrder(groups, scoreDims);
  let newNodes = 0;
  let added = 0;
  let pods = 0;
  let last = -1;
  // Nodes from here on are new (template) nodes.
  const firstNew = nodes.count;
  const put = (gi: number, node: number, req: Float64Array): void => {
    if (node >= firstNew && nodes.pods[node] === 0) newNodes++;
    nodes.place(node, req);
    placed[gi]++;
    pods++;
    for (let d = 0; d < D; d++) requested[d] += req[d];
  };
  for (const gi of order) {
    const g = groups[gi];
    const req = g.request;
    let i = opts.skip ? opts.skip[gi] : 0;
    const n = g.tasks.length;
    // First fit on the simulated nodes there already, until the first miss.
    while (i < n) {
      let found = -1;
      for (let k = 0; k < nodes.count; k++) {
        if (nodes.fits(k, req) && opts.eligible(g, nodes.kind[k])) {
          found = k;
          break;
        }
      }
      if (found < 0) break;
      put(gi, found, req);
      i++;
    }
    const t = opts.template;
    if (!t || i >= n || !opts.eligible(g, t.kind)) continue;
    // The rest on the newest node, else on a new one.
    for (; i < n; i++) {
      if (last >= 0 && nodes.fits(last, req)) {
        put(gi, last, req);
        continue;
      }
      // An empty new node that cannot take the pod: another one could not either.
      if (last >= 0 && nodes.pods[last] === 0) break;
      if (added >= t.limit) break;
      last = nodes.add(t.room, t.kind);
      added++;
      if (!nodes.fits(last, req)) break;
      put(gi, last, req);
    }
  }
  return { newNodes, pods, placed, requested };
}

/** Group indices by decreasing score (cpu and memory shares of the template's allocatable); ties keep their order. */
function decreasingOrder(groups: readonly PodGroup[], s: { cpu: number; memory: number; allocatable?: Float64Array }): number[] {
  const score = groups.map((g) => {
    let x = 0;
    const a = s.allocatable;
    if (a && s.cpu >= 0 && a[s.cpu] > 0) x += g.request[s.cpu] / a[s.cpu];
    if (a && s.memory >= 0 && a[s.memory] > 0) x += g.request[s.memory] / a[s.memory];
    return x;
  });
  return groups.map((_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
}
