import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { UsageError } from '../../model/errors.js';
import { azureDataSet, defaultAzureReadings, defaultUsageLibrary, gcdDataSet, OVERCOMMIT_DATA, planetlabDataSet, type OvercommitDataName, type OvercommitDataSet } from './overcommit-data.js';
import { runOvercommitDataSet, type DataSetOutcome, type OvercommitRunOptions } from './overcommit-experiment.js';
import { syntheticDataSet } from './overcommit-synthetic.js';

export interface OvercommitExperimentOptions extends OvercommitRunOptions {
  /** Data sets in order (default: all). */
  data?: OvercommitDataName[];
  /** Usage-library folder (../shared/data/usage layout; default ../shared/data/usage beside the package). */
  usageLibrary?: string;
  /** Azure vm_cpu_readings file (default: the sample in ../shared/data/realworld/azure). */
  azureReadings?: string;
  /** Called when a data set is done. */
  onDataSet?: (name: string, seconds: number) => void;
}

export interface OvercommitExperimentResult {
  seed: number;
  usageLibrary: string;
  azureReadings: string;
  outcomes: DataSetOutcome[];
  wallSeconds: number;
}

/** `--data` value: one name or 'all'. */
export function parseDataOption(v: string): OvercommitDataName[] {
  if (v === 'all') return [...OVERCOMMIT_DATA];
  const names = v.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(OVERCOMMIT_DATA as readonly string[]).includes(n)) throw new UsageError(`--data: expected ${OVERCOMMIT_DATA.join(', ')} or all, got '${n}'`);
  }
  return names as OvercommitDataName[];
}

async function dataSet(name: OvercommitDataName, o: OvercommitExperimentOptions, library: string, azure: string): Promise<OvercommitDataSet> {
  if (name === 'gcd') return gcdDataSet(library);
  if (name === 'planetlab') return planetlabDataSet(library);
  if (name === 'azure') return azureDataSet(azure);
  return syntheticDataSet(o.seed);
}

/** Runs the experiment on each data set in turn (one in memory at a time). */
export async function runOvercommitExperiment(o: OvercommitExperimentOptions): Promise<OvercommitExperimentResult> {
  const t0 = performance.now();
  const library = path.resolve(o.usageLibrary ?? defaultUsageLibrary());
  const azure = path.resolve(o.azureReadings ?? defaultAzureReadings());
  const names = o.data ?? [...OVERCOMMIT_DATA];
  if (names.some((n) => n === 'gcd' || n === 'planetlab') && !existsSync(library)) {
    throw new UsageError(`--usage-library: no such folder '${library}' (expected the ../shared/data/usage layout)`);
  }
  const outcomes: DataSetOutcome[] = [];
  for (const n of names) {
    const t = performance.now();
    outcomes.push(runOvercommitDataSet(await dataSet(n, o, library, azure), o));
    o.onDataSet?.(n, (performance.now() - t) / 1000);
  }
  return { seed: o.seed, usageLibrary: library, azureReadings: azure, outcomes, wallSeconds: (performance.now() - t0) / 1000 };
}
