/**
 * A float sum that does not depend on the order of its terms: Shewchuk's exact partials (the
 * algorithm of Python's math.fsum; J. R. Shewchuk, "Adaptive Precision Floating-Point
 * Arithmetic", Discrete Comput. Geom. 18, 1997). The partials hold the sum exactly; `value` is
 * their correctly rounded total. Summaries that accumulate per-task figures as tasks end (in end
 * order) and summaries that read every row at the end (in id order) then agree bit for bit.
 */
export class ExactSum {
  private partials: number[] = [];
  /** Non-finite terms, summed apart (they make the total non-finite, as naive summing does). */
  private special = 0;

  add(x: number): void {
    if (!Number.isFinite(x)) {
      this.special += x;
      return;
    }
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j];
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    p.push(x);
  }

  /** The correctly rounded sum (non-finite terms give a non-finite sum, as naive summing does). */
  get value(): number {
    if (this.special !== 0 || this.special !== this.special) return this.special;
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Round half-even across the partials below (fsum's last correction).
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}
