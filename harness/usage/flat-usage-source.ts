import { usageFactor } from '../usage-model.js';
import type { TaskUsageSource, UsageTaskColumns } from './task-usage-source.js';

/**
 * The legacy flat model (harness/usage-model.ts) on the usage grid: usage = request × mean usage
 * fraction × usageFactor(seed, task, k, CV), capped at the limit, with k the step index, exactly
 * what the utilization samples use. Unknown (NaN) where the usage fraction is unknown. It never
 * exceeds the limit, so it cannot produce OOM kills or throttling past a limit: a baseline.
 */
export class FlatUsageSource implements TaskUsageSource {
  readonly description = 'flat (request × usage fraction × a per-step factor, capped at the limit)';
  readonly step: number;
  private readonly tasks: UsageTaskColumns;
  private readonly seed: number;
  private assigned = 0;
  private unknown = 0;

  constructor(tasks: UsageTaskColumns, seed: number, step: number) {
    this.tasks = tasks;
    this.seed = seed;
    this.step = step;
  }

  assign(from: number, to: number): void {
    const t = this.tasks;
    for (let i = from; i < to; i++) if (Number.isNaN(t.usageFraction[i * t.dims])) this.unknown++;
    this.assigned += to - from;
  }

  usage(task: number, d: number, k: number): number {
    const t = this.tasks; // read at each call: the task table replaces its arrays as it grows
    const i = task * t.dims + d;
    const u = t.request[i] * t.usageFraction[i] * usageFactor(this.seed, t.id ? t.id[task] : task, k, t.usageVariation[task]);
    const lim = t.limit[i];
    return u > lim ? lim : u;
  }

  notes(): string[] {
    return [`usage ${this.description}: ${this.assigned - this.unknown} tasks with a usage fraction, ${this.unknown} without (unknown)`];
  }
}
