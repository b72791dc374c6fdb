import { TaskRowSpool } from './task-row-spool.js';
import { EventRowSpool } from './event-row-spool.js';

/**
 * What a replay whose finished tasks leave memory hands over for its results folder, as it runs:
 * task rows as tasks end (tasks.csv) and the dynamics log a run at a time (events.csv), each
 * spooled to a hidden temporary file beside the folder. `sinks` goes to runSpec; the folder's
 * writer reads the spools back (results-folder.ts); `dispose` removes both files.
 */
export class ResultsSpool {
  readonly tasks: TaskRowSpool;
  readonly events: EventRowSpool;

  /** `target`: the results folder; `eventRunRows`: rows per spooled run of the event log (tests use a few). */
  constructor(target: string, eventRunRows?: number) {
    this.tasks = new TaskRowSpool(target);
    this.events = new EventRowSpool(target, eventRunRows);
  }

  /** For runSpec: the simulator's onTaskRow and eventSink. */
  get sinks(): { onTaskRow: TaskRowSpool['add']; eventSink: EventRowSpool } {
    return { onTaskRow: this.tasks.add, eventSink: this.events };
  }

  dispose(): void {
    this.tasks.dispose();
    this.events.dispose();
  }
}
