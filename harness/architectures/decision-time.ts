import { UsageError } from '../../model/errors.js';

/**
 * How long a scheduler thinks about one job: t_job + t_task × tasks, where `tasks` is the number of
 * the job's tasks still unplaced when the attempt starts (Schwarzkopf et al., "Omega: flexible,
 * scalable schedulers for large compute clusters", EuroSys'13, §4; the published defaults are
 * t_job = 0.1 s and t_task = 5 ms). Held in µs, the simulator's unit.
 */
export interface DecisionTime {
  /** µs per job attempt. */
  readonly perJob: number;
  /** µs per unplaced task in the attempt. */
  readonly perTask: number;
}

/** The Omega paper's defaults (§4): 0.1 s per job, 5 ms per task. */
export const OMEGA_DECISION_TIME: DecisionTime = { perJob: 0.1e6, perTask: 0.005e6 };

export function decisionMicros(t: DecisionTime, unplacedTasks: number): number {
  return t.perJob + t.perTask * unplacedTasks;
}

/** A decision time from seconds, checked: each must be a finite number ≥ 0 (`field` names the option). */
export function decisionTimeFromSeconds(perJobSeconds: number, perTaskSeconds: number, field: string): DecisionTime {
  for (const [name, v] of [[`${field} t_job`, perJobSeconds], [`${field} t_task`, perTaskSeconds]] as const) {
    if (!Number.isFinite(v) || v < 0) throw new UsageError(`${name}: expected a number of seconds ≥ 0, got ${v}`);
  }
  return { perJob: Math.round(perJobSeconds * 1e6), perTask: Math.round(perTaskSeconds * 1e6) };
}
