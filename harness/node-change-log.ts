import type { NodeChangeLog } from '../model/cluster-view.js';

/** Changes remembered: a reader further behind than this rebuilds instead of replaying. */
const DEFAULT_SIZE = 1 << 16;

/**
 * The cluster's node change log (model/cluster-view.ts NodeChangeLog): a sequence number and a
 * preallocated power-of-two ring of node numbers, so recording a change is one store and one
 * increment — no allocation, whatever the number of readers. Readers (score caches) keep the
 * sequence number they are synced to and replay the nodes logged since.
 */
export class NodeChangeRing implements NodeChangeLog {
  seq = 0;
  readonly entries: Int32Array;
  readonly mask: number;

  constructor(size = DEFAULT_SIZE) {
    if (!(size >= 1 && (size & (size - 1)) === 0)) throw new RangeError(`change log size must be a power of two, got ${size}`);
    this.entries = new Int32Array(size);
    this.mask = size - 1;
  }

  record(node: number): void {
    this.entries[this.seq & this.mask] = node;
    this.seq++;
  }
}
