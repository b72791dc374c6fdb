import type { ReplayResults } from './replay-results.js';
import { US_PER_SECOND } from '../model/units.js';
import type { CsvWriter } from './csv-writer.js';

export const AVAILABILITY_CSV_HEADER = ['time_s', 'workload', 'kind', 'desired', 'ready'] as const;

/**
 * availability.csv: the controllers' ready replicas over time (harness/controllers/), long
 * format, a row when a listed workload's desired or ready count changes (and its first sample):
 * the value holds until the workload's next row (a step function), so a run of hundreds of
 * steady workloads stays small. `desired` is what the workload wants at that time (a finished
 * Job wants none). Written when the controllers listed workloads.
 */
export async function writeAvailabilityCsv(path: string, r: ReplayResults, open: (path: string, header: readonly string[]) => Pick<CsvWriter, 'row' | 'close'>): Promise<boolean> {
  const a = r.reactions?.availability;
  if (!a || a.workloads.length === 0) return false;
  const w = open(path, AVAILABILITY_CSV_HEADER);
  const W = a.workloads.length;
  const row: Array<string | number | null> = new Array(AVAILABILITY_CSV_HEADER.length);
  for (let k = 0; k < a.sampleTimes.length; k++) {
    for (let j = 0; j < W; j++) {
      const i = k * W + j;
      if (k > 0 && a.ready[i] === a.ready[i - W] && a.desiredNow[i] === a.desiredNow[i - W]) continue;
      const wl = a.workloads[j];
      row[0] = a.sampleTimes[k] / US_PER_SECOND;
      row[1] = wl.name;
      row[2] = wl.kind;
      row[3] = a.desiredNow[i];
      row[4] = a.ready[i];
      await w.row(row);
    }
  }
  await w.close();
  return true;
}
