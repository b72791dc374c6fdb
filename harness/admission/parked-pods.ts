/**
 * Pods a ResourceQuota refused, waiting per namespace for its usage to drop. Kubernetes
 * controllers (ReplicaSet, StatefulSet, Job, DaemonSet) retry creating a pod the API server
 * refused; here a waiting pod is retried when its namespace's usage drops, in the order the pods
 * were refused, and each one that fits gets in.
 *
 * Waiting pods are grouped by the set of quotas that select them (a few groups per namespace),
 * each group with a lower bound of its pods' requests and limits, so a retry skips a whole group
 * whose quotas are full (`blocked`) in O(quotas × dimensions) instead of checking every pod.
 * Within a retry, pods are visited in refusal order across the groups (a merge of the groups'
 * heads). Removal is lazy; a group is compacted when half of it is dead.
 */

interface Group {
  ns: number;
  mask: number;
  tasks: Int32Array;
  /** The refusal sequence number of each entry (a re-parked task has a new one; older entries are dead). */
  seqs: Float64Array;
  len: number;
  dead: number;
  /** Lower bounds of the live pods' requests and limits per dimension (+∞ when empty). */
  minReq: Float64Array;
  minLim: Float64Array;
  /** Scan cursor. */
  pos: number;
}

/** Per task: not waiting, waiting in a group, waiting but never admissible (a missing request). */
export const enum ParkState {
  None = 0,
  Waiting = 1,
  Never = 2,
}

export class ParkedPods {
  /** Pods waiting now (both kinds). */
  waiting = 0;
  private state = new Uint8Array(0);
  private seqOf = new Float64Array(0);
  private groupOf = new Int32Array(0);
  private nsOf = new Int32Array(0);
  private seq = 0;
  private readonly groups: Group[] = [];
  private readonly nsGroups: number[][] = [];
  private readonly nsWaiting: number[] = [];
  private readonly byKey = new Map<number, number>();

  constructor(
    private readonly dims: number,
    namespaces: number,
  ) {
    for (let i = 0; i < namespaces; i++) {
      this.nsGroups.push([]);
      this.nsWaiting.push(0);
    }
  }

  stateOf(task: number): ParkState {
    return task < this.state.length ? (this.state[task] as ParkState) : ParkState.None;
  }

  /** Pods waiting in namespace `ns` (both kinds). */
  waitingIn(ns: number): number {
    return this.nsWaiting[ns];
  }

  /**
   * Parks a refused pod: `never` for one no usage drop can admit; else in the group of its quota
   * set `mask`, with its request and limit vectors (flat arrays at `task * dims`; NaN limit = none).
   */
  park(task: number, ns: number, mask: number, never: boolean, request: Float64Array, limit: Float64Array): void {
    if (task >= this.state.length) this.grow(task + 1);
    if (this.state[task] !== ParkState.None) this.unpark(task);
    const seq = this.seq++;
    this.seqOf[task] = seq;
    this.nsOf[task] = ns;
    this.waiting++;
    this.nsWaiting[ns]++;
    if (never) {
      this.state[task] = ParkState.Never;
      this.groupOf[task] = -1;
      return;
    }
    this.state[task] = ParkState.Waiting;
    const g = this.groupFor(ns, mask);
    this.groupOf[task] = g;
    const group = this.groups[g];
    if (group.len === group.tasks.length) {
      const n = Math.max(16, group.len * 2);
      const t = new Int32Array(n);
      t.set(group.tasks);
      const s = new Float64Array(n);
      s.set(group.seqs);
      group.tasks = t;
      group.seqs = s;
    }
    group.tasks[group.len] = task;
    group.seqs[group.len] = seq;
    group.len++;
    const D = this.dims;
    for (let d = 0; d < D; d++) {
      const r = request[task * D + d];
      if (r < group.minReq[d]) group.minReq[d] = r;
      const l = limit[task * D + d];
      const lv = l > 0 ? l : 0;
      if (lv < group.minLim[d]) group.minLim[d] = lv;
    }
  }

  /** The pod no longer waits (admitted, started by someone else, or ended). */
  unpark(task: number): void {
    const s = this.stateOf(task);
    if (s === ParkState.None) return;
    this.state[task] = ParkState.None;
    this.waiting--;
    this.nsWaiting[this.nsOf[task]]--;
    if (s === ParkState.Waiting) this.groups[this.groupOf[task]].dead++;
  }

