/**
 * One preemption candidate: a node and the figures its victims are judged by. `victims` is its
 * own buffer (copied), most important first for kube.
 */
export class PreemptionCandidate {
  node = -1;
  count = 0;
  pdbViolations = 0;
  highestPriority = 0;
  /** Σ (priority + 2^31) over the victims: upstream shifts priorities so every term is ≥ 0. */
  sumPriorities = 0;
  /** Earliest start among the victims of the highest priority (upstream GetEarliestPodStartTime). */
  earliestHighestStart = 0;
  victims = new Int32Array(16);

  set(node: number, victims: Int32Array, n: number, pdbViolations: number, priority: Int32Array, start: Float64Array): void {
    this.node = node;
    this.count = n;
    this.pdbViolations = pdbViolations;
    if (this.victims.length < n) this.victims = new Int32Array(Math.max(n, this.victims.length * 2));
    let high = -Infinity;
    let earliest = Infinity;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = victims[i];
      this.victims[i] = v;
      const p = priority[v];
      sum += p + 2147483648;
      if (p > high) {
        high = p;
        earliest = start[v];
      } else if (p === high && start[v] < earliest) earliest = start[v];
    }
    this.sumPriorities = sum;
    this.highestPriority = high;
    this.earliestHighestStart = earliest;
  }

  copyFrom(c: PreemptionCandidate): void {
    this.node = c.node;
    this.count = c.count;
    this.pdbViolations = c.pdbViolations;
    this.highestPriority = c.highestPriority;
    this.sumPriorities = c.sumPriorities;
    this.earliestHighestStart = c.earliestHighestStart;
    if (this.victims.length < c.count) this.victims = new Int32Array(Math.max(c.count, this.victims.length * 2));
    this.victims.set(c.victims.subarray(0, c.count));
  }
}

/**
 * kube-scheduler's pickOneNodeForPreemption (pkg/scheduler/framework/preemption/preemption.go):
 * is `a` strictly preferred to `b`? In order: fewer PDB violations; lower highest victim
 * priority; smaller sum of victim priorities; fewer victims; later start of the earliest
 * highest-priority victim. A full tie keeps the first found (upstream: the first node left).
 */
export function preferKube(a: PreemptionCandidate, b: PreemptionCandidate): boolean {
  if (a.pdbViolations !== b.pdbViolations) return a.pdbViolations < b.pdbViolations;
  if (a.highestPriority !== b.highestPriority) return a.highestPriority < b.highestPriority;
  if (a.sumPriorities !== b.sumPriorities) return a.sumPriorities < b.sumPriorities;
  if (a.count !== b.count) return a.count < b.count;
  return a.earliestHighestStart > b.earliestHighestStart;
}

/**
 * Borg (Verma et al., EuroSys'15 §3.2; ../shared/docs/models.md § Borg): the node needing the
 * least preemption — fewer victims, then the lower highest victim priority; a tie keeps the first.
 */
export function preferBorg(a: PreemptionCandidate, b: PreemptionCandidate): boolean {
  if (a.count !== b.count) return a.count < b.count;
  return a.highestPriority < b.highestPriority;
}
