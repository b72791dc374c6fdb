/** Counts by (topology key, topology value) — kube's topologyToMatchedTermCount. */
export class TopologyCounts {
  readonly byKey = new Map<string, Map<string, number>>();
  size = 0;

  clear(): void {
    this.byKey.clear();
    this.size = 0;
  }

  add(key: string, value: string, n: number): void {
    let m = this.byKey.get(key);
    if (!m) this.byKey.set(key, (m = new Map()));
    const v = (m.get(value) ?? 0) + n;
    if (v === 0) {
      if (m.delete(value)) this.size--;
    } else {
      if (!m.has(value)) this.size++;
      m.set(value, v);
    }
  }

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }
}
