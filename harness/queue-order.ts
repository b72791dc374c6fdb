import { UsageError } from '../model/errors.js';

/**
 * The order in which pending tasks are offered to the policy (the queue-sort step of
 * kube-scheduler's framework):
 * - `priority` (default): highest priority first, FIFO within a priority (Borg, kube PrioritySort).
 * - `fifo`: arrival order only, priorities ignored.
 * - `sjf`: shortest job first by known run time, in duration classes a quarter of a doubling wide
 *   (about ±9%) so identical tasks still share an equivalence class; unknown run times go last.
 * - `drf`: Dominant Resource Fairness across users (Ghodsi et al., NSDI'11): the user with the
 *   smallest dominant share (max over resources of allocated / cluster allocatable) goes next.
 */
export const QUEUE_ORDERS = ['priority', 'fifo', 'sjf', 'drf'] as const;
export type QueueOrder = (typeof QUEUE_ORDERS)[number];

export function parseQueueOrder(s: string): QueueOrder {
  if (!(QUEUE_ORDERS as readonly string[]).includes(s)) {
    throw new UsageError(`--queue: unknown queue order '${s}'; valid choices: ${QUEUE_ORDERS.join(', ')}`);
  }
  return s as QueueOrder;
}

/** The level a task is queued at (higher is served first; DRF levels are user numbers). */
export function queueLevel(order: QueueOrder, priority: number, durationUs: number, user: number): number {
  switch (order) {
    case 'priority':
      return priority;
    case 'fifo':
      return 0;
    case 'sjf':
      return durationUs === durationUs ? -Math.floor(4 * Math.log2(Math.max(durationUs, 1))) : -1e9;
    case 'drf':
      return user;
  }
}
