/**
 * Which tasks run on each node, as intrusive doubly-linked lists over typed arrays (head per node,
 * next/prev per task): O(1) add and remove, a node's tasks walked without scanning the others.
 */
export class NodeTaskLists {
  private head = new Int32Array(0);
  private count = new Int32Array(0);
  private next = new Int32Array(0);
  private prev = new Int32Array(0);

  ensureNodes(n: number): void {
    if (n <= this.head.length) return;
    const size = Math.max(n, this.head.length * 2, 64);
    const h = new Int32Array(size).fill(-1);
    h.set(this.head);
    this.head = h;
    const c = new Int32Array(size);
    c.set(this.count);
    this.count = c;
  }

  ensureTasks(n: number): void {
    if (n <= this.next.length) return;
    const size = Math.max(n, this.next.length * 2, 1024);
    const nx = new Int32Array(size);
    nx.set(this.next);
    this.next = nx;
    const pv = new Int32Array(size);
    pv.set(this.prev);
    this.prev = pv;
  }

  add(node: number, task: number): void {
    const h = this.head[node];
    this.next[task] = h;
    this.prev[task] = -1;
    if (h >= 0) this.prev[h] = task;
    this.head[node] = task;
    this.count[node]++;
  }

  remove(node: number, task: number): void {
    const p = this.prev[task];
    const n = this.next[task];
    if (p >= 0) this.next[p] = n;
    else this.head[node] = n;
    if (n >= 0) this.prev[n] = p;
    this.count[node]--;
  }

  first(node: number): number {
    return node < this.head.length ? this.head[node] : -1;
  }

  after(task: number): number {
    return this.next[task];
  }

  size(node: number): number {
    return node < this.count.length ? this.count[node] : 0;
  }
}
