import type { Workload } from '../model/workload.js';

/** `--retain-tasks`: keep every task's row to the end, let finished tasks leave memory, or choose by size. */
export type RetainTasksChoice = 'auto' | 'all' | 'live';

/**
 * Above this many tasks (Workload.expectedTasks) 'auto' lets finished tasks leave memory: a Borg
 * month (~25M tasks) then needs memory for the tasks alive at once, not for every task. Below it
 * every row stays (the results are the same either way; only tasks.csv's row order differs).
 */
export const AUTO_LIVE_ABOVE_TASKS = 5_000_000;

/** The simulator's retainTasks for a choice and a workload, with the run note that says what was chosen and why. */
export function resolveRetainTasks(choice: RetainTasksChoice | undefined, workload: Workload): { retainTasks: 'all' | 'live'; note?: string } {
  if (choice === 'all' || choice === 'live') return { retainTasks: choice };
  const n = workload.expectedTasks;
  if (n !== undefined && n > AUTO_LIVE_ABOVE_TASKS) {
    return {
      retainTasks: 'live',
      note: `memory: ${n.toLocaleString('en-US')} tasks (more than ${AUTO_LIVE_ABOVE_TASKS.toLocaleString('en-US')}): finished tasks leave memory as they end (--retain-tasks live; tasks.csv rows in the order tasks ended, then those alive at the end; --retain-tasks all keeps every row)`,
    };
  }
  return { retainTasks: 'all' };
}

/** The note for a run that asked for 'live' but kept every row (reactions hold task numbers). */
export const KEPT_ALL_WITH_REACTIONS =
  "memory: every task's row was kept (--retain-tasks live applies without reactions: preemption, controllers, failures, autoscaling and quotas keep task numbers)";
