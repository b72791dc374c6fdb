import type { ReplayResults } from './replay-results.js';
import { US_PER_SECOND } from '../model/units.js';
import type { CsvWriter } from './csv-writer.js';

export const AVAILABILITY_CSV_HEADER = ['time_s', 'workload', 'kind', 'desired', 'ready'] as const;

/**
 * availability.csv: one row per sample and listed workload (long format), the controllers'
 * ready replicas over time (harness/controllers/). Written when the controllers listed workloads.
 */
export async function writeAvailabilityCsv(path: string, r: ReplayResults, open: (path: string, header: readonly string[]) => Pick<CsvWriter, 'row' | 'close'>): Promise<boolean> {
  const a = r.reactions?.availability;
  if (!a || a.workloads.length === 0) return false;
  const w = open(path, AVAILABILITY_CSV_HEADER);
  const W = a.workloads.length;
  const row: Array<string | number | null> = new Array(AVAILABILITY_CSV_HEADER.length);
  for (let k = 0; k < a.sampleTimes.length; k++) {
    for (let j = 0; j < W; j++) {
      const wl = a.workloads[j];
      row[0] = a.sampleTimes[k] / US_PER_SECOND;
      row[1] = wl.name;
      row[2] = wl.kind;
      row[3] = wl.desired;
      row[4] = a.ready[k * W + j];
      await w.row(row);
    }
  }
  await w.close();
  return true;
}
