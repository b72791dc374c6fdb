/** p50 / p90 / p99 / max of the values seen, with counts of present and missing values. */
export interface Quantiles {
  /** Values present. */
  count: number;
  missing: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * Exact quantiles (nearest rank) over a stream of values with few distinct values — trace
 * requests have about four significant digits — in memory proportional to the distinct values,
 * not the stream. NaN counts as missing.
 */
export class ValueHistogram {
  private readonly counts = new Map<number, number>();
  count = 0;
  missing = 0;

  add(v: number): void {
    if (v !== v) {
      this.missing++;
      return;
    }
    this.count++;
    this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
  }

  quantiles(): Quantiles {
    const keys = Float64Array.from(this.counts.keys()).sort();
    const at = (p: number): number => {
      if (this.count === 0) return NaN;
      const rank = Math.max(1, Math.ceil(p * this.count));
      let seen = 0;
      for (const k of keys) {
        seen += this.counts.get(k) as number;
        if (seen >= rank) return k;
      }
      return keys[keys.length - 1];
    };
    return {
      count: this.count,
      missing: this.missing,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: this.count === 0 ? NaN : keys[keys.length - 1],
    };
  }
}
