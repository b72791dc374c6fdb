import { join } from 'node:path';
import { UsageError } from '../../model/errors.js';
import type { ChartSpec } from '../charts/chart-spec.js';
import { chartsForRuns } from '../charts/charts-for-runs.js';
import { readResultsFolder } from '../results-reader.js';
import type { LoadedRun } from '../loaded-run.js';
import { COMPARE_RUNS_FOLDER, readCompareRecord } from './compare-folder.js';
import { runsReport } from './runs-report.js';
import type { ReportInput } from './report-input.js';

/**
 * The replays in results folders, in the order given: a replay's folder is one run, a compare
 * folder (compare.json) its runs in column order, labelled as compare labelled them. Refused with
 * one line (UsageError / InputError, exit 2): a folder that is incomplete, from an incompatible
 * schedlab, or not a replay's or compare's results (readResultsFolder says which).
 */
export function loadReportRuns(dirs: readonly string[]): LoadedRun[] {
  if (dirs.length === 0) throw new UsageError('report: give one or more results folders');
  const runs: LoadedRun[] = [];
  for (const dir of dirs) {
    const compare = readCompareRecord(dir);
    if (compare === null) {
      runs.push(readResultsFolder(dir));
      continue;
    }
    for (const r of compare.runs) runs.push({ ...readResultsFolder(join(dir, COMPARE_RUNS_FOLDER, r.folder)), label: r.label });
  }
  // Two folders of the same policy: the folder tells them apart.
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  return runs.map((r) => (counts.get(r.label)! > 1 ? { ...r, label: `${r.label} (${r.dir})` } : r));
}

/** The charts `--charts` names (comma-separated), in the order named; an unknown name is refused with the ones there are. */
export function selectCharts(all: readonly ChartSpec[], names: readonly string[] | undefined): ChartSpec[] {
  if (names === undefined) return [...all];
  if (names.length === 0) throw new UsageError('--charts: give at least one chart name');
  return names.map((n) => {
    const c = all.find((x) => x.name === n);
    if (!c) throw new UsageError(`--charts: unknown chart '${n}'; these runs have: ${all.map((x) => x.name).join(', ')}`);
    return c;
  });
}

/** The report of replays read back from their folders: their charts (reports/charts/) and the summary table. */
export function reportOfRuns(runs: readonly LoadedRun[], chartNames?: readonly string[], command?: 'replay' | 'compare' | 'report'): ReportInput {
  const charts = selectCharts(chartsForRuns([...runs]), chartNames);
  return runsReport(
    runs.map((r) => ({ label: r.label, summary: r.record.summary, workloadNotes: r.record.workloadNotes })),
    charts,
    command,
  );
}
