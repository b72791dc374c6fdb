import { readFileSync } from 'node:fs';
import type { ChartSpec } from './chart-spec.js';
import { InputError } from '../../model/errors.js';
import { baseSpec, round6 } from './vega-lite-base.js';

/**
 * `pack`'s gap to optimum per benchmark class (harness/pack.ts ClassSummary, `pack --json`'s
 * `classes`): per class and algorithm the mean of 100 × (bins − optimum) / optimum over the
 * instances with a known optimum; a class without known optima shows the gap to the lower bound
 * instead, drawn lighter and said in the legend (it overstates the gap to the optimum).
 */
export interface PackClasses {
  classes: ReadonlyArray<{
    cls: string;
    instances: number;
    perAlgorithm: ReadonlyArray<{ algorithm: string; meanPctAboveOpt: number | null; instancesWithOpt: number; meanPctAboveLb: number | null }>;
  }>;
}

export function packGapChart(rep: PackClasses): ChartSpec {
  const values: Array<{ class: string; algorithm: string; gap_pct: number; basis: string; instances: number }> = [];
  const algorithms: string[] = [];
  for (const c of rep.classes) {
    for (const a of c.perAlgorithm) {
      if (!algorithms.includes(a.algorithm)) algorithms.push(a.algorithm);
      if (a.meanPctAboveOpt !== null) values.push({ class: c.cls, algorithm: a.algorithm, gap_pct: round6(a.meanPctAboveOpt), basis: 'known optimum', instances: a.instancesWithOpt });
      else if (a.meanPctAboveLb !== null) values.push({ class: c.cls, algorithm: a.algorithm, gap_pct: round6(a.meanPctAboveLb), basis: 'lower bound (no optimum known)', instances: c.instances });
    }
  }
  return {
    name: 'pack-gap-to-optimum',
    title: 'Gap to the optimum per benchmark class',
    caption: 'Mean bins above the known optimum (% of the optimum) per benchmark class and algorithm; lighter bars: above the lower bound, where no optimum is known.',
    spec: baseSpec('Gap to the optimum per benchmark class', values, {
      width: { step: 14 },
      height: 260,
      mark: 'bar',
      encoding: {
        x: { field: 'class', type: 'nominal', title: 'benchmark class', sort: null, axis: { labelAngle: -30 } },
        xOffset: { field: 'algorithm', type: 'nominal', sort: algorithms },
        y: { field: 'gap_pct', type: 'quantitative', title: 'bins above optimum (% of optimum)' },
        color: { field: 'algorithm', type: 'nominal', title: 'algorithm', sort: algorithms },
        opacity: { field: 'basis', type: 'ordinal', title: 'gap to', scale: { domain: ['known optimum', 'lower bound (no optimum known)'], range: [1, 0.45] } },
        tooltip: [{ field: 'class' }, { field: 'algorithm' }, { field: 'gap_pct', format: '.2f' }, { field: 'basis' }, { field: 'instances' }],
      },
    }),
  };
}

/** `schedlab pack --json` output read back (its `classes`). */
export function readPackJson(file: string): PackClasses {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError({ file, problem: `not valid JSON (expected the output of schedlab pack --json): ${(e as Error).message}` });
  }
  const classes = (json as { classes?: unknown } | null)?.classes;
  if (!Array.isArray(classes)) throw new InputError({ file, field: 'classes', problem: 'expected the per-class summaries of schedlab pack --json' });
  classes.forEach((c: unknown, i: number) => {
    const ok = typeof c === 'object' && c !== null && typeof (c as { cls?: unknown }).cls === 'string' && Array.isArray((c as { perAlgorithm?: unknown }).perAlgorithm);
    if (!ok) throw new InputError({ file, field: `classes[${i}]`, problem: 'expected { cls, instances, perAlgorithm }' });
  });
  return json as PackClasses;
}
