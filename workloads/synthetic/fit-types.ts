import type { QuantileTable } from './quantile-table.js';

/**
 * Run length of a task's first run, seconds: Kaplan–Meier body plus a Pareto tail. Job-weighted:
 * each task weighs 1 / (scheduled tasks of its job), so every job counts once, like the other
 * per-job tables; the task-weighted distribution then emerges from the job copula (big jobs run
 * longer), instead of being counted twice.
 */
export interface DurationFit {
  /** Quantiles of the KM estimate over p in [0, tailP]; the last knot is (tailP, tailStart). */
  readonly body: QuantileTable;
  /** F(tailStart) from the KM estimate. */
  readonly tailP: number;
  /** Seconds where the Pareto tail takes over: S(t) = (1 - tailP) (t / tailStart)^-alpha. */
  readonly tailStart: number;
  /**
   * Pareto shape: censored maximum-likelihood estimate alpha = events / sum(log(t / alphaFrom)) over
   * the runs longer than alphaFrom seconds of this group, or of all groups pooled (alphaPooled)
   * when this group has too few events there.
   */
  readonly paretoAlpha: number;
  readonly alphaFrom: number;
  readonly alphaPooled: boolean;
  /** Runs longer than alphaFrom in this group that ended by themselves / all such runs. */
  readonly tailEvents: number;
  readonly tailObservations: number;
  /** Share of scheduled tasks whose first run was right-censored (window end, EVICT or LOST). */
  readonly censoredShare: number;
  /**
   * Gaussian-copula correlation between the run lengths of two tasks of the same job, from the
   * Spearman correlation of tasks 0 and 1 of each multi-task job (rho = 2 sin(pi rho_s / 6)).
   */
  readonly withinJobCorrelation: number;
}

/** One priority group: the distributions of the jobs whose priority maps here. */
export interface PriorityGroupFit {
  /** Priority values that use this group (the fitted one first; rare values borrow a neighbour). */
  readonly priorities: readonly number[];
  readonly jobs: number;
  readonly tasks: number;
  /** Tasks per job (integer after rounding a log-interpolated draw). */
  readonly tasksPerJob: QuantileTable;
  /** Per-job normalized CPU request (share of the largest machine). */
  readonly cpu: QuantileTable;
  /** Per-job normalized memory request. */
  readonly mem: QuantileTable;
  /**
   * Job-level dependence, as a Gaussian copula over (tasks per job, CPU, memory, run length):
   * `spearman` is the fitted Spearman matrix over the group's jobs with at least one scheduled task
   * (run length = the first run of the job's lowest-index scheduled task, censored values taken as
   * they are); `cholesky` is the lower Cholesky factor of the normal correlation 2 sin(pi rho_s / 6)
   * (shrunk toward the identity if it was not positive definite). Draw z = L e, e iid normal.
   */
  readonly jobCopula: {
    readonly variables: readonly string[];
    readonly jobs: number;
    readonly spearman: readonly (readonly number[])[];
    readonly cholesky: readonly (readonly number[])[];
  };
  readonly duration: DurationFit;
}

export interface Google2011Fit {
  readonly source: {
    readonly parts: readonly string[];
    readonly rows: number;
    /** Seconds from the first to the last non-zero time in the parts. */
    readonly windowSeconds: number;
    readonly newJobs: number;
    readonly newTasks: number;
    readonly scheduledTasks: number;
    readonly neverScheduled: number;
    readonly tasksOfInitialJobs: number;
    readonly missingRequest: number;
  };
  /** Share of new jobs (drawn) and of their tasks (emergent) per priority value. */
  readonly priorityMix: readonly { readonly priority: number; readonly jobShare: number; readonly taskShare: number }[];
  /** Seconds between consecutive new-job arrivals (shape only; the generator rescales it). */
  readonly interArrival: QuantileTable;
  readonly meanInterArrival: number;
  readonly groups: readonly PriorityGroupFit[];
}

/**
 * What a month-long cell adds to the arrivals' fit (fit-google-2011-month.ts): the standing
 * population running when the trace starts, and the daily arrival profile.
 */
export interface Google2011MonthFit {
  readonly source: {
    readonly parts: readonly string[];
    readonly rows: number;
    /** Seconds from the window start to the last time in the parts. */
    readonly windowSeconds: number;
    /** Machines added at time 0 (machine_events): the cell when the trace starts. */
    readonly machinesAtStart: number;
    readonly standingJobs: number;
    readonly standingTasks: number;
    /** Tasks with only a SUBMIT at time 0 (pending at the start): not modelled. */
    readonly pendingAtStart: number;
    /** Standing jobs whose first task row had an empty CPU or memory request. */
    readonly missingRequest: number;
  };
  readonly standing: {
    /** Standing (running) tasks per machine at the start: standingTasks / machinesAtStart. */
    readonly tasksPerMachine: number;
    /** Share of standing jobs per priority (drawn per job), and of their tasks (emergent). */
    readonly priorityMix: readonly { readonly priority: number; readonly jobShare: number; readonly taskShare: number }[];
    /** Per priority group: tasks per job, requests, their copula and the residual lifetime. */
    readonly groups: readonly PriorityGroupFit[];
    /**
     * Per priority (as priorityMix): the mean CPU and memory request per standing task (normalized
     * units; each task's own time-0 row, attributed to its job's priority), so taskShare x
     * tasksPerMachine x these are the cell's request sums per machine (standing-calibration.ts).
     */
    readonly requestPerTask: readonly { readonly priority: number; readonly cpu: number; readonly mem: number }[];
  };
  readonly diurnal: {
    /** Local hour (US Eastern) at the window start. */
    readonly startHour: number;
    /** New-job arrivals per whole hour from the window start. */
    readonly hourlyNewJobs: readonly number[];
    /** Least-squares daily harmonic through hourlyNewJobs (diurnal-profile.ts fitDailyHarmonic). */
    readonly amplitude: number;
    readonly peakHour: number;
    readonly residualSd: number;
    readonly meanPerHour: number;
  };
}
