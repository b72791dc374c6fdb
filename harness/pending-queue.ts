import { PendingClassIndex } from './pending-class-index.js';

/**
 * Tasks waiting for a node, grouped into equivalence classes: tasks of the same job with the same
 * queue level and the same request vector (Borg's "equivalence classes", Verma et al. EuroSys'15
 * §3.4). The level is what the queue order sorts by (the priority by default; see
 * queue-order.ts). Classes are served highest level first, and within a level in the order they
 * became pending; a class's tasks are FIFO. When a class's head task cannot be placed, the rest
 * of the class cannot either, so a scheduling pass costs O(classes), not O(tasks).
 *
 * The indexed pass (`sweepIndexed`) goes further: it visits only the classes that could act in
 * this pass — those with fresh tasks, those waiting on a constraint, and, one after another in
 * queue order, the next class whose request fits under the room freed since the last pass as it is
 * at that moment (harness/pending-class-index.ts) — with the same per-class test as the full pass,
 * so it makes the same decisions while skipping the blocked classes the full pass would have
 * looked at in vain. If the queue or the freed room changes in the middle of a pass (a reaction
 * re-queues a victim, frees a node), it continues as the full pass from where it is.
 */
export class PendingClass {
  /** The queue level (priority, or what the queue order uses instead). */
  readonly priority: number;
  readonly job: number;
  /** The class's request vector (a copy: the exemplar's row may be reused once it finishes). */
  readonly shape: Float64Array;
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
  /** Emptied and removed from the queue (level arrays drop it lazily). */
  dead = false;
  /** Position in its level's array (and in the level's class index). */
  pos = -1;
  /** Last indexed pass that listed it as a candidate. */
  stamp = 0;
  /** Listed in the queue's constrained list. */
  listedConstrained = false;

