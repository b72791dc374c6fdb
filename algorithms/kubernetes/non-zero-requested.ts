import type { ClusterView } from '../../model/cluster-view.js';
import type { TaskView } from '../../model/task-view.js';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST } from './default-requests.js';

/**
 * kube's NodeInfo.NonZeroRequested for CPU and memory: the node's requests where every running
 * pod without a CPU (memory) request counts 100 millicores (200 MiB) — schedutil.GetNonzeroRequests,
 * used by NodeResourcesFit's LeastAllocated / MostAllocated / RequestedToCapacityRatio scores so
 * that pods without requests still spread. Kept as the extra amount on top of the cluster's plain
 * `requested` sums: `nonZero = requested + extra`. schedlab marks a missing request per task
 * (TaskView.missingRequest), so a task counts the default in a dimension it requests 0 of and
 * whose request was missing; an explicit 0 stays 0, as in kube.
 */
export class NonZeroRequested {
  /** extra[node * 2] = CPU millicores, extra[node * 2 + 1] = memory bytes added by defaults. */
  extra = new Float64Array(0);
  /** Running pods that carry a default in some dimension: 0 means `extra` is all zero. */
  pods = 0;

  /** The defaults task `t` adds, written to out[0] (CPU) and out[1] (memory). */
  static defaults(t: TaskView, cpu: number, mem: number, out: Float64Array): boolean {
    out[0] = cpu >= 0 && t.missingRequest && t.request[cpu] === 0 ? DEFAULT_MILLI_CPU_REQUEST : 0;
    out[1] = mem >= 0 && t.missingRequest && t.request[mem] === 0 ? DEFAULT_MEMORY_REQUEST : 0;
    return out[0] !== 0 || out[1] !== 0;
  }

  private readonly scratch = new Float64Array(2);
  private cpu = -1;
  private mem = -1;
  private resolved = false;

  private resolve(cluster: ClusterView): void {
    if (this.resolved) return;
    this.cpu = cluster.resources.names.indexOf('cpu');
    this.mem = cluster.resources.names.indexOf('memory');
    this.resolved = true;
  }

  bind(t: TaskView, node: number, cluster: ClusterView): void {
    if (!t.missingRequest) return;
    this.resolve(cluster);
    if (!NonZeroRequested.defaults(t, this.cpu, this.mem, this.scratch)) return;
    if (this.extra.length < (node + 1) * 2) {
      const e = new Float64Array(Math.max((node + 1) * 2, this.extra.length * 2));
      e.set(this.extra);
      this.extra = e;
    }
    this.extra[node * 2] += this.scratch[0];
    this.extra[node * 2 + 1] += this.scratch[1];
    this.pods++;
  }

  unbind(t: TaskView, node: number, cluster: ClusterView): void {
    if (!t.missingRequest) return;
    this.resolve(cluster);
    if (!NonZeroRequested.defaults(t, this.cpu, this.mem, this.scratch)) return;
    this.extra[node * 2] -= this.scratch[0];
    this.extra[node * 2 + 1] -= this.scratch[1];
    this.pods--;
  }

  /** Default CPU (k = 0) or memory (k = 1) amount on `node`. */
  get(node: number, k: 0 | 1): number {
    const i = node * 2 + k;
    return i < this.extra.length ? this.extra[i] : 0;
  }
}
