import { Cluster } from '../../harness/cluster.js';
import { TaskStore } from '../../harness/task-store.js';
import { NodeTaskLists } from '../../harness/node-task-lists.js';
import { TaskStatus } from '../../model/task-status.js';
import { StopCause, type Reaction, type ReactionHost } from '../../harness/reactions/reaction-host.js';
import type { Workload } from '../../model/workload.js';
import type { MachineSpec } from '../../model/machine.js';
import type { TaskBatch } from '../../model/task-batch.js';
import type { ReactionCause } from '../../reports/reaction-results.js';

/**
 * A ReactionHost for unit tests: a real Cluster and TaskStore, timers run by `advanceTo`, no
 * policy and no scheduling pass (tests place tasks with `startOn`). It records what the reactions
 * asked for (`log`, `enqueued`, `ended`) so a test can assert it. Semantics follow
 * harness/reactions/reaction-host.ts; the simulator is the real implementation.
 */
export class FakeReactionHost implements ReactionHost {
  readonly cluster: Cluster;
  readonly tasks: TaskStore;
  readonly workload: Workload;
  readonly seed: number;
  readonly reactions: Reaction[] = [];
  readonly log: Array<{ time: number; cause: ReactionCause; node: number; task: number; amount: number; duration: number }> = [];
  /** Tasks put in the queue, in order, with the time. */
  readonly enqueued: Array<{ task: number; time: number }> = [];
  readonly ended: Array<{ task: number; status: 'failed' | 'rejected'; time: number }> = [];
  readonly pendingSet = new Set<number>();
  private t = 0;
  private readonly lists = new NodeTaskLists();
  private timers: Array<{ time: number; seq: number; fn: (t: number) => void }> = [];
  private seq = 0;
  private readonly terminating = new Set<number>();
  private readonly ready: number[] = [];
  private readonly down: number[] = [];

  constructor(workload: Workload, batches: TaskBatch[] = [], seed = 1) {
    this.workload = workload;
    this.seed = seed;
    this.cluster = new Cluster(workload.resources, workload.machines.length);
    this.tasks = new TaskStore(workload.resources.names.length, workload.resources.names, workload.priorityScale);
    for (const m of workload.machines) this.addNode(m);
    for (const b of batches) this.tasks.append(b);
    this.lists.ensureTasks(this.tasks.count + 1);
  }

  /** Registers reactions and calls their `start`. */
  use(...reactions: Reaction[]): this {
    for (const r of reactions) {
      this.reactions.push(r);
      r.start?.(this, this.t);
    }
    return this;
  }

  now(): number {
    return this.t;
  }

  at(t: number, fn: (t: number) => void): void {
    if (t < this.t) throw new Error(`timer at ${t} µs is before now (${this.t} µs)`);
    this.timers.push({ time: t, seq: this.seq++, fn });
  }

