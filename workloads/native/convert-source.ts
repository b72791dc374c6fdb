import type { Workload } from '../../model/workload.js';
import type { WorkloadSource } from '../workload-source.js';
import { openWorkload } from '../open-workload.js';
import { instanceType, loadCatalog } from '../../model/instance-catalog.js';
import { UsageError } from '../../model/errors.js';
import type { OnBadRow } from '../reader-kit/bad-rows.js';
import { looksLikeNative, readNativeWorkload } from './reader.js';

/** What `schedlab trace convert` reads from: a path (or 'synthetic') and the generator's sizes. */
export interface ConvertSource extends Omit<WorkloadSource, 'workload'> {
  input: string;
  /** Bad rows (a folder of manifests: bad files): stop at the first (default) or skip and count them. */
  onBadRow?: OnBadRow;
}

/**
 * Opens the workload to convert. A native file is read back (re-converting is a checked copy);
 * anything else goes through openWorkload: 'synthetic' or any format of the format registry.
 */
export async function openConvertSource(s: ConvertSource): Promise<Workload> {
  if (s.format === 'native' || (s.format === undefined && s.input !== 'synthetic' && (await looksLikeNative(s.input)))) {
    return readNativeWorkload(s.input);
  }
  if (s.input === 'synthetic' && s.format !== undefined) {
    throw new UsageError(`--format: 'synthetic' is generated, it has no format (got '${s.format}')`);
  }
  const catalog = loadCatalog(s.catalog);
  const instance = instanceType(catalog, s.instance);
  // Nodes the source does not define are not stored: --nodes / --instance apply at replay.
  return openWorkload({
    workload: s.input,
    format: s.format,
    seed: s.seed,
    nodes: s.nodes,
    tasks: s.tasks,
    hours: s.hours,
    instance,
    zones: s.zones,
    region: catalog.region,
    onBadRow: s.onBadRow,
    deferGeneratedNodes: s.input !== 'synthetic',
  });
}
