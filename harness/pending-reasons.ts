import type { ClusterView } from '../model/cluster-view.js';
import type { Policy } from '../algorithms/policy.js';
import type { TaskView } from '../model/task-view.js';
import { resourceReasonLabels } from '../algorithms/insufficient-resources.js';
import { TaskStatus } from '../model/task-status.js';
import type { TaskStore } from './task-store.js';

/**
 * Why each task still pending at the end of a replay is pending, in kube-scheduler's words: its
 * FailedScheduling message (pkg/scheduler/framework/types.go FitError.Error)
 *
 *   0/5 nodes are available: 3 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.
 *
 * — every up node's rejection reasons counted, each "<count> <reason>" formatted and the list
 * sorted as strings (Go's sort.Strings), "no nodes available to schedule pods" when no node is up.
 * The per-node reasons come from the policy (Policy.unschedulableReasons: the kube-framework
 * filters) or, for every other policy, from the resources each node lacks (NodeResourcesFit's
 * wording); a node with room that the policy still declined counts as such.
 *
 * Cost: computed once, after the run, for the pending tasks only, and once per distinct (job,
 * request) among them (per request, for reasons by resources alone) — tasks of one class share
 * the answer — so the scheduling hot path is untouched: O(pending classes × nodes) for a policy's
 * own diagnosis, O(pending shapes × resources × log nodes) by resources.
 */
export interface PendingReasons {
  /** Per task: index into `messages`; -1 = not pending at the end. Empty when nothing is pending. */
  messageOf: Int32Array;
  /** Distinct FailedScheduling messages. */
  messages: string[];
  /** Per node-level reason: how many pending tasks it applies to (on at least one node). */
  byReason: Map<string, number>;
}

export const NO_NODES_MESSAGE = 'no nodes available to schedule pods';
/** `--placement recorded` follows the trace: a task it never starts has that one reason. */
export const RECORDED_REASON = 'the trace records no start for it within the window (--placement recorded)';

/** kube's FitError message from per-node reason counts. */
export function failedSchedulingMessage(nodes: number, counts: ReadonlyMap<string, number>): string {
  if (nodes === 0) return NO_NODES_MESSAGE;
  const parts = [...counts.entries()].map(([reason, n]) => `${n} ${reason}`);
  // Go's sort.Strings: byte order, not locale order.
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `0/${nodes} nodes are available: ${parts.join(', ')}.`;
}

/** The reason for a node that had room for the request but the policy still declined. */
export const declinedReason = (policy: string) => `node(s) had free resources but policy ${policy} declined them`;

/**
 * Per-node reasons by resources alone (policies without their own diagnosis), counted without a
 * pass over the nodes per task: the cluster is frozen at the end, so each resource's free amounts
 * over the up nodes are sorted once, and "Insufficient r" counts the nodes whose free r is below
 * the request (a binary search). Nodes where every resource fits — the policy declined them — are
 * counted through the feasibility index.
 */
export class ResourceShortfalls {
  private readonly sortedFree: Float64Array[] = [];
  private readonly labels: string[];
  private readonly declined: string;
  private scratch: Int32Array;

  constructor(
    private readonly cluster: ClusterView,
    policy: string,
  ) {
    this.labels = resourceReasonLabels(cluster.resources);
    this.declined = declinedReason(policy);
    const D = cluster.dims;
    for (let d = 0; d < D; d++) {
      const free = new Float64Array(cluster.upCount);
      let k = 0;
      for (let node = 0; node < cluster.nodeCount; node++) if (cluster.up[node]) free[k++] = cluster.free[node * D + d];
      this.sortedFree.push(free.sort());
    }
    this.scratch = new Int32Array(Math.max(1, cluster.nodeCount));
  }

  count(request: Float64Array, out: Map<string, number>): void {
    for (let d = 0; d < this.sortedFree.length; d++) {
      const r = request[d];
      if (!(r > 0)) continue;
      const n = countBelow(this.sortedFree[d], r);
      if (n > 0) out.set(this.labels[d], (out.get(this.labels[d]) ?? 0) + n);
    }
    const fitting = this.cluster.upCount === 0 ? 0 : this.cluster.feasible(request, 0, this.scratch.length, this.scratch);
    if (fitting > 0) out.set(this.declined, (out.get(this.declined) ?? 0) + fitting);
  }
}

/** How many values of the ascending array are below x. */
function countBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const EMPTY = new Int32Array(0);

/**
 * The reasons of every task pending at the end (status pending, submitted by `horizon`).
 * `view(task)` gives the policy's view of a task; `recorded` marks `--placement recorded`.
 */
export function explainPending(
  tasks: TaskStore,
  cluster: ClusterView,
  policy: Policy,
  horizon: number,
  view: (task: number) => TaskView,
  recorded: boolean,
): PendingReasons {
  const byReason = new Map<string, number>();
  const messages: string[] = [];
  const messageIndex = new Map<string, number>();
  let messageOf = EMPTY;
  const cache = new Map<string, { message: number; reasons: string[] }>();
  const D = tasks.dims;
  let shortfalls: ResourceShortfalls | undefined;
  const byJob = recorded || policy.unschedulableReasons !== undefined;
  for (let i = 0; i < tasks.count; i++) {
    if (tasks.status[i] !== TaskStatus.Pending || tasks.submit[i] > horizon) continue;
    if (messageOf === EMPTY) messageOf = new Int32Array(tasks.count).fill(-1);
    // The policy's own diagnosis may depend on the job (its constraints); resources alone do not.
    let key = byJob ? `${tasks.job[i]}` : '';
    for (let d = 0; d < D; d++) key += `,${tasks.request[i * D + d]}`;
    let hit = cache.get(key);
    if (hit === undefined) {
      const counts = new Map<string, number>();
      if (recorded) counts.set(RECORDED_REASON, 1);
      else if (policy.unschedulableReasons) policy.unschedulableReasons(view(i), cluster, counts);
      else (shortfalls ??= new ResourceShortfalls(cluster, policy.name)).count(view(i).request, counts);
      const message = recorded ? RECORDED_REASON : failedSchedulingMessage(cluster.upCount, counts);
      let m = messageIndex.get(message);
      if (m === undefined) {
        m = messages.push(message) - 1;
        messageIndex.set(message, m);
      }
      hit = { message: m, reasons: cluster.upCount === 0 && !recorded ? [NO_NODES_MESSAGE] : [...counts.keys()] };
      cache.set(key, hit);
    }
    messageOf[i] = hit.message;
    for (const r of hit.reasons) byReason.set(r, (byReason.get(r) ?? 0) + 1);
  }
  return { messageOf, messages, byReason };
}
