import { existsSync, statSync } from 'node:fs';
import { InputError, UsageError } from '../../model/errors.js';
import type { UsageSeriesSet } from '../../model/usage-series.js';
import type { Workload } from '../../model/workload.js';
import { isLibrarySet, LIBRARY_SETS, loadUsageLibrary, type LibrarySet } from '../../workloads/usage/usage-library.js';
import { SyntheticUsageGenerator, SYNTHETIC_SERIES } from '../../workloads/usage/synthetic-usage.js';
import { hash3 } from '../../model/hash.js';
import { FlatUsageSource } from './flat-usage-source.js';
import { seriesForJob } from './job-series-choice.js';
import { SeriesOrigin, SeriesUsageSource, usageScaleOf, type ChooseSeries, type SourceSet } from './series-usage-source.js';
import type { TaskUsageSource, UsageTaskColumns } from './task-usage-source.js';

/** The usage sources `--usage` names. */
export const USAGE_KINDS = ['auto', 'trace', 'library', 'synthetic', 'flat'] as const;

/** Salt of the synthetic set's seed (one synthetic set per run seed, independent of other streams). */
const SYNTHETIC_SALT = 0x73796e74; // 'synt'

export interface UsageSourceContext {
  workload: Workload;
  tasks: UsageTaskColumns;
  seed: number;
  /** replay start (µs) and grid step (µs, default 300e6) */ start: number;
  step?: number;
  /** library folder (layout of ../shared/data/usage) and set 'gcd' | 'planetlab' (default 'gcd') */
  library?: string;
  librarySet?: string;
}

/**
 * The usage source of a run (issue 10, "Usage over time"):
 * - 'trace': the task's own series from the workload (Workload.usageSeries, TaskStore.usageSeries),
 *   on absolute time: step k reads point ⌊(start + k·step − seriesStart) / seriesStep⌋ (NaN
 *   outside a non-cyclic series, and for a task without a series);
 * - 'library': a series of the usage library (`--usage-library` folder, set 'gcd' or 'planetlab')
 *   chosen per job by a seeded hash of (seed, job), so a job's tasks share a shape, on the replay
 *   clock (step k reads point k mod 288); value = fraction × the task's usage scale
 *   (TaskStore.usageScale, else its request);
 * - 'synthetic': the same choice over the synthetic process's set (workloads/usage/synthetic-usage.ts,
 *   SYNTHETIC_SERIES series generated from the seed, profile = the library set), rescaled so the
 *   series' mean is the task's known mean usage fraction (TaskStore.usageFraction) when it has
 *   one, else taken literally;
 * - 'flat': the legacy model (harness/usage-model.ts), capped at the limit;
 * - 'auto' (default): the trace series where the task has one, else 'synthetic'.
 * Bad settings are UsageErrors naming `--usage` or `--usage-library`.
 */
