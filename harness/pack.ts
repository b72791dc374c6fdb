import { type ExactStatus, solveExact } from '../algorithms/offline/exact-mip.js';
import { firstOversizedItem } from '../algorithms/offline/instance-feasibility.js';
import type { PackingInstance } from '../model/packing-instance.js';
import { validatePacking } from '../algorithms/offline/packing.js';
import { type LowerBounds, lowerBounds } from '../algorithms/offline/lower-bounds.js';
import { allAlgorithms, resolveAlgorithm } from '../algorithms/offline/registry.js';
import { classOf, lookupKnown, readInstance } from '../workloads/bin-packing/read-instance.js';

/**
 * `packInstances`: run offline bin-packing heuristics (and optionally the exact MIP, named 'exact')
 * on instance files and compare against lower bounds and the known optimum read from the
 * benchmark's side file (optima.csv / index.csv next to the instances, see read-instance.ts).
 * The report holds no timings, so equal files and options give an identical report on any machine
 * (the exact solver is bounded by its node limit; its time limit is a safety net, see exact-mip.ts).
 */
export interface PackOptions {
  /** Algorithm names (see algorithms/offline/registry.ts), 'all', and/or 'exact'. */
  algorithms: string[];
  /** Node limit for 'exact' (HiGHS branch-and-bound nodes; default DEFAULT_NODE_LIMIT in exact-mip.ts). */
  nodeLimit?: number;
  /** Wall-clock safety net for 'exact', seconds (default DEFAULT_TIME_LIMIT_SECONDS in exact-mip.ts). */
  timeLimitSeconds?: number;
  /** Seed for randomized algorithms (the '-Shuffle' variants). Default 1. */
  seed?: number;
  /** Accept negative item sizes (some published .vbp files have them). Default false. */
  allowNegative?: boolean;
}

export type OutcomeStatus = 'ok' | ExactStatus;

export interface AlgorithmOutcome {
  algorithm: string;
  /** Bins used, or null when the instance is infeasible / no packing was found. */
  bins: number | null;
  status: OutcomeStatus;
  /** 100 * (bins - opt) / opt when the optimum is known. */
  pctAboveOpt: number | null;
  /** 100 * (bins - lowerBound) / lowerBound. */
  pctAboveLb: number | null;
  /** For 'exact': the proven lower bound. */
  provenLowerBound?: number;
  /** For 'exact': branch-and-bound nodes processed, and the limit that stopped it before a proof. */
  nodes?: number;
  stoppedBy?: 'node-limit' | 'time-limit';
}

export interface InstanceResult {
  file: string;
  name: string;
  cls: string;
  n: number;
  d: number;
  /** True when some item does not fit in an empty bin (every algorithm then reports 'infeasible'). */
  infeasible: boolean;
  lowerBounds: LowerBounds | null;
  /** max(L1, L2, clique) */
  lowerBound: number | null;
  /** From optima.csv / index.csv, when known. */
  knownOptimum: number | null;
  results: AlgorithmOutcome[];
}

export interface AlgorithmClassSummary {
  algorithm: string;
  instances: number;
  meanBins: number;
  /** Mean over instances with a known optimum. */
  meanPctAboveOpt: number | null;
  instancesWithOpt: number;
  /** Instances where bins == known optimum. */
  hitsOpt: number;
  meanPctAboveLb: number | null;
}

export interface ClassSummary {
  cls: string;
  instances: number;
  perAlgorithm: AlgorithmClassSummary[];
}

export interface PackReport {
  algorithms: string[];
  instances: InstanceResult[];
  classes: ClassSummary[];
}

function expand(names: string[], d: number): string[] {
  const out: string[] = [];
  for (const raw of names) {
    for (const a of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
      const list = a.toLowerCase() === 'all' ? allAlgorithms(d) : [a];
      for (const x of list) if (!out.includes(x)) out.push(x);
    }
  }
  return out;
}

const pct = (a: number, b: number) => (b > 0 ? (100 * (a - b)) / b : null);

