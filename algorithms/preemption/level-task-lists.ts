/**
 * The running tasks of each node and priority level, as intrusive lists over typed arrays (head per
 * node and level, next / prev per task), newest start first: a task joins the front of its list
 * when it starts, and the simulator's time only moves forward. Borg takes victims of one level
 * newest first, so its victims on a node are a prefix of these lists — found without gathering
 * and sorting every task of the node. A task whose start time was moved afterwards (a container
 * restart, a node coming back), or tasks of one instant started out of task order, can leave a
 * list out of order; readers check the order and fall back to sorting when it is broken.
 */
export class LevelTaskLists {
  private head = new Int32Array(0);
  private nextOf = new Int32Array(0);
  private prevOf = new Int32Array(0);
  private nodeSlots = 0;

  constructor(readonly maxLevels: number) {}

  ensureNodes(n: number): void {
    if (n <= this.nodeSlots) return;
    const size = Math.max(n, this.nodeSlots * 2, 16);
    const h = new Int32Array(size * this.maxLevels).fill(-1);
    h.set(this.head);
    this.head = h;
    this.nodeSlots = size;
  }

  ensureTasks(n: number): void {
    if (n <= this.nextOf.length) return;
    const size = Math.max(n, this.nextOf.length * 2, 1024);
    const nx = new Int32Array(size);
    nx.set(this.nextOf);
    this.nextOf = nx;
    const pv = new Int32Array(size);
    pv.set(this.prevOf);
    this.prevOf = pv;
  }

  /** Empties every list (the levels were rebuilt; the caller adds the running tasks again). */
  clear(): void {
    this.head.fill(-1);
  }

  add(node: number, level: number, task: number): void {
    const slot = node * this.maxLevels + level;
    const h = this.head[slot];
    this.nextOf[task] = h;
    this.prevOf[task] = -1;
    if (h >= 0) this.prevOf[h] = task;
    this.head[slot] = task;
  }

  remove(node: number, level: number, task: number): void {
    const p = this.prevOf[task];
    const n = this.nextOf[task];
    if (p >= 0) this.nextOf[p] = n;
    else this.head[node * this.maxLevels + level] = n;
    if (n >= 0) this.prevOf[n] = p;
  }

  first(node: number, level: number): number {
    return this.head[node * this.maxLevels + level];
  }

  next(task: number): number {
    return this.nextOf[task];
  }
}
