/** Interns strings (job names, user hashes) to dense indices, the form TaskBatch stores. */
export class StringTable {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  get size(): number {
    return this.list.length;
  }

  /** The index of `s`, added when new. */
  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  /** The index of `s`, or -1 when it was never added. */
  get(s: string): number {
    return this.index.get(s) ?? -1;
  }
}

/** `counts[key]++`, for the event/record counts in SourceStats. */
export function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/** `1,234 rows` — counts in notes are written with thousands separators. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
