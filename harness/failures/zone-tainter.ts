/**
 * One zone's NoExecute tainter: a FIFO of nodes waiting for their taint behind a token-bucket rate
 * limiter of burst 1, as pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go
 * (RateLimitedTimedQueue with flowcontrol.NewTokenBucketRateLimiter(qps, EvictionRateLimiterBurst = 1)):
 *
 * - the bucket starts full; a taint takes the token, the next one is there 1/qps s later (a full
 *   bucket holds one token however long it waited);
 * - SwapLimiter(qps): nothing when the current limiter's QPS() equals it; qps ≤ 0 installs the
 *   never-accepting limiter (whose QPS() reports 1 — so a later swap to 1 keeps it, as upstream);
 *   otherwise a new bucket, drained at once when the old one had no token (so a swap does not hand
 *   out a free token);
 * - the tainting pass runs every 100 ms (scheduler.NodeEvictionPeriod), so a taint happens at the
 *   first pass at or after its token.
 *
 * Rates are float32 (the flags are float32), hence 1/fround(0.1) s between tokens (≈ 10 s).
 * Entries are (node, incarnation, sequence); the controller voids an entry by bumping the node's
 * sequence (UniqueQueue.Remove) and tells a removed node apart by its incarnation.
 */
export const TAINT_PASS_PERIOD = 100_000; // µs

export class ZoneTainter {
  /** The limiter's rate (float32), and whether it is the never-accepting one. */
  qps: number;
  never = false;
  /** When the next token is there, µs (-Infinity: the bucket is full). */
  nextToken = -Infinity;
  /** The time of the tainting pass scheduled for this zone (NaN = none). */
  scheduledPass = NaN;
  /** Set when a token does not come back: x/time/rate with limit 0 allows its burst (1) once, then never. */
  private tokenAfterTake = NaN;
  private nodes: number[] = [];
  private incs: number[] = [];
  private seqs: number[] = [];
  private head = 0;

  constructor(qps: number) {
    this.qps = Math.fround(qps);
    if (!(this.qps > 0)) this.tokenAfterTake = Infinity;
  }

  get size(): number {
    return this.nodes.length - this.head;
  }

  push(node: number, incarnation: number, seq: number): void {
    if (this.head > 1024 && this.head * 2 > this.nodes.length) {
      this.nodes = this.nodes.slice(this.head);
      this.incs = this.incs.slice(this.head);
      this.seqs = this.seqs.slice(this.head);
      this.head = 0;
    }
    this.nodes.push(node);
    this.incs.push(incarnation);
    this.seqs.push(seq);
  }

  /** The head entry: [node, incarnation, seq], or undefined when empty. */
  peek(): [number, number, number] | undefined {
    if (this.head >= this.nodes.length) return undefined;
    return [this.nodes[this.head], this.incs[this.head], this.seqs[this.head]];
  }

  shift(): void {
    this.head++;
  }

  hasToken(t: number): boolean {
    return !this.never && t >= this.nextToken;
  }

  /** Takes the token at `t` (caller checked hasToken). */
  take(t: number): void {
    this.nextToken = this.tokenAfterTake === this.tokenAfterTake ? this.tokenAfterTake : t + 1e6 / this.qps;
  }

  /** RateLimitedTimedQueue.SwapLimiter. */
  swap(qps: number, t: number): void {
    const q = Math.fround(qps);
    const reported = this.never ? 1 : this.qps;
    if (reported === q) return;
    if (!(q > 0)) {
      this.never = true;
      return;
    }
    const hadToken = this.hasToken(t);
    this.never = false;
    this.qps = q;
    this.tokenAfterTake = NaN;
    this.nextToken = hadToken ? -Infinity : t + 1e6 / q;
  }

  /** The first tainting pass at or after max(t, next token), on the 100 ms grid from `origin`. */
  nextPass(t: number, origin: number): number {
    if (this.never || this.nextToken === Infinity) return Infinity;
    const at = Math.max(t, this.nextToken);
    return origin + Math.ceil((at - origin) / TAINT_PASS_PERIOD - 1e-9) * TAINT_PASS_PERIOD;
  }
}
