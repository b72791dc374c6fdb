import type { ClusterView, Policy, TaskView } from '../algorithms/policy.js';
import { insufficientResources, resourceReasonLabels } from '../algorithms/insufficient-resources.js';
import { TaskStatus, type TaskStore } from './task-store.js';

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
 * request) among them — tasks of one class share the answer — so the scheduling hot path is
 * untouched: O(pending classes × nodes).
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

/** Per-node reasons by resources alone (policies without their own diagnosis). */
export function resourceShortfalls(task: TaskView, cluster: ClusterView, policy: string, out: Map<string, number>): void {
  const labels = resourceReasonLabels(cluster.resources);
  const lacks: string[] = [];
  const declined = declinedReason(policy);
  for (let node = 0; node < cluster.nodeCount; node++) {
    if (!cluster.up[node]) continue;
    lacks.length = 0;
    if (insufficientResources(cluster, task.request, node, labels, lacks) === 0) lacks.push(declined);
    for (const r of lacks) out.set(r, (out.get(r) ?? 0) + 1);
  }
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
  for (let i = 0; i < tasks.count; i++) {
    if (tasks.status[i] !== TaskStatus.Pending || tasks.submit[i] > horizon) continue;
    if (messageOf === EMPTY) messageOf = new Int32Array(tasks.count).fill(-1);
    let key = `${tasks.job[i]}`;
    for (let d = 0; d < D; d++) key += `,${tasks.request[i * D + d]}`;
    let hit = cache.get(key);
    if (hit === undefined) {
      const counts = new Map<string, number>();
      if (recorded) counts.set(RECORDED_REASON, 1);
      else if (policy.unschedulableReasons) policy.unschedulableReasons(view(i), cluster, counts);
      else resourceShortfalls(view(i), cluster, policy.name, counts);
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
