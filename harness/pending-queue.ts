/**
 * Tasks waiting for a node: one FIFO per priority level, served highest priority first, FIFO
 * within a priority (Borg and kube-scheduler's PrioritySort). A sweep visits tasks in that order
 * and removes those the visitor placed, compacting in place (no per-task allocation).
 */
export class PendingQueue {
  private readonly levels = new Map<number, { items: Int32Array; len: number }>();
  /** Priorities present, highest first. */
  private order: number[] = [];
  size = 0;

  add(task: number, priority: number): void {
    let level = this.levels.get(priority);
    if (!level) {
      level = { items: new Int32Array(64), len: 0 };
      this.levels.set(priority, level);
      this.order.push(priority);
      this.order.sort((a, b) => b - a);
    }
    if (level.len === level.items.length) {
      const bigger = new Int32Array(level.items.length * 2);
      bigger.set(level.items);
      level.items = bigger;
    }
    level.items[level.len++] = task;
    this.size++;
  }

  /** Visits every pending task in queue order; a task for which `visit` returns true leaves. */
  sweep(visit: (task: number) => boolean): void {
    for (const p of this.order) {
      const level = this.levels.get(p)!;
      const items = level.items;
      let w = 0;
      for (let r = 0; r < level.len; r++) {
        const t = items[r];
        if (!visit(t)) items[w++] = t;
      }
      this.size -= level.len - w;
      level.len = w;
    }
  }

  /** Removes one task (e.g. killed while pending); O(level size). */
  remove(task: number, priority: number): boolean {
    const level = this.levels.get(priority);
    if (!level) return false;
    const i = level.items.subarray(0, level.len).indexOf(task);
    if (i < 0) return false;
    level.items.copyWithin(i, i + 1, level.len);
    level.len--;
    this.size--;
    return true;
  }

  toArray(): number[] {
    const out: number[] = [];
    this.sweep((t) => {
      out.push(t);
      return false;
    });
    return out;
  }
}
