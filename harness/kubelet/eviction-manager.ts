import type { EvictionThreshold, KubeletConfig } from './kubelet-config.js';

/** What a synchronize pass asks to reclaim (memory ranks before every other resource). */
export const enum EvictionNeed {
  None = 0,
  Memory = 1,
  Disk = 2,
}

/** Which observation a threshold compares with. */
const enum Kind {
  Unobserved = 0,
  Memory = 1,
  Disk = 2,
}

/**
 * The kubelet eviction manager's decision per node, as `managerImpl.synchronize` makes it
 * (pkg/kubelet/eviction/eviction_manager.go, helpers.go; ../shared/docs/models.md § Node pressure
 * and eviction), on each housekeeping pass:
 *
 * 1. `thresholdsMet(config, observations)`: thresholds whose signal is below them now
 *    (`threshold > available`, a percentage taken of the observed capacity), grace ignored;
 *    merged with `thresholdsNotYetResolved`: thresholds that were acting on the previous pass and
 *    are still below `threshold + minimum reclaim`.
 * 2. First-observed time per threshold in that set (kept while it stays in the set, forgotten when
 *    it leaves — so a soft threshold whose signal recovers restarts its grace period).
 * 3. Node conditions from that same set — before grace periods — with their last-observed time:
 *    MemoryPressure / DiskPressure is on while `now − lastObserved < pressureTransitionPeriod`.
 *    (A transition period of 0 therefore never reports a condition, as upstream.)
 * 4. Acting thresholds: those in the set for at least their grace period (0 for hard ones); they
 *    become the "previously met" set of the next pass. Memory ranks first (byEvictionPriority).
 *
 * The kubelet evicts at most ONE pod per synchronize ("we kill at most a single pod during each
 * eviction interval"), so the caller evicts the first ranked victim (eviction-ranking.ts) when
 * the need is not None. Simplified: signals are observed by the caller (memory.available =
 * capacity − working set; nodefs and imagefs share one filesystem, no image or container garbage
 * collection runs before pods are evicted for disk); inode and PID signals are not observed
 * (thresholds on them never meet, as upstream when a signal has no observation).
 *
 * Per-node state sits in typed arrays grown on demand; a pass costs O(thresholds), no allocation.
 */
export class EvictionManager {
  private readonly count: number;
  private readonly kind: Uint8Array;
  private readonly quantity: Float64Array;
  private readonly percentage: Float64Array;
  private readonly grace: Float64Array;
  private readonly reclaimQuantity: Float64Array;
  private readonly reclaimPercentage: Float64Array;
  private readonly transition: number;

  private nodes = 0;
  /** node × threshold: time first observed in the met-or-unresolved set, NaN when not in it. */
  private firstObserved = new Float64Array(0);
  /** node × threshold: 1 when acting (grace satisfied) on the last pass. */
  private acting = new Uint8Array(0);
  /** Last time a memory / disk threshold was in the set; NaN = never since reset. */
  private memoryLastObserved = new Float64Array(0);
  private diskLastObserved = new Float64Array(0);
  private conditions = new Uint8Array(0); // bit 0 memory, bit 1 disk
  private inSet = new Uint8Array(0); // 1 when some threshold was met or unresolved on the last pass
  private memoryReclaim = new Float64Array(0);
  private diskReclaim = new Float64Array(0);

  constructor(cfg: KubeletConfig) {
    const all: EvictionThreshold[] = [...cfg.hard, ...cfg.soft];
    const n = all.length;
    this.count = n;
    this.kind = new Uint8Array(n);
    this.quantity = new Float64Array(n).fill(NaN);
    this.percentage = new Float64Array(n).fill(NaN);
    this.grace = new Float64Array(n);
    this.reclaimQuantity = new Float64Array(n).fill(NaN);
    this.reclaimPercentage = new Float64Array(n).fill(NaN);
    for (let i = 0; i < n; i++) {
      const t = all[i];
      this.kind[i] =
        t.signal === 'memory.available' ? Kind.Memory : t.signal === 'nodefs.available' || t.signal === 'imagefs.available' ? Kind.Disk : Kind.Unobserved;
      if (t.quantity !== undefined) this.quantity[i] = t.quantity;
      else if (t.percentage !== undefined) this.percentage[i] = t.percentage;
      this.grace[i] = t.gracePeriod;
      if (t.minimumReclaim?.quantity !== undefined) this.reclaimQuantity[i] = t.minimumReclaim.quantity;
      else if (t.minimumReclaim?.percentage !== undefined) this.reclaimPercentage[i] = t.minimumReclaim.percentage;
    }
    this.transition = cfg.pressureTransitionPeriod;
  }

  /** thresholdAmount (kubelet-config.ts) over the unpacked columns: the quantity, else the truncated share of capacity. */
  private amount(q: number, p: number, capacity: number): number {
    return q === q ? q : p === p ? Math.trunc(capacity * p) : 0;
  }