  /** Runs every timer due up to `t` in (time, order set), then sets the clock to `t`. */
  advanceTo(t: number): void {
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.timers.length; i++) {
        const x = this.timers[i];
        if (x.time > t) continue;
        if (best < 0 || x.time < this.timers[best].time || (x.time === this.timers[best].time && x.seq < this.timers[best].seq)) best = i;
      }
      if (best < 0) break;
      const x = this.timers.splice(best, 1)[0];
      this.t = x.time;
      x.fn(x.time);
    }
    this.t = t;
  }

  /** Submits a task as the simulator would: admission first, then the queue. */
  submit(task: number): boolean {
    for (const r of this.reactions) if (r.admit && !r.admit(task, this.t)) return false;
    this.enqueue(task);
    return true;
  }

  /** Tells the reactions the task found no node (as after a failed pass); true = a reaction took it out of the queue. */
  unplaced(task: number): boolean {
    for (const r of this.reactions) {
      if (r.unplaced?.(task, this.t) === true) {
        this.pendingSet.delete(task);
        return true;
      }
    }
    return false;
  }

  /** Runs every reaction's afterPass. */
  afterPass(): void {
    for (const r of this.reactions) r.afterPass?.(this.t);
  }

  firstOn(node: number): number {
    return this.lists.first(node);
  }
  nextOn(task: number): number {
    return this.lists.after(task);
  }
  countOn(node: number): number {
    return this.lists.size(node);
  }
  admissionVectors(): Float64Array {
    return this.tasks.request;
  }

  private req(task: number): Float64Array {
    const D = this.tasks.dims;
    return this.tasks.request.subarray(task * D, task * D + D);
  }

  startOn(task: number, node: number): void {
    if (!this.cluster.fits(node, this.req(task))) throw new Error(`task ${task} does not fit on node ${node}`);
    this.pendingSet.delete(task);
    this.cluster.bind(node, this.req(task));
    this.lists.ensureTasks(this.tasks.count + 1);
    this.lists.add(node, task);
    const ts = this.tasks;
    ts.node[task] = node;
    ts.start[task] = this.t;
    ts.status[task] = TaskStatus.Running;
    ts.attempts[task]++;
    for (const r of this.reactions) r.started?.(task, node, this.t);
  }

  stopTask(task: number, cause: StopCause): void {
    const ts = this.tasks;
    if (ts.status[task] !== TaskStatus.Running) throw new Error(`task ${task} is not running`);
    const node = ts.node[task];
    this.cluster.unbind(node, this.req(task));
    this.lists.remove(node, task);
    this.terminating.delete(task);
    const lost = cause === StopCause.Finished ? 0 : (this.t - ts.start[task]) / 1e6;
    ts.status[task] =
      cause === StopCause.Finished
        ? TaskStatus.Finished
        : cause === StopCause.Killed
          ? TaskStatus.Killed
          : cause === StopCause.JobFailed || cause === StopCause.OomKilled
            ? TaskStatus.Failed
            : TaskStatus.Evicted;
    ts.end[task] = this.t;
    for (const r of this.reactions) r.stopped?.(task, node, this.t, cause, lost);
  }

  terminate(task: number, cause: StopCause, grace: number, then?: (t: number) => void): boolean {
    if (this.terminating.has(task) || this.tasks.status[task] !== TaskStatus.Running) return false;
    this.terminating.add(task);
    this.at(this.t + grace, (t) => {
      if (this.tasks.status[task] === TaskStatus.Running && this.terminating.has(task)) this.stopTask(task, cause);
      then?.(t);
    });
    return true;
  }

  isTerminating(task: number): boolean {
    return this.terminating.has(task);
  }

  enqueue(task: number): void {
    this.tasks.status[task] = TaskStatus.Pending;
    this.tasks.node[task] = -1;
    this.pendingSet.add(task);
    this.enqueued.push({ task, time: this.t });
  }

  recreate(task: number): boolean {
    return this.submit(task);
  }

  endForGood(task: number, status: 'failed' | 'rejected'): void {
    if (this.tasks.status[task] === TaskStatus.Running) throw new Error(`endForGood: task ${task} is running (stop it first)`);
    this.pendingSet.delete(task);
    this.tasks.status[task] = status === 'failed' ? TaskStatus.Failed : TaskStatus.Rejected;
    this.tasks.end[task] = this.t;
    this.ended.push({ task, status, time: this.t });
    for (const r of this.reactions) r.dropped?.(task, this.t);
  }

  addNode(spec: MachineSpec): number {
    const node = this.cluster.addNode(spec);
    this.lists.ensureNodes(node + 1);
    this.ready[node] = 1;
    this.down[node] = 0;
    for (const r of this.reactions) r.nodeAdded?.(node, this.t);
    return node;
  }

  removeNode(node: number, cause: StopCause): void {
    for (let task = this.lists.first(node); task >= 0; ) {
      const next = this.lists.after(task);
      this.stopTask(task, cause);
      task = next;
    }
    this.cluster.removeNode(node);
    for (const r of this.reactions) r.nodeRemoved?.(node, this.t);
  }

  setNodeReady(node: number, ready: boolean): void {
    this.ready[node] = ready ? 1 : 0;
  }
  isNodeReady(node: number): boolean {
    return this.ready[node] === 1;
  }
  setNodeDown(node: number, down: boolean): void {
    if ((this.down[node] === 1) === down) return;
    this.down[node] = down ? 1 : 0;
    if (!down) for (let task = this.lists.first(node); task >= 0; task = this.lists.after(task)) this.tasks.start[task] = this.t;
    for (const r of this.reactions) r.nodeDown?.(node, this.t, down);
  }
  isNodeDown(node: number): boolean {
    return this.down[node] === 1;
  }

  forEachPending(fn: (task: number) => void): void {
    for (const task of [...this.pendingSet].sort((a, b) => a - b)) fn(task);
  }

  logEvent(cause: ReactionCause, node: number, task: number, amount: number, duration: number): void {
    this.log.push({ time: this.t, cause, node, task, amount, duration });
  }
}
