import { plural } from './string-table.js';

/** Distinct unmatched ids are counted up to this many (then "at least"). */
const MAX_DISTINCT = 100_000;

/**
 * Counts usage readings whose task id (VM, instance, container) is not in the workload, so a usage
 * file that belongs to another workload is reported rather than silently ignored (issue 10, "Bad
 * input"). Readers do not print: the warning goes into the workload's notes, which the replay shows.
 */
export class UnmatchedUsage {
  readings = 0;
  unmatched = 0;
  private readonly ids = new Set<string>();
  private moreIds = false;

  /** One reading; `matched` = its id is a task of the workload. */
  count(id: string, matched: boolean): void {
    this.readings++;
    if (matched) return;
    this.unmatched++;
    if (this.ids.size < MAX_DISTINCT) this.ids.add(id);
    else if (!this.ids.has(id)) this.moreIds = true;
  }

  /** Distinct unmatched ids, as text ("100", "at least 100,000"). */
  distinct(): string {
    return `${this.moreIds ? 'at least ' : ''}${this.ids.size.toLocaleString('en-US')}`;
  }

  /**
   * A "warning:" note when every reading of the table matched nothing (none when there were no
   * readings, or some matched). `table` names the file(s), `what` the kind of id, `where` the table
   * that defines the workload's ids.
   */
  warning(table: string, what: string, where: string): string | undefined {
    if (this.readings === 0 || this.unmatched < this.readings) return undefined;
    return (
      `warning: ${table}: none of its ${plural(this.readings, 'reading')} matches the workload (their ${this.distinct()} distinct ${what}s are not in ${where}): ` +
      'the usage file does not belong to this workload, so no task has usage from it'
    );
  }
}