  private ensure(node: number): void {
    if (node < this.nodes) return;
    let size = Math.max(16, this.nodes * 2);
    while (size <= node) size *= 2;
    const grow = <T extends Float64Array | Uint8Array>(a: T, per: number, fill: number): T => {
      const b = new (a.constructor as { new (n: number): T })(size * per);
      if (fill !== 0) b.fill(fill);
      b.set(a);
      return b;
    };
    this.firstObserved = grow(this.firstObserved, this.count, NaN);
    this.acting = grow(this.acting, this.count, 0);
    this.memoryLastObserved = grow(this.memoryLastObserved, 1, NaN);
    this.diskLastObserved = grow(this.diskLastObserved, 1, NaN);
    this.conditions = grow(this.conditions, 1, 0);
    this.inSet = grow(this.inSet, 1, 0);
    this.memoryReclaim = grow(this.memoryReclaim, 1, 0);
    this.diskReclaim = grow(this.diskReclaim, 1, 0);
    this.nodes = size;
  }

  /** One synchronize pass for a node with the observed signals (NaN = signal not modeled). Returns what to reclaim now. */
  synchronize(
    node: number,
    now: number,
    memoryAvailable: number,
    memoryCapacity: number,
    nodefsAvailable: number = NaN,
    nodefsCapacity: number = NaN,
  ): EvictionNeed {
    this.ensure(node);
    const base = node * this.count;
    let memorySeen = false;
    let diskSeen = false;
    let memoryNeed = 0;
    let diskNeed = 0;
    for (let i = 0; i < this.count; i++) {
      const k = this.kind[i];
      const available = k === Kind.Memory ? memoryAvailable : k === Kind.Disk ? nodefsAvailable : NaN;
      const capacity = k === Kind.Memory ? memoryCapacity : nodefsCapacity;
      let member = false;
      let target = 0;
      if (available === available) {
        const threshold = this.amount(this.quantity[i], this.percentage[i], capacity);
        target = threshold + this.amount(this.reclaimQuantity[i], this.reclaimPercentage[i], capacity);
        // helpers.go thresholdsMet: met when the threshold quantity is greater than available;
        // thresholdsNotYetResolved: one acting on the last pass stays until available reaches
        // threshold + minimum reclaim.
        member = threshold > available || (this.acting[base + i] === 1 && target > available);
      }
      if (!member) {
        this.firstObserved[base + i] = NaN;
        this.acting[base + i] = 0;
        continue;
      }
      if (k === Kind.Memory) memorySeen = true;
      else diskSeen = true;
      let first = this.firstObserved[base + i];
      if (first !== first) first = this.firstObserved[base + i] = now;
      // thresholdsMetGracePeriod: acting once in the set for at least the grace period.
      const acts = now - first >= this.grace[i];
      this.acting[base + i] = acts ? 1 : 0;
      if (acts) {
        const need = target - available;
        if (k === Kind.Memory) memoryNeed = Math.max(memoryNeed, need);
        else diskNeed = Math.max(diskNeed, need);
      }
    }
    if (memorySeen) this.memoryLastObserved[node] = now;
    if (diskSeen) this.diskLastObserved[node] = now;
    // nodeConditionsObservedSince: a condition holds while observed within the transition period.
    const memoryHeld = now - this.memoryLastObserved[node] < this.transition;
    const diskHeld = now - this.diskLastObserved[node] < this.transition;
    this.conditions[node] = (memoryHeld ? 1 : 0) | (diskHeld ? 2 : 0);
    this.inSet[node] = memorySeen || diskSeen ? 1 : 0;
    this.memoryReclaim[node] = memoryNeed;
    this.diskReclaim[node] = diskNeed;
    return memoryNeed > 0 ? EvictionNeed.Memory : diskNeed > 0 ? EvictionNeed.Disk : EvictionNeed.None;
  }

  /** Bytes still to free for the signal acted on: threshold + minimum reclaim − available (> 0 while acting). */
  reclaimNeeded(node: number, need: EvictionNeed): number {
    if (node >= this.nodes) return 0;
    return need === EvictionNeed.Memory ? this.memoryReclaim[node] : need === EvictionNeed.Disk ? this.diskReclaim[node] : 0;
  }

  /** Node conditions after the transition period. */
  memoryPressure(node: number): boolean {
    return node < this.nodes && (this.conditions[node] & 1) !== 0;
  }

  diskPressure(node: number): boolean {
    return node < this.nodes && (this.conditions[node] & 2) !== 0;
  }

  /** True while a grace period runs, a threshold is met or a condition is held: re-evaluate next tick even without a usage change. */
  needsAttention(node: number): boolean {
    return node < this.nodes && (this.inSet[node] === 1 || this.conditions[node] !== 0);
  }

  /** A node removed (or re-added): forget its state. */
  reset(node: number): void {
    if (node >= this.nodes) return;
    const base = node * this.count;
    this.firstObserved.fill(NaN, base, base + this.count);
    this.acting.fill(0, base, base + this.count);
    this.memoryLastObserved[node] = NaN;
    this.diskLastObserved[node] = NaN;
    this.conditions[node] = 0;
    this.inSet[node] = 0;
    this.memoryReclaim[node] = 0;
    this.diskReclaim[node] = 0;
  }
}