  constructor(priority: number, job: number, key: string, shape: Float64Array) {
    this.priority = priority;
    this.job = job;
    this.key = key;
    this.shape = shape;
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

/**
 * Where a scheduling pass finds room that appeared since the last one: free vectors
 * `array(i)[offset(i) .. +dims)`, read live (they shrink as the pass places tasks). Must cover
 * every vector the caller's worthRetrying test consults.
 */
export interface FreedRoom {
  count(): number;
  array(i: number): Float64Array;
  offset(i: number): number;
  /** A count that moves whenever room is freed; a change during a pass ends the indexed part of it. */
  epoch(): number;
}

export type WorthRetrying = (cls: PendingClass) => boolean;
export type PlaceTask = (task: number, cls: PendingClass) => boolean;

export class PendingQueue {
  private readonly levels = new Map<number, PendingClass[]>();
  /** Per level, its classes' requests by position (see PendingClassIndex). */
  private readonly indexes = new Map<number, PendingClassIndex>();
  /** Priorities present, highest first. */
  private order: number[] = [];
  private readonly byKey = new Map<string, PendingClass>();
  private last: PendingClass | undefined;
  size = 0;
  private readonly dims: number;
  /** Classes that turned fresh since the last pass. */
  private freshList: PendingClass[] = [];
  /** Classes whose last failure was a constraint (some may have left that state: filtered when read). */
  private constrainedList: PendingClass[] = [];
  private liveClasses = 0;
  private deadInLevels = 0;
  /** Bumped by every add(), so a pass can tell the queue changed under it. */
  private adds = 0;
  private passNo = 0;
  private candidates: PendingClass[] = [];

  constructor(dims: number) {
    this.dims = dims;
  }

  /** Adds a task whose request is `request[task * dims ...]`; returns its class. */
  add(task: number, priority: number, job: number, request: Float64Array): PendingClass {
    const D = this.dims;
    this.adds++;
    let cls = this.last;
    // Fast path: tasks of one job usually arrive one after another.
    if (!cls || cls.len === 0 || cls.priority !== priority || cls.job !== job || !sameShape(request, task * D, cls.shape, D)) {
      let key = `${priority}|${job}`;
      for (let d = 0; d < D; d++) key += `|${request[task * D + d]}`;
      cls = this.byKey.get(key);
      if (!cls) {
        const shape = request.slice(task * D, task * D + D);
        cls = new PendingClass(priority, job, key, shape);
        this.byKey.set(key, cls);
        this.liveClasses++;
        let level = this.levels.get(priority);
        if (!level) {
          level = [];
          this.levels.set(priority, level);
          this.indexes.set(priority, new PendingClassIndex(D));
          this.order.push(priority);
          this.order.sort((a, b) => b - a);
        }
        cls.pos = level.length;
        level.push(cls);
        this.indexes.get(priority)!.set(cls.pos, shape);
      }
    }
    cls.push(task);
    if (!cls.fresh) {
      cls.fresh = true;
      this.freshList.push(cls);
    }
    this.last = cls;
    this.size++;
    return cls;
  }

  /**
   * One scheduling pass over every class. Classes are visited in queue order; a class without
   * fresh tasks is skipped unless `worthRetrying(class)` says capacity it could use has appeared.
   * Within a class, `place(task)` is called on the head until it returns false or the class is empty.
   */
  sweep(worthRetrying: WorthRetrying, place: PlaceTask): void {
    this.beginPass();
    this.sweepFrom(0, 0, worthRetrying, place);
  }

  /**
   * The same pass as sweep(), visiting only the classes that can act in it: fresh ones, those
   * waiting on a constraint (`worthRetrying` decides, as in sweep()), and those whose request fits
   * under a free vector `room` offers. Every visited class gets sweep()'s exact test, in sweep()'s
   * order, so the outcome is the same; when the queue or the freed room changes during the pass it
   * continues as sweep() from the class it is at.
   */
  sweepIndexed(room: FreedRoom, worthRetrying: WorthRetrying, place: PlaceTask): void {
    this.stamp = this.beginPass();
    // Visited whatever the room: fresh classes and those waiting on a constraint, in queue order.
    const forced = this.candidates;
    forced.length = 0;
    for (const cls of this.freshList) if (cls.fresh) this.listCandidate(cls);
    this.freshList.length = 0;
    let w = 0;
    for (const cls of this.constrainedList) {
      if (cls.dead || !cls.constrained) {
        cls.listedConstrained = false;
        continue;
      }
      this.constrainedList[w++] = cls;
      this.listCandidate(cls);
    }
    this.constrainedList.length = w;
    if (forced.length > 1) forced.sort(byPosition);
    const adds = this.adds;
    const epoch = room.epoch();
    const vectors = room.count();
    let fi = 0;
    for (let pi = 0; pi < this.order.length; pi++) {
      const p = this.order[pi];
      const level = this.levels.get(p)!;
      const index = this.indexes.get(p)!;
      let pos = 0;
      for (;;) {
        while (fi < forced.length && forced[fi].priority === p && (forced[fi].dead || forced[fi].pos < pos)) fi++;
        let next = fi < forced.length && forced[fi].priority === p ? forced[fi].pos : Infinity;
        // The next class, from `pos` on, that the freed room as it is now could take.
        for (let v = 0; v < vectors; v++) {
          const at = index.nextFit(pos, room.array(v), room.offset(v));
          if (at >= 0 && at < next) next = at;
        }
        if (next === Infinity) break;
        const cls = level[next];
        this.visit(cls, worthRetrying, place);
        if (this.adds !== adds || room.epoch() !== epoch) {
          // The pass's premise changed: go on as the full pass would from here.
          forced.length = 0;
          this.sweepFrom(pi, next + 1, worthRetrying, place);
          return;
        }
        pos = next + 1;
      }
    }
    forced.length = 0;
    if (this.deadInLevels > 64 && this.deadInLevels > this.liveClasses) this.compactLevels();
  }

  /**
   * A pass for fair sharing (DRF): levels are users; at each step the level with the smallest
   * `share(level)` that still has a class worth trying goes next, so shares are re-read after
   * every placement. A class whose head fails is done for this pass.
   */
  sweepFair(share: (level: number) => number, worthRetrying: WorthRetrying, place: PlaceTask): void {
    this.beginPass();
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
    for (const level of this.levels.values()) for (const cls of level) if (!cls.dead) this.settle(cls);
    this.compactLevels();
    this.keepFresh();
  }

  /** Pending tasks in queue order (for tests and reports). */
  toArray(): number[] {
    const out: number[] = [];
    for (const p of this.order) for (const cls of this.levels.get(p)!) if (!cls.dead) out.push(...cls.items.subarray(cls.head, cls.head + cls.len));
    return out;
  }

  classCount(): number {
    return this.byKey.size;
  }

  private beginPass(): number {
    return ++this.passNo;
  }

  private stamp = 0;
  private listCandidate(cls: PendingClass): void {
    if (cls.dead || cls.stamp === this.stamp) return;
    cls.stamp = this.stamp;
    this.candidates.push(cls);
  }

  /** Keeps the classes still fresh after a pass that may not have visited all of them. */
  private keepFresh(): void {
    let w = 0;
    for (const cls of this.freshList) if (cls.fresh && !cls.dead) this.freshList[w++] = cls;
    this.freshList.length = w;
  }

  /** The full pass's loop, from class `r` of level `order[pi]` on. */
  private sweepFrom(pi: number, r0: number, worthRetrying: WorthRetrying, place: PlaceTask): void {
    for (; pi < this.order.length; pi++) {
      const p = this.order[pi];
      const level = this.levels.get(p)!;
      // Visit from r0 on; compaction waits for the end, so positions hold while visits run.
      for (let r = r0; r < level.length; r++) {
        const cls = level[r];
        if (!cls.dead) this.visit(cls, worthRetrying, place);
      }
      this.compactLevel(p);
      r0 = 0;
    }
    this.keepFresh();
  }

  /** sweep()'s per-class step. */
  private visit(cls: PendingClass, worthRetrying: WorthRetrying, place: PlaceTask): void {
    if (cls.fresh || worthRetrying(cls)) {
      cls.fresh = false;
      while (cls.len > 0 && place(cls.items[cls.head], cls)) {
        cls.head++;
        cls.len--;
        this.size--;
      }
    }
    this.settle(cls);
  }

  /** After a visit: an emptied class leaves; one failing on a constraint is listed for the next pass. */
  private settle(cls: PendingClass): void {
    if (cls.len === 0) {
      cls.dead = true;
      this.byKey.delete(cls.key);
      this.indexes.get(cls.priority)!.clear(cls.pos);
      this.liveClasses--;
      this.deadInLevels++;
      if (this.last === cls) this.last = undefined;
      return;
    }
    if (cls.constrained && !cls.listedConstrained) {
      cls.listedConstrained = true;
      this.constrainedList.push(cls);
    }
  }

  private compactLevels(): void {
    for (const p of this.order) this.compactLevel(p);
  }

  /** Drops a level's dead classes, renumbering positions and the level's index. */
  private compactLevel(p: number): void {
    const level = this.levels.get(p)!;
    let w = 0;
    for (const cls of level) {
      if (cls.dead) {
        this.deadInLevels--;
        continue;
      }
      cls.pos = w;
      level[w++] = cls;
    }
    if (w === level.length) return;
    level.length = w;
    const index = this.indexes.get(p)!;
    index.reset();
    for (const cls of level) index.set(cls.pos, cls.shape);
  }
}

/** Queue order within one pass (positions are stable until the pass ends). */
function byPosition(a: PendingClass, b: PendingClass): number {
  return b.priority - a.priority || a.pos - b.pos;
}

function sameShape(req: Float64Array, a: number, shape: Float64Array, D: number): boolean {
  for (let d = 0; d < D; d++) if (req[a + d] !== shape[d]) return false;
  return true;
}
