import type { DynamicsEventLog } from './event-log.js';
import { timeOrder } from './time-order.js';
import { blankEvent, type SpooledEvent } from './event-row-spool.js';

/** A source of events in time order (a spooled run, or a log in memory): `event` is the current row until `done`. */
export interface EventReader {
  readonly event: SpooledEvent;
  done: boolean;
  advance(): void;
}

/** Job, task index, QoS class and band, by task id (a task table) or by event (TaskTally.eventTasks). */
export interface TaskNaming {
  readonly job: ArrayLike<number>;
  readonly taskIndex: ArrayLike<number>;
  readonly qos: ArrayLike<number>;
  readonly band: ArrayLike<number>;
}

/**
 * A log in memory, read in time order (stable). Each event's job, index and class come from
 * `perEvent` when the task rows left memory (TaskTally.eventTasks), else from the task table.
 */
export class LogReader implements EventReader {
  readonly event: SpooledEvent = blankEvent();
  done = false;
  private readonly order: Int32Array;
  private at = 0;

  constructor(
    private readonly log: DynamicsEventLog,
    private readonly tasks: TaskNaming,
    private readonly perEvent?: TaskNaming,
  ) {
    this.order = timeOrder(log.time, log.length);
    this.advance();
  }

  advance(): void {
    if (this.at === this.order.length) {
      this.done = true;
      return;
    }
    const { log, tasks, perEvent } = this;
    const e = this.order[this.at++];
    const ev = this.event;
    const i = log.task[e];
    ev.time = log.time[e];
    ev.node = log.node[e];
    ev.task = i;
    ev.cause = log.cause[e];
    ev.memory = log.memory[e];
    ev.amount = log.amount[e];
    ev.duration = log.duration[e];
    if (i < 0) {
      ev.job = ev.taskIndex = -1;
      ev.qos = ev.band = 0;
    } else if (perEvent) {
      ev.job = perEvent.job[e];
      ev.taskIndex = perEvent.taskIndex[e];
      ev.qos = perEvent.qos[e];
      ev.band = perEvent.band[e];
    } else {
      ev.job = tasks.job[i];
      ev.taskIndex = tasks.taskIndex[i];
      ev.qos = tasks.qos[i];
      ev.band = tasks.band[i];
    }
  }
}

/**
 * Calls `each` with every event of `readers`, by time; events at one time come in reader order
 * (then each reader's own order), so runs spooled in log order merge into the order a whole log
 * sorted stably would give. A binary heap over the readers: O(log k) per event.
 */
export async function mergeByTime(readers: readonly EventReader[], each: (reader: number, event: SpooledEvent) => Promise<void>): Promise<void> {
  const heap: number[] = [];
  const before = (a: number, b: number): boolean => {
    const ta = readers[a].event.time;
    const tb = readers[b].event.time;
    return ta < tb || (ta === tb && a < b);
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) return;
      const c = l + 1 < heap.length && before(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!before(heap[c], heap[i])) return;
      [heap[c], heap[i]] = [heap[i], heap[c]];
      i = c;
    }
  };
  for (let k = 0; k < readers.length; k++) if (!readers[k].done) heap.push(k);
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const k = heap[0];
    await each(k, readers[k].event);
    readers[k].advance();
    if (readers[k].done) {
      const last = heap.pop()!;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    down(0);
  }
}
