import type { TaskStore } from '../task-store.js';
import type { ReactionHost } from '../reactions/reaction-host.js';
import { TaskStatus } from '../../model/task-status.js';

/**
 * The pods the scheduler could not place (its `unplaced` calls): what both autoscalers act on
 * (cluster-autoscaler FAQ.md "How does scale-up work?": pods whose PodScheduled condition is
 * False with reason Unschedulable; Karpenter watches the same). `add` is O(1) amortized, on the
 * scheduling path; a pod that started or ended is forgotten lazily, when the list is read.
 *
 * The simulator offers one pod per class of identical waiting pods (the rest of the class would
 * fail the same way, so it does not try them): the marks say *that* pods are unschedulable, and
 * `unschedulable()` then reads the whole queue.
 */
export class PendingPods {
  private mark = new Uint8Array(1024);
  private list = new Int32Array(1024);
  private size = 0;

  /** Records an unplaced pod; true when it was not already listed. */
  add(task: number): boolean {
    if (task >= this.mark.length) {
      const m = new Uint8Array(Math.max(task + 1, this.mark.length * 2));
      m.set(this.mark);
      this.mark = m;
    }
    if (this.mark[task] === 1) return false;
    this.mark[task] = 1;
    if (this.size === this.list.length) {
      const l = new Int32Array(this.list.length * 2);
      l.set(this.list);
      this.list = l;
    }
    this.list[this.size++] = task;
    return true;
  }

  /** Forgets a pod (it started, or ended for good). */
  forget(task: number): void {
    if (task < this.mark.length) this.mark[task] = 0;
  }

  has(task: number): boolean {
    return task < this.mark.length && this.mark[task] === 1;
  }

  /** The pods still pending, in the order they were first seen unplaced (compacts the list). */
  live(tasks: TaskStore): Int32Array {
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      const task = this.list[i];
      if (this.mark[task] !== 1) continue;
      if (tasks.status[task] !== TaskStatus.Pending) {
        this.mark[task] = 0;
        continue;
      }
      // 2 while compacting: a pod listed twice (forgotten, then unplaced again) is kept once.
      this.mark[task] = 2;
      this.list[n++] = task;
    }
    for (let i = 0; i < n; i++) this.mark[this.list[i]] = 1;
    this.size = n;
    return this.list.subarray(0, n);
  }
}

/**
 * The pods waiting in the queue when at least one was found unschedulable (else none): the queue
 * as the host lists it (pods held by a reaction — nominated for preemption, parked by admission —
 * are not in it, as upstream does not scale up for a pod waiting for its victims). O(queue) per
 * call, once per autoscaler loop.
 */
export function unschedulablePods(host: ReactionHost, marks: PendingPods): number[] {
  if (marks.live(host.tasks).length === 0) return [];
  const out: number[] = [];
  host.forEachPending((task) => out.push(task));
  return out;
}
