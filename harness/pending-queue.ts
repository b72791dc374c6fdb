/**
 * Tasks waiting for a node, grouped into equivalence classes: tasks of the same job with the same
 * queue level and the same request vector (Borg's "equivalence classes", Verma et al. EuroSys'15
 * §3.4). The level is what the queue order sorts by (the priority by default; see
 * queue-order.ts). Classes are served highest level first, and within a level in the order they
 * became pending; a class's tasks are FIFO. When a class's head task cannot be placed, the rest
 * of the class cannot either, so a scheduling pass costs O(classes), not O(tasks).
 */
export class PendingClass {
  /** The queue level (priority, or what the queue order uses instead). */
  readonly priority: number;
  readonly job: number;
  /** A task of the class, whose request is the class's shape. */
  readonly exemplar: number;
  items = new Int32Array(8);
  head = 0;
  len = 0;
  /** Holds tasks not yet tried since they arrived. */
  fresh = false;
  /**
   * The last failure was the policy's choice while nodes with room existed (a placement
   * constraint: affinity, taints, spread...), so freed capacity alone does not say when to retry.
   */
  constrained = false;
  key: string;

  constructor(priority: number, job: number, exemplar: number, key: string) {
    this.priority = priority;
    this.job = job;
    this.exemplar = exemplar;
    this.key = key;
  }

  push(task: number): void {
    if (this.head + this.len === this.items.length) {
      if (this.head > this.items.length / 2) {
        this.items.copyWithin(0, this.head, this.head + this.len);
        this.head = 0;
      } else {
        const bigger = new Int32Array(this.items.length * 2);
        bigger.set(this.items.subarray(this.head, this.head + this.len));
        this.items = bigger;
        this.head = 0;
      }
    }
    this.items[this.head + this.len++] = task;
  }
}

export class PendingQueue {
  private readonly levels = new Map<number, PendingClass[]>();
  /** Priorities present, highest first. */
  private order: number[] = [];
  private readonly byKey = new Map<string, PendingClass>();
  private last: PendingClass | undefined;
  size = 0;
  private readonly dims: number;

  constructor(dims: number) {
    this.dims = dims;
  }

  /** Adds a task whose request is `request[task * dims ...]`. */
  add(task: number, priority: number, job: number, request: Float64Array): void {
    const D = this.dims;
    let cls = this.last;
    // Fast path: tasks of one job usually arrive one after another.
    if (!cls || cls.len === 0 || cls.priority !== priority || cls.job !== job || !sameShape(request, cls.exemplar * D, task * D, D)) {
      let key = `${priority}|${job}`;
      for (let d = 0; d < D; d++) key += `|${request[task * D + d]}`;
      cls = this.byKey.get(key);
      if (!cls) {
        cls = new PendingClass(priority, job, task, key);
        this.byKey.set(key, cls);
        let level = this.levels.get(priority);
        if (!level) {
          level = [];
          this.levels.set(priority, level);
          this.order.push(priority);
          this.order.sort((a, b) => b - a);
        }
        level.push(cls);
      }
    }
    cls.push(task);
    cls.fresh = true;
    this.last = cls;
    this.size++;
  }

  /**
   * One scheduling pass. Classes are visited in queue order; a class without fresh tasks is
   * skipped unless `worthRetrying(class)` says capacity it could use has appeared. Within a class,
   * `place(task)` is called on the head until it returns false or the class is empty.
   */
  sweep(worthRetrying: (cls: PendingClass) => boolean, place: (task: number, cls: PendingClass) => boolean): void {
    for (const p of this.order) {
      const level = this.levels.get(p)!;
      let w = 0;
      for (let r = 0; r < level.length; r++) {
        const cls = level[r];
        if (cls.fresh || worthRetrying(cls)) {
          cls.fresh = false;
          while (cls.len > 0 && place(cls.items[cls.head], cls)) {
            cls.head++;
            cls.len--;
            this.size--;
          }
        }
        if (cls.len > 0) level[w++] = cls;
        else this.drop(cls);
      }
      level.length = w;
    }
  }

  /**
   * A pass for fair sharing (DRF): levels are users; at each step the level with the smallest
   * `share(level)` that still has a class worth trying goes next, so shares are re-read after
   * every placement. A class whose head fails is done for this pass.
   */
  sweepFair(share: (level: number) => number, worthRetrying: (cls: PendingClass) => boolean, place: (task: number, cls: PendingClass) => boolean): void {
    const active: Array<{ level: number; classes: PendingClass[]; cursor: number }> = [];
    for (const p of this.order) {
      const classes = this.levels.get(p)!;
      if (classes.length > 0) active.push({ level: p, classes, cursor: 0 });
    }
    while (active.length > 0) {
      let bi = 0;
      let best = share(active[0].level);
      for (let i = 1; i < active.length; i++) {
        const x = share(active[i].level);
        if (x < best) {
          best = x;
          bi = i;
        }
      }
      const a = active[bi];
      const cls = a.classes[a.cursor];
      let done = true;
      if (cls.len > 0 && (cls.fresh || worthRetrying(cls))) {
        if (place(cls.items[cls.head], cls)) {
          cls.head++;
          cls.len--;
          this.size--;
          done = cls.len === 0;
        } else cls.fresh = false;
      }
      if (done) {
        cls.fresh = false;
        if (++a.cursor === a.classes.length) active.splice(bi, 1);
      }
    }
    for (const p of this.order) {
      const level = this.levels.get(p)!;
      let w = 0;
      for (const cls of level) {
        if (cls.len > 0) level[w++] = cls;
        else this.drop(cls);
      }
      level.length = w;
    }
  }

  /** Pending tasks in queue order (for tests and reports). */
  toArray(): number[] {
    const out: number[] = [];
    for (const p of this.order) for (const cls of this.levels.get(p)!) out.push(...cls.items.subarray(cls.head, cls.head + cls.len));
    return out;
  }

  classCount(): number {
    return this.byKey.size;
  }

  private drop(cls: PendingClass): void {
    this.byKey.delete(cls.key);
    if (this.last === cls) this.last = undefined;
  }
}

function sameShape(req: Float64Array, a: number, b: number, D: number): boolean {
  for (let d = 0; d < D; d++) if (req[a + d] !== req[b + d]) return false;
  return true;
}
