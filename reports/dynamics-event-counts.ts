import { DYNAMICS_CAUSE_NAMES } from './dynamics-cause.js';
import { QOS_NAMES } from '../model/qos-class.js';
import { BAND_NAMES } from '../model/priority-bands.js';

/**
 * The dynamics events counted per cause, and the task events per cause × QoS class × band: what
 * the summary reads of the log (dynamics-summary.ts). A replay whose rows leave memory counts
 * them as it names each event's task (harness/simulator.ts), so the figures do not need the rows.
 */
export class DynamicsEventCounts {
  readonly byCause = new Float64Array(DYNAMICS_CAUSE_NAMES.length);
  /** (cause × QoS + qos) × bands + band. */
  readonly cells = new Float64Array(DYNAMICS_CAUSE_NAMES.length * QOS_NAMES.length * BAND_NAMES.length);

  /** An event naming a task of this class. */
  addTask(cause: number, qos: number, band: number): void {
    this.byCause[cause]++;
    this.cells[(cause * QOS_NAMES.length + qos) * BAND_NAMES.length + band]++;
  }

  /** A node event (no task). */
  addNode(cause: number): void {
    this.byCause[cause]++;
  }

  cell(cause: number, qos: number, band: number): number {
    return this.cells[(cause * QOS_NAMES.length + qos) * BAND_NAMES.length + band];
  }
}
