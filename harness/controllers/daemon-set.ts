import { StopCause } from '../reactions/reaction-host.js';

/**
 * DaemonSet pods (kubernetes.io/docs/concepts/workloads/controllers/daemonset/): one pod per
 * eligible node, each the job the reader made for that node (pinned to it; nodes that join later
 * get theirs from Workload.daemonPodsFor, created by the host). A lost pod is recreated on its
 * node at once while the node exists; when the node leaves (removed, or drained and deleted by
 * the autoscaler), its pod is gone with it — the DaemonSet no longer wants a pod there, and a
 * pod still waiting for that node ends (pkg/controller/daemon: pods of deleted nodes are
 * removed). This tracks which waiting pod belongs to which node.
 */
export class DaemonPods {
  private readonly waitingOn = new Map<number, Set<number>>();
  private readonly nodeOfWaiting = new Map<number, number>();

  /** A stop for this cause takes the node away with the pod. */
  static nodeGone(cause: StopCause): boolean {
    return cause === StopCause.MachineRemoved || cause === StopCause.ScaleDown;
  }

  /** The pod waits (in the queue) for `node`. */
  waiting(task: number, node: number): void {
    if (node < 0) return;
    this.leave(task);
    let s = this.waitingOn.get(node);
    if (!s) this.waitingOn.set(node, (s = new Set()));
    s.add(task);
    this.nodeOfWaiting.set(task, node);
  }

  /** The pod no longer waits (started, or ended). */
  leave(task: number): void {
    const node = this.nodeOfWaiting.get(task);
    if (node === undefined) return;
    this.nodeOfWaiting.delete(task);
    const s = this.waitingOn.get(node);
    if (!s) return;
    s.delete(task);
    if (s.size === 0) this.waitingOn.delete(node);
  }

  /** The node left: its waiting pods, in task order (they are forgotten here). */
  takeWaiting(node: number): number[] {
    const s = this.waitingOn.get(node);
    if (!s) return [];
    this.waitingOn.delete(node);
    const out = [...s].sort((a, b) => a - b);
    for (const task of out) this.nodeOfWaiting.delete(task);
    return out;
  }
}
