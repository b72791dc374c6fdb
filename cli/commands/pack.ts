import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { type PackReport, packInstances } from '../../harness/pack.js';
import { DEFAULT_NODE_LIMIT, DEFAULT_TIME_LIMIT_SECONDS } from '../../algorithms/offline/exact-mip.js';
import { nonNegativeInt, positiveInt, positiveNumber } from '../options.js';

/**
 * `schedlab pack FILES... [--algorithms a,b|all] [--json] [--node-limit N] [--time-limit S] [--seed N]`
 * Offline bin packing on BPPLIB (.txt) / VPSolver (.vbp) files: bins per algorithm, lower bounds,
 * known optimum (from optima.csv / index.csv beside the files) and the gap, per instance and per class.
 */
export interface PackArgs {
  files: string[];
  algorithms: string;
  json: boolean;
  nodeLimit: number;
  timeLimit: number;
  seed: number;
  allowNegative: boolean;
}

function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || Number.isNaN(x) ? '-' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A count with thousands separators (instances reach n = 10,000 and more). */
const int = (x: number | null): string => (x === null ? '-' : x.toLocaleString('en-US'));

function table(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((v, c) => (c === 0 ? v.padEnd(w[c]) : v.padStart(w[c]))).join('  ')).join('\n');
}

export function renderPackReport(rep: PackReport): string {
  const out: string[] = [];
  const algos = rep.algorithms;
  const head = ['instance', 'class', 'n', 'd', 'LB', 'OPT', ...algos];
  const rows = [head];
  for (const r of rep.instances) {
    rows.push([
      r.name,
      r.cls,
      int(r.n),
      int(r.d),
      r.infeasible ? 'infeasible' : int(r.lowerBound),
      r.knownOptimum === null ? '-' : int(r.knownOptimum),
      ...algos.map((a) => {
        const x = r.results.find((y) => y.algorithm === a);
        if (!x) return '';
        if (x.bins === null) return x.status;
        return x.status === 'ok' ? int(x.bins) : `${int(x.bins)} (${x.status})`;
      }),
    ]);
  }
  out.push(table(rows), '');
  out.push('Per class: mean % above optimum (known optima only; else above the lower bound, marked *), optima hit');
  const crow = [['class', 'instances', ...algos]];
  for (const c of rep.classes) {
    crow.push([
      c.cls,
      int(c.instances),
      ...algos.map((a) => {
        const s = c.perAlgorithm.find((p) => p.algorithm === a);
        if (!s) return '';
        if (s.meanPctAboveOpt !== null) return `${fmt(s.meanPctAboveOpt)}% ${int(s.hitsOpt)}/${int(s.instancesWithOpt)}`;
        return `${fmt(s.meanPctAboveLb)}%*`;
      }),
    ]);
  }
  out.push(table(crow));
  return out.join('\n');
}

export const packCommand: CommandModule<object, PackArgs> = {
  command: 'pack <files..>',
  describe: 'Offline bin packing: heuristics, lower bounds and an exact MIP on BPPLIB / .vbp files',
  builder: (y: Argv<object>) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'instance files (.txt BPPLIB, .vbp VPSolver)' })
      .option('algorithms', {
        alias: 'a',
        type: 'string',
        default: 'FFD,BFD',
        describe: "comma-separated names, 'all', and/or 'exact' (e.g. FFD-L2-Avg,BCS-DP1-Avg,exact)",
      })
      .option('json', { type: 'boolean', default: false, describe: 'print the full report as JSON' })
      .option('node-limit', { type: 'string', default: String(DEFAULT_NODE_LIMIT), coerce: positiveInt('node-limit'), describe: "branch-and-bound nodes per instance for 'exact' (a work limit: results do not depend on the machine)" })
      .option('time-limit', { type: 'string', default: String(DEFAULT_TIME_LIMIT_SECONDS), coerce: positiveNumber('time-limit'), describe: "seconds per instance for 'exact', a safety net (a run it stops depends on the machine)" })
      .option('seed', { type: 'string', default: '1', coerce: nonNegativeInt('seed'), describe: "seed for the '-Shuffle' variants" })
      .option('allow-negative', { type: 'boolean', default: false, describe: 'accept negative item sizes' }) as unknown as Argv<PackArgs>,
  handler: async (argv: ArgumentsCamelCase<PackArgs>) => {
    const rep = await packInstances(argv.files, {
      algorithms: [argv.algorithms],
      nodeLimit: argv.nodeLimit,
      timeLimitSeconds: argv.timeLimit,
      seed: argv.seed,
      allowNegative: argv.allowNegative,
    });
    process.stdout.write((argv.json ? JSON.stringify(rep, null, 2) : renderPackReport(rep)) + '\n');
  },
};

export default packCommand;
