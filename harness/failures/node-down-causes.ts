import type { ReactionHost } from '../reactions/reaction-host.js';

/**
 * Why a node is down: it may be down for several reasons at once (its own failure, its rack's,
 * a zone outage), and it comes back only when the last one ends. Counts per node; the host is told
 * at the first cause (setNodeDown true) and after the last (false). A cause holds the node's
 * incarnation (bumped whenever the machine joins again), so a cause that outlives a removal does
 * not bring up the machine that took its place.
 */
export class NodeDownCauses {
  private count: Uint16Array = new Uint16Array(0);
  private inc: Int32Array = new Int32Array(0);
  private host!: ReactionHost;

  /** At the replay's start. */
  bind(host: ReactionHost): void {
    this.host = host;
  }

  /** A node joined (at the start, or added): up, no cause. */
  joined(node: number): void {
    this.grow(node + 1);
    this.count[node] = 0;
    this.inc[node]++;
  }

  /** The node left the cluster: every cause is void. */
  left(node: number): void {
    if (node < this.count.length) this.count[node] = 0;
  }

  incarnation(node: number): number {
    return this.inc[node];
  }

  /** Takes the node down for one more cause; returns the incarnation held, or -1 (node not up). */
  take(node: number): number {
    if (node >= this.count.length || this.host.cluster.up[node] !== 1) return -1;
    if (++this.count[node] === 1) this.host.setNodeDown(node, true);
    return this.inc[node];
  }

  /** Ends one cause taken on `incarnation`. */
  release(node: number, incarnation: number): void {
    if (incarnation < 0 || this.inc[node] !== incarnation || this.count[node] === 0) return;
    if (--this.count[node] === 0) this.host.setNodeDown(node, false);
  }

  private grow(n: number): void {
    if (n <= this.count.length) return;
    const size = Math.max(n, this.count.length * 2, 16);
    const c = new Uint16Array(size);
    c.set(this.count);
    this.count = c;
    const i = new Int32Array(size);
    i.set(this.inc);
    this.inc = i;
  }
}
