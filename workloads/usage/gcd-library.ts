import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../../model/errors.js';
import type { ResourceSchema } from '../../model/resources.js';
import type { UsageSeriesSet } from '../../model/usage-series.js';
import { parsePercentFile } from './percent-lines.js';
import { librarySeriesSet, type NamedSeries } from './library-series-set.js';

/** Where the GCD series sit under a usage-library folder (layout of ../shared/data/usage). */
export const GCD_SUBDIR = path.join('google-2011-jobs', 'GCD_VMs');
/** Points per series: 24 h of 5-minute sums. */
export const GCD_POINTS = 288;

/**
 * The Google 2011 per-job usage library (HiPro-IT "CPU and Memory resource usage from Google
 * Cluster Data", files `vm_<job>_<day>`; ../shared/data/README.md § Usage time series): each file
 * 288 lines `<cpu%> <mem%>`, the summed usage of one job's tasks per 5 minutes over one day, as
 * a percentage of one machine. Read as a cyclic set of one-day profiles, values = % / 100 on the
 * workload's `cpu` and `memory` dimensions (others NaN), one series per file, sorted by file name.
 * Memory reaches 127 % in the data, so values above 1 are kept.
 */
export async function readGcdLibrary(dir: string, resources: ResourceSchema): Promise<UsageSeriesSet> {
  const folder = path.join(dir, GCD_SUBDIR);
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch {
    throw new InputError({ file: folder, pathAsGiven: true, problem: 'expected a folder of vm_<job>_<day> files (GCD usage library), found none' });
  }
  const files = entries.filter((f) => f.startsWith('vm_')).sort();
  if (files.length === 0) {
    throw new InputError({ file: folder, pathAsGiven: true, problem: 'expected vm_<job>_<day> files (GCD usage library), found none' });
  }
  const series: NamedSeries[] = [];
  for (const name of files) {
    const file = path.join(folder, name);
    const text = await readFile(file, 'utf8');
    const [cpu, memory] = parsePercentFile(text, {
      file,
      fields: [{ name: 'CPU %' }, { name: 'memory %' }],
      expectedLines: GCD_POINTS,
    });
    series.push({ name, byResource: { cpu, memory } });
  }
  return librarySeriesSet('library:gcd', series, resources);
}
