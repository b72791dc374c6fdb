import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../model/errors.js';
import type { ReportTable } from './report-input.js';

/**
 * compare.json, the marker and table of a `compare --out DIR` folder: which runs it holds (label,
 * policy, overcommit setting, results folder under DIR/runs/), the baseline, the savings and the
 * side-by-side table as compare prints it. Each run's own results folder is an ordinary replay
 * results folder (reports/results-folder.ts).
 */
export interface CompareRecord {
  schedlab: string;
  command: 'compare';
  seed: number;
  baseline: string;
  runs: Array<{ label: string; policy: string; overcommit?: string; folder: string }>;
  savingsPerYear: Record<string, number>;
  table: ReportTable;
}

export const COMPARE_FILE = 'compare.json';
export const COMPARE_RUNS_FOLDER = 'runs';

/**
 * A run's folder name under runs/: its label with every character that is not a letter, digit,
 * dot, dash or '=' made '_' (`kube-default oc=1.5` → `kube-default_oc=1.5`, a policy file
 * `./my-policy.ts` → `_my-policy.ts`), numbered when two labels make the same name.
 */
export function runFolderNames(labels: readonly string[]): string[] {
  const taken = new Set<string>();
  return labels.map((label) => {
    const base = label.replace(/[^A-Za-z0-9.=-]/g, '_').replace(/^\.+/, (m) => '_'.repeat(m.length)) || 'run';
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    return name;
  });
}

/** Reads DIR/compare.json, or null when DIR has none (it is not a compare folder); a malformed one is an InputError naming the file. */
export function readCompareRecord(dir: string): CompareRecord | null {
  const file = join(dir, COMPARE_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  let rec: Partial<CompareRecord>;
  try {
    rec = JSON.parse(text) as Partial<CompareRecord>;
  } catch (e) {
    throw new InputError({ file, pathAsGiven: true, problem: `not valid JSON (${(e as Error).message})` });
  }
  const runsOk = Array.isArray(rec.runs) && rec.runs.length > 0 && rec.runs.every((r) => typeof r?.label === 'string' && typeof r?.folder === 'string' && /^[^/\\]+$/.test(r.folder) && r.folder !== '..');
  if (rec === null || typeof rec !== 'object' || rec.command !== 'compare' || typeof rec.schedlab !== 'string' || !runsOk) {
    throw new InputError({ file, pathAsGiven: true, problem: "expected schedlab's compare record (fields schedlab, command 'compare', runs with a label and a folder each)" });
  }
  return rec as CompareRecord;
}
