import type { ResourceSchema } from '../../model/resources.js';
import type { UsageSeriesSet } from '../../model/usage-series.js';
import { readGcdLibrary } from './gcd-library.js';
import { readPlanetLabLibrary } from './planetlab-library.js';

/**
 * The usage library's sets (../shared/data/README.md § Usage time series): 'gcd' = Google 2011
 * per-job CPU and memory series, 'planetlab' = PlanetLab VM CPU series.
 */
export const LIBRARY_SETS = ['gcd', 'planetlab'] as const;
export type LibrarySet = (typeof LIBRARY_SETS)[number];

export function isLibrarySet(s: string): s is LibrarySet {
  return (LIBRARY_SETS as readonly string[]).includes(s);
}

// A compare runs many replays of one workload in one process: read each library once.
const cache = new Map<string, Promise<UsageSeriesSet>>();

/** Reads one set of a usage-library folder onto `resources` (memoized per folder, set and schema). */
export function loadUsageLibrary(dir: string, set: LibrarySet, resources: ResourceSchema): Promise<UsageSeriesSet> {
  const key = JSON.stringify([dir, set, resources.names]);
  let p = cache.get(key);
  if (!p) {
    p = set === 'gcd' ? readGcdLibrary(dir, resources) : readPlanetLabLibrary(dir, resources);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}