  /**
   * Retries namespace `ns`: visits its waiting pods in refusal order, skipping groups that are
   * `blocked`; `admit` checks a pod and lets it in (true) or leaves it waiting. `request` / `limit`
   * are the task table's vectors now (for the groups' bounds). Returns the count admitted.
   */
  retry(
    ns: number,
    request: Float64Array,
    limit: Float64Array,
    blocked: (ns: number, mask: number, minReq: Float64Array, minLim: Float64Array) => boolean,
    admit: (task: number) => boolean,
  ): number {
    const active: Group[] = [];
    for (const g of this.nsGroups[ns]) {
      const group = this.groups[g];
      group.pos = 0;
      if (group.len > group.dead && !blocked(ns, group.mask, group.minReq, group.minLim)) active.push(group);
    }
    let admitted = 0;
    let recheck = false;
    while (active.length > 0) {
      if (recheck) {
        recheck = false;
        for (let i = active.length - 1; i >= 0; i--) if (blocked(ns, active[i].mask, active[i].minReq, active[i].minLim)) active.splice(i, 1);
        if (active.length === 0) break;
      }
      let best = -1;
      let bestSeq = Infinity;
      for (let i = 0; i < active.length; i++) {
        const g = active[i];
        while (g.pos < g.len && !this.live(g, g.pos)) g.pos++;
        if (g.pos >= g.len) {
          active.splice(i, 1);
          i--;
          continue;
        }
        const s = g.seqs[g.pos];
        if (s < bestSeq) {
          bestSeq = s;
          best = i;
        }
      }
      if (best < 0) break;
      const g = active[best];
      const task = g.tasks[g.pos];
      g.pos++;
      if (admit(task)) {
        this.unpark(task);
        admitted++;
        recheck = true;
      }
    }
    for (const g of this.nsGroups[ns]) this.compactIfSparse(this.groups[g], request, limit);
    return admitted;
  }

  private live(g: Group, i: number): boolean {
    const task = g.tasks[i];
    return this.state[task] === ParkState.Waiting && this.seqOf[task] === g.seqs[i];
  }

  /** Drops the dead entries once they are half of the group, recomputing its bounds from the live pods' vectors. */
  private compactIfSparse(g: Group, request: Float64Array, limit: Float64Array): void {
    if (g.dead * 2 <= g.len) return;
    const D = this.dims;
    let w = 0;
    g.minReq.fill(Infinity);
    g.minLim.fill(Infinity);
    for (let i = 0; i < g.len; i++) {
      if (!this.live(g, i)) continue;
      const task = g.tasks[i];
      g.tasks[w] = task;
      g.seqs[w] = g.seqs[i];
      w++;
      for (let d = 0; d < D; d++) {
        const r = request[task * D + d];
        if (r < g.minReq[d]) g.minReq[d] = r;
        const l = limit[task * D + d];
        const lv = l > 0 ? l : 0;
        if (lv < g.minLim[d]) g.minLim[d] = lv;
      }
    }
    g.len = w;
    g.dead = 0;
  }

  private groupFor(ns: number, mask: number): number {
    const key = ns * 2 ** 32 + mask;
    let g = this.byKey.get(key);
    if (g === undefined) {
      g = this.groups.length;
      this.groups.push({
        ns,
        mask,
        tasks: new Int32Array(16),
        seqs: new Float64Array(16),
        len: 0,
        dead: 0,
        minReq: new Float64Array(this.dims).fill(Infinity),
        minLim: new Float64Array(this.dims).fill(Infinity),
        pos: 0,
      });
      this.byKey.set(key, g);
      this.nsGroups[ns].push(g);
    }
    return g;
  }

  private grow(n: number): void {
    const size = Math.max(n, this.state.length * 2, 1024);
    const st = new Uint8Array(size);
    st.set(this.state);
    const sq = new Float64Array(size);
    sq.set(this.seqOf);
    const go = new Int32Array(size);
    go.set(this.groupOf);
    const no = new Int32Array(size);
    no.set(this.nsOf);
    this.state = st;
    this.seqOf = sq;
    this.groupOf = go;
    this.nsOf = no;
  }
}
