import type { InputError } from '../../model/errors.js';

/** What a reader does with a row that breaks the format: stop (default) or skip and count it. */
export type OnBadRow = 'fail' | 'skip';

/** Counts of skipped rows by reason, plus the first full message seen for each reason. */
export class BadRowTally {
  readonly counts = new Map<string, number>();
  readonly examples = new Map<string, string>();
  total = 0;

  add(err: InputError): void {
    this.total++;
    const n = this.counts.get(err.reason);
    if (n === undefined) {
      this.counts.set(err.reason, 1);
      this.examples.set(err.reason, err.message);
    } else {
      this.counts.set(err.reason, n + 1);
    }
  }

  /** Reasons sorted by count, largest first. */
  entries(): { reason: string; count: number; example: string }[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([reason, count]) => ({ reason, count, example: this.examples.get(reason) ?? '' }));
  }

  /** One line per reason, for Workload.notes. */
  describe(what: string): string[] {
    return this.entries().map(
      (e) => `${e.count} ${what} row${e.count === 1 ? '' : 's'} skipped (${e.reason}); first: ${e.example}`,
    );
  }
}