export async function packInstances(files: string[], options: PackOptions): Promise<PackReport> {
  const instances: InstanceResult[] = [];
  const algoOrder: string[] = [];
  for (const file of files) {
    const inst: PackingInstance = readInstance(file, { allowOversized: true, allowNegative: options.allowNegative });
    const known = lookupKnown(file);
    const algos = expand(options.algorithms, inst.d);
    const infeasible = firstOversizedItem(inst) !== null;
    const lb = infeasible ? null : lowerBounds(inst);
    const opt = known?.opt ?? null;
    const results: AlgorithmOutcome[] = [];
    for (const name of algos) {
      const isExact = /^(exact|mip)$/i.test(name);
      const label = isExact ? 'exact' : resolveAlgorithm(name).name;
      if (!algoOrder.includes(label)) algoOrder.push(label);
      if (infeasible) {
        results.push({ algorithm: label, bins: null, status: 'infeasible', pctAboveOpt: null, pctAboveLb: null });
        continue;
      }
      if (isExact) {
        const r = await solveExact(inst, { nodeLimit: options.nodeLimit, timeLimitSeconds: options.timeLimitSeconds });
        results.push({
          algorithm: label,
          bins: r.bins,
          status: r.status,
          pctAboveOpt: r.bins !== null && opt !== null ? pct(r.bins, opt) : null,
          pctAboveLb: r.bins !== null && lb ? pct(r.bins, lb.best) : null,
          provenLowerBound: r.lowerBound,
          nodes: r.nodes,
          ...(r.stoppedBy ? { stoppedBy: r.stoppedBy } : {}),
        });
        continue;
      }
      const p = resolveAlgorithm(name).run(inst, { seed: options.seed ?? 1 });
      const bad = validatePacking(inst, p);
      if (bad) throw new Error(`${label} produced an invalid packing on ${file}: ${bad}`);
      results.push({
        algorithm: label,
        bins: p.bins,
        status: 'ok',
        pctAboveOpt: opt !== null ? pct(p.bins, opt) : null,
        pctAboveLb: lb ? pct(p.bins, lb.best) : null,
      });
    }
    instances.push({
      file,
      name: inst.name,
      cls: classOf(file, known),
      n: inst.n,
      d: inst.d,
      infeasible,
      lowerBounds: lb,
      lowerBound: lb?.best ?? null,
      knownOptimum: opt,
      results,
    });
  }
  return { algorithms: algoOrder, instances, classes: summarize(instances, algoOrder) };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function summarize(instances: InstanceResult[], algoOrder: string[]): ClassSummary[] {
  const byClass = new Map<string, InstanceResult[]>();
  for (const r of instances) {
    const list = byClass.get(r.cls) ?? [];
    list.push(r);
    byClass.set(r.cls, list);
  }
  const out: ClassSummary[] = [];
  for (const [cls, list] of byClass) {
    const perAlgorithm: AlgorithmClassSummary[] = [];
    for (const a of algoOrder) {
      const rs = list.flatMap((r) => r.results.filter((x) => x.algorithm === a).map((x) => ({ r, x })));
      const withBins = rs.filter(({ x }) => x.bins !== null);
      if (rs.length === 0) continue;
      const opts = withBins.filter(({ x }) => x.pctAboveOpt !== null);
      perAlgorithm.push({
        algorithm: a,
        instances: rs.length,
        meanBins: mean(withBins.map(({ x }) => x.bins as number)) ?? NaN,
        meanPctAboveOpt: mean(opts.map(({ x }) => x.pctAboveOpt as number)),
        instancesWithOpt: opts.length,
        hitsOpt: opts.filter(({ r, x }) => x.bins === r.knownOptimum).length,
        meanPctAboveLb: mean(withBins.filter(({ x }) => x.pctAboveLb !== null).map(({ x }) => x.pctAboveLb as number)),
      });
    }
    out.push({ cls, instances: list.length, perAlgorithm });
  }
  return out;
}
