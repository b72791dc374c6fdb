import { NodeIndex } from '../node-index.js';
import type { Cluster } from '../cluster.js';
import type { PriorityLevelSums } from '../../algorithms/preemption/priority-level-sums.js';

/** Node changes remembered between two searches of one index; past that it is rebuilt whole. */
const LOG_SIZE = 1 << 15;

/**
 * Which nodes could make room for a preemptor, found without visiting the others: for each
 * prefix of priority levels k (the levels a preemptor may free, PriorityLevelSums.prefix), a
 * feasibility index (harness/node-index.ts, the segment tree the scheduler itself searches) over
 * every node's room if those levels' tasks left — free + their requests. A search then costs
 * O(candidates · log n), not a scan of every node.
 *
 * The indexes are brought up to date lazily: every change to a node's room (a task started or
 * stopped, a node added, removed or back, an overcommit hold changed) is appended to a log, and
 * an index replays the log since its last search before answering (or is rebuilt when the log
 * wrapped). A change of the level structure (a new priority level) drops them all.
 */
export class PreemptibleRoomIndex {
  private readonly dims: number;
  private readonly log = new Int32Array(LOG_SIZE);
  private seq = 0;
  private indexes: Array<{ index: NodeIndex; flushed: number } | undefined> = [];
  private readonly room: Float64Array;
  private readonly pair: [number, number];
  /** Work done, for tests: index rebuilds, node refreshes, and tree slots plus leaves visited by searches. */
  rebuilds = 0;
  refreshes = 0;
  visited = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly levels: PriorityLevelSums,
  ) {
    this.dims = cluster.dims;
    this.room = new Float64Array(this.dims);
    const names = cluster.resources.names;
    const cpu = names.indexOf('cpu');
    const mem = names.indexOf('memory');
    this.pair = cpu >= 0 && mem >= 0 ? [cpu, mem] : [0, Math.min(1, this.dims - 1)];
  }

  /** A node's room changed (or it came, went, or came back). */
  changed(node: number): void {
    this.log[this.seq % LOG_SIZE] = node;
    this.seq++;
  }

  /** The levels were re-bucketed: every index starts over. */
  invalidate(): void {
    this.indexes = [];
  }

  /**
   * Up to `limit` nodes whose room with the first `k` levels freed holds `req`, in circular node
   * order from `start`, into `out`; `lastStop()` then gives where to resume.
   */
  collect(k: number, req: Float64Array, start: number, limit: number, out: Int32Array): number {
    const index = this.ready(k);
    const got = index.collect(req, start, limit, this.cluster.nodeCount, out);
    this.visited += index.examined;
    return got;
  }

  private ready(k: number): NodeIndex {
    const n = this.cluster.nodeCount;
    let e = this.indexes[k];
    if (e === undefined || this.seq - e.flushed > LOG_SIZE) {
      const index = e?.index ?? new NodeIndex(this.dims, Math.max(16, n), this.pair);
      index.ensureCapacity(Math.max(16, n));
      for (let node = 0; node < n; node++) this.refresh(index, node, k);
      this.rebuilds++;
      e = { index, flushed: this.seq };
      this.indexes[k] = e;
      return index;
    }
    if (e.flushed === this.seq) return e.index;
    e.index.ensureCapacity(Math.max(16, n));
    for (let s = e.flushed; s < this.seq; s++) this.refresh(e.index, this.log[s % LOG_SIZE], k);
    e.flushed = this.seq;
    return e.index;
  }

  private refresh(index: NodeIndex, node: number, k: number): void {
    this.refreshes++;
    const c = this.cluster;
    if (!c.up[node]) {
      index.disable(node);
      return;
    }
    this.levels.roomOf(node, k, c.free, node * this.dims, this.room);
    index.update(node, this.room, 0);
  }
}