export async function createUsageSource(kind: string | undefined, ctx: UsageSourceContext): Promise<TaskUsageSource> {
  const k = kind ?? 'auto';
  const step = ctx.step ?? 300e6;
  if (!(USAGE_KINDS as readonly string[]).includes(k)) {
    throw new UsageError(`--usage: unknown usage source '${k}'; expected one of ${USAGE_KINDS.join(', ')}`);
  }
  if (!(step > 0)) throw new UsageError(`--usage: the usage grid step must be a positive number of µs, got ${step}`);
  const setName = ctx.librarySet ?? 'gcd';
  if (!isLibrarySet(setName)) {
    throw new UsageError(`--usage-set: unknown usage library set '${setName}'; expected one of ${LIBRARY_SETS.join(', ')}`);
  }
  if (ctx.library !== undefined && !isFolder(ctx.library)) {
    throw new UsageError(`--usage-library: folder '${ctx.library}' not found; expected a folder laid out as ../shared/data/usage (google-2011-jobs/GCD_VMs/, planetlab/planetlab.tar.gz)`);
  }
  const { workload, tasks, seed } = ctx;
  if (k === 'flat') return new FlatUsageSource(tasks, seed, step);

  const trace = workload.usageSeries;
  if (k === 'trace' && !trace) {
    throw new UsageError(`--usage trace: workload '${workload.name}' has no usage series of its own; expected a source with usage readings, or --usage auto, library, synthetic or flat`);
  }
  const sets: SourceSet[] = [];
  const traceIndex = trace && k !== 'library' && k !== 'synthetic' ? sets.push({ set: trace, origin: ctx.start }) - 1 : -1;

  let libraryIndex = -1;
  let library: UsageSeriesSet | undefined;
  if (k === 'library') {
    if (ctx.library === undefined) {
      throw new UsageError(`--usage library needs --usage-library <folder> (laid out as ../shared/data/usage)`);
    }
    library = await readLibrary(ctx.library, setName, workload);
    libraryIndex = sets.push({ set: library, origin: 0 }) - 1;
  }
  let syntheticIndex = -1;
  let synthetic: UsageSeriesSet | undefined;
  let syntheticMeans: Float64Array | undefined;
  let syntheticEnsure: ((s: number) => void) | undefined;
  if (k === 'synthetic' || k === 'auto') {
    ({ set: synthetic, means: syntheticMeans, ensure: syntheticEnsure } = syntheticSet(setName, seed, workload));
    syntheticIndex = sets.push({ set: synthetic, origin: 0 }) - 1;
  }

  const D = tasks.dims;
  const choose: ChooseSeries = (t, choice) => {
    const own = tasks.usageSeries[t];
    if (traceIndex >= 0 && own >= 0 && own < trace!.count) {
      choice.origin = SeriesOrigin.Trace;
      choice.set = traceIndex;
      choice.series = own;
      for (let d = 0; d < D; d++) choice.multiplier[d] = usageScaleOf(tasks, t, d);
      return;
    }
    if (library) {
      choice.origin = SeriesOrigin.Library;
      choice.set = libraryIndex;
      choice.series = seriesForJob(seed, tasks.job[t], library.count);
      for (let d = 0; d < D; d++) choice.multiplier[d] = usageScaleOf(tasks, t, d);
      return;
    }
    if (synthetic && syntheticMeans) {
      const s = seriesForJob(seed, tasks.job[t], synthetic.count);
      syntheticEnsure!(s);
      choice.origin = SeriesOrigin.Synthetic;
      choice.set = syntheticIndex;
      choice.series = s;
      for (let d = 0; d < D; d++) {
        const f = tasks.usageFraction[t * D + d];
        const m = syntheticMeans[s * D + d];
        // Known mean fraction: the series rescaled to it; unknown: the series as generated.
        choice.multiplier[d] = usageScaleOf(tasks, t, d) * (f === f && m > 0 ? f / m : 1);
      }
    }
    // 'trace' without a series of its own: no usage (NaN), counted in the notes.
  };

  const syntheticText = `synthetic (the process calibrated on library ${setName}: one of ${SYNTHETIC_SERIES} series per job, each made when first used)`;
  const description =
    k === 'trace'
      ? `trace (${trace!.source})`
      : k === 'library'
        ? `library (${setName}: ${library!.count} series from ${ctx.library})`
        : k === 'synthetic'
          ? syntheticText
          : trace
            ? `auto: trace (${trace.source}) where a task has a series, else ${syntheticText}`
            : `auto: ${syntheticText} (the workload has no usage series)`;
  return new SeriesUsageSource({ description, step, tasks, sets, choose });
}

async function readLibrary(dir: string, set: LibrarySet, workload: Workload): Promise<UsageSeriesSet> {
  try {
    return await loadUsageLibrary(dir, set, workload.resources);
  } catch (e) {
    // A folder without the set's files is a wrong option; a damaged file stays an InputError.
    if (e instanceof InputError && e.line === undefined && /found none/.test(e.message)) {
      throw new UsageError(`--usage-library: ${e.message}`);
    }
    throw e;
  }
}

// A compare replays one workload under many policies with one seed: share its generator (series
// are made on first use, each from its own stream, so sharing changes no value).
interface SyntheticEntry {
  set: UsageSeriesSet;
  means: Float64Array;
  /** Makes series s (and its means) if not made yet. */
  ensure(s: number): void;
}
const syntheticCache = new Map<string, SyntheticEntry>();
const SYNTHETIC_CACHE_SIZE = 4;

function syntheticSet(profile: LibrarySet, seed: number, workload: Workload): SyntheticEntry {
  const key = JSON.stringify([profile, seed, workload.resources.names]);
  let hit = syntheticCache.get(key);
  if (!hit) {
    const gen = new SyntheticUsageGenerator({ profile, seed: hash3(seed, SYNTHETIC_SALT, 0), resources: workload.resources, count: SYNTHETIC_SERIES });
    const set = gen.set;
    const D = set.dims;
    const means = new Float64Array(set.count * D).fill(NaN);
    const made = new Uint8Array(set.count);
    hit = {
      set,
      means,
      ensure(s: number): void {
        if (made[s]) return;
        made[s] = 1;
        gen.ensure(s);
        seriesMean(set, s, means);
      },
    };
    if (syntheticCache.size >= SYNTHETIC_CACHE_SIZE) syntheticCache.delete(syntheticCache.keys().next().value!);
    syntheticCache.set(key, hit);
  }
  return hit;
}

function isFolder(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/** Mean of series s per dimension into `out[s * dims + d]` (NaN where the dimension is unknown). */
function seriesMean(set: UsageSeriesSet, s: number, out: Float64Array): void {
  const D = set.dims;
  const from = set.offsets[s];
  const len = set.offsets[s + 1] - from;
  for (let d = 0; d < D; d++) {
    let sum = 0;
    for (let p = from; p < from + len; p++) sum += set.values[p * D + d];
    out[s * D + d] = sum / len;
  }
}
