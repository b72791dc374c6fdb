/** Pods no group (or pool) could ever take, each counted once however often it is seen (AutoscalerReport.unhelpable). */
export class UnhelpablePods {
  private mark = new Uint8Array(0);
  count = 0;

  add(task: number): void {
    if (task >= this.mark.length) {
      const m = new Uint8Array(Math.max(task + 1, this.mark.length * 2, 1024));
      m.set(this.mark);
      this.mark = m;
    }
    if (this.mark[task] === 0) {
      this.mark[task] = 1;
      this.count++;
    }
  }

  /** Forgets every pod (a new run). */
  reset(): void {
    this.mark = new Uint8Array(0);
    this.count = 0;
  }
}
