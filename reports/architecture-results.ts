/**
 * The results of one run of the architecture simulator (harness/architectures/): per scheduler,
 * its decision time split by outcome and its conflicts; per job kind, placement, abandonment and
 * wait times; allocation, locked share and cost. What `replay --architecture` prints and stores
 * and `experiment architectures` tabulates.
 */

/** Wait-time figures in seconds (NaN when no job qualifies). */
export interface WaitFigures {
  jobs: number;
  mean: number;
  p50: number;
  p90: number;
}

export interface JobKindResults {
  submitted: number;
  /** Every task placed. */
  fullyPlaced: number;
  /** Given up after the retry limit (Omega's rule). */
  abandoned: number;
  /** Still waiting (some task unplaced, not abandoned) when the window closed. */
  waitingAtEnd: number;
  tasksSubmitted: number;
  tasksPlaced: number;
  /** Submit → first task placed, over jobs with one placed; submit → last task placed, over fully placed jobs. */
  waitFirst: WaitFigures;
  waitFull: WaitFigures;
  /** Scheduling attempts per job that was attempted: mean and 90th percentile. */
  attemptsMean: number;
  attemptsP90: number;
}

export interface SchedulerResults {
  name: string;
  /** Jobs put in its queue (retries included) and decisions made. */
  jobsQueued: number;
  attempts: number;
  /** Transactions submitted (decisions that claimed something) and those that conflicted. */
  transactions: number;
  conflicted: number;
  /** Task claims committed and task claims that conflicted. */
  claimsCommitted: number;
  claimsConflicted: number;
  /** Seconds deciding (in the window; a decision still running at the end counts up to it). */
  busySeconds: number;
  usefulSeconds: number;
  wastedSeconds: number;
  noFitSeconds: number;
  /** busySeconds / window: the share of time deciding. */
  busyness: number;
  /** (useful + wasted) / window: the Omega simulator's busyness, which leaves out attempts that found no room. */
  busynessOmega: number;
  /** conflicted / transactions (0 with no transactions). */
  conflictFraction: number;
}

/** One architecture run, as the CLI prints it and run.json stores it. */
export interface ArchitectureResults {
  architecture: string;
  policy: string;
  seed: number;
  workload: string;
  settings: Record<string, string | number | boolean>;
  windowSeconds: number;
  nodes: number;
  schedulers: SchedulerResults[];
  jobs: Record<'batch' | 'service' | 'all', JobKindResults>;
  /** Time-mean share of allocatable requested (and locked in offers), per resource name. */
  allocation: Record<string, number>;
  locked: Record<string, number>;
  cost: { machineDollars: number; unpricedMachines: number; idleDollars: number };
  notes: string[];
  extra: Record<string, unknown>;
}
