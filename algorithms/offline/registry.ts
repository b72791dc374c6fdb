import { permutation, Rng } from '../../model/rng.js';
import { UsageError } from '../../model/errors.js';
import { bestFitDecreasing } from './best-fit-decreasing.js';
import { dotProductPacker } from './dot-product-packer.js';
import { firstFitDecreasing } from './first-fit-decreasing.js';
import type { Packing } from './packing.js';
import type { PackingInstance } from '../../model/packing-instance.js';
import { l2NormPacker } from './l2-norm-packer.js';
import { bestFit, firstFit, nextFit, worstFit } from './online-order-heuristics.js';
import { measureName, parseMeasure, parseWeight, type SizeMeasure, type WeightKind } from './size-measures.js';
import { worstFitDecreasing } from './worst-fit-decreasing.js';

/**
 * Offline heuristics by name. Grammar (case-insensitive, '-'-separated):
 *
 *   FF | NF | BF[-<measure>[-<weight>]] | WF[-<measure>[-<weight>]]      items in file order
 *   FF-Shuffle | NF-Shuffle | BF-Shuffle | WF-Shuffle                      items in a seeded random order
 *   FFD[-<measure>[-<weight>]]                                             first fit decreasing
 *   BFD[-T1][-<measure>[-<weight>]] | WFD[-T1][-<measure>[-<weight>]]      best / worst fit decreasing
 *   BCS-DP1[-<weight>] (alias DP[-<weight>])                               dot-product bin-centric
 *   BCS-L2Norm[-<weight>] (alias L2Norm[-<weight>])                        L2-norm bin-centric
 *
 *   <measure> = L1 | Sum | Linf | Max | L2 | Prod | Dim<k>    (default L1)
 *   <weight>  = Unit | Avg | Scarcity | Expo | ReciprocAvg    (default Unit)
 *
 * Names follow Mommessin, Erlebach & Shakhlevich (C&OR 2025) where they have a counterpart there:
 * `publishedName` is the column of their results files holding the same algorithm (their BFD / WFD
 * with bins ranked by the items' measure are "T1"; their BF / WF rank bins with weights computed
 * from bin residuals, which we do not implement, so BF / WF have no published counterpart for d > 1).
 */
export interface RunOptions {
  /** Seed for the '-Shuffle' variants (default 1). */
  seed?: number;
}

export interface AlgorithmSpec {
  /** The name as canonicalized (e.g. 'FFD-L2-Avg'). */
  readonly name: string;
  readonly family: 'online-order' | 'item-centric-decreasing' | 'bin-centric';
  /** Column name in Mommessin et al.'s results files, when there is one. */
  readonly publishedName?: string;
  readonly randomized: boolean;
  run(inst: PackingInstance, opts?: RunOptions): Packing;
}

/** A name the grammar does not know: a user mistake (exit 2 with this message, no stack trace). */
export class UnknownAlgorithmError extends UsageError {
  constructor(name: string, why: string) {
    super(`--algorithms: unknown offline algorithm '${name}': ${why}. Known forms: ${KNOWN_FORMS}`);
  }
}

const KNOWN_FORMS =
  'FF, NF, BF[-m[-w]], WF[-m[-w]], {FF,NF,BF,WF}-Shuffle, FFD[-m[-w]], BFD[-T1][-m[-w]], WFD[-T1][-m[-w]], ' +
  'BCS-DP1[-w] (DP), BCS-L2Norm[-w] (L2Norm); m = L1|Sum|Linf|Max|L2|Prod|Dim<k>, w = Unit|Avg|Scarcity|Expo|ReciprocAvg';

function parseMW(name: string, rest: string[]): { measure: SizeMeasure; weight: WeightKind } {
  let measure: SizeMeasure = { kind: 'L1' };
  let weight: WeightKind = 'Unit';
  if (rest.length > 2) throw new UnknownAlgorithmError(name, 'too many parts');
  if (rest.length >= 1) {
    const m = parseMeasure(rest[0]);
    if (!m) throw new UnknownAlgorithmError(name, `'${rest[0]}' is not a size measure`);
    measure = m;
  }
  if (rest.length === 2) {
    const w = parseWeight(rest[1]);
    if (!w) throw new UnknownAlgorithmError(name, `'${rest[1]}' is not a weight`);
    weight = w;
  }
  return { measure, weight };
}

function shuffled(n: number, seed: number): Uint32Array {
  return Uint32Array.from(permutation(n, new Rng(seed)));
}

/** Resolves a name to a runnable algorithm; throws UnknownAlgorithmError with the grammar. */
export function resolveAlgorithm(rawName: string): AlgorithmSpec {
  const parts = rawName.trim().split('-').filter((p) => p.length > 0);
  if (parts.length === 0) throw new UnknownAlgorithmError(rawName, 'empty name');
  // '-Dyn': weights recomputed from the remaining items after every placement (dynamic-weights.ts).
  const dynamic = parts.length > 1 && parts[parts.length - 1].toLowerCase() === 'dyn';
  if (dynamic) parts.pop();
  const head = parts[0].toUpperCase();
  if (dynamic && head !== 'FFD' && head !== 'BFD' && head !== 'WFD') {
    throw new UnknownAlgorithmError(rawName, "dynamic weights ('-Dyn') apply to the decreasing families FFD, BFD and WFD");
  }
  const rest = parts.slice(1);

  if ((head === 'FF' || head === 'NF' || head === 'BF' || head === 'WF') && rest.length === 1 && rest[0].toLowerCase() === 'shuffle') {
    const fn = { FF: firstFit, NF: nextFit, BF: bestFit, WF: worstFit }[head];
    const name = `${head}-Shuffle`;
    return {
      name,
      family: 'online-order',
      randomized: true,
      run: (inst, o) => fn(inst, { order: shuffled(inst.n, o?.seed ?? 1) }, name),
    };
  }
  if (head === 'FF' || head === 'NF') {
    if (rest.length > 0) throw new UnknownAlgorithmError(rawName, `${head} takes no measure`);
    const fn = head === 'FF' ? firstFit : nextFit;
    return { name: head, family: 'online-order', publishedName: head === 'FF' ? 'FF' : undefined, randomized: false, run: (inst) => fn(inst, {}, head) };
  }
  if (head === 'BF' || head === 'WF') {
    const { measure, weight } = parseMW(rawName, rest);
    const name = rest.length === 0 ? head : `${head}-${measureName(measure)}-${weight}`;
    const fn = head === 'BF' ? bestFit : worstFit;
    return { name, family: 'online-order', randomized: false, run: (inst) => fn(inst, { measure, weight }, name) };
  }
  if (head === 'FFD' || head === 'BFD' || head === 'WFD') {
    const r = head !== 'FFD' && rest.length > 0 && rest[0].toUpperCase() === 'T1' ? rest.slice(1) : rest;
    const { measure, weight } = parseMW(rawName, r);
    if (dynamic && (r.length < 2 || weight === 'Unit')) {
      throw new UnknownAlgorithmError(rawName, "'-Dyn' needs a measure and a non-unit weight, e.g. FFD-L1-Avg-Dyn (unit weights never change)");
    }
    const mw = `${measureName(measure)}-${weight}${dynamic ? '-Dyn' : ''}`;
    const name = r.length === 0 ? head : `${head}-${mw}`;
    const pub =
      measure.kind === 'Prod' || measure.kind === 'Dim' ? undefined : head === 'FFD' ? `FFD-${mw}` : `${head}-T1-${mw}`;
    const fn = head === 'FFD' ? firstFitDecreasing : head === 'BFD' ? bestFitDecreasing : worstFitDecreasing;
    return {
      name,
      family: 'item-centric-decreasing',
      publishedName: pub,
      randomized: false,
      run: (inst) => fn(inst, { measure, weight, dynamic }, name),
    };
  }
  const isDP = head === 'DP' || (head === 'BCS' && rest[0]?.toUpperCase() === 'DP1');
  const isL2 = head === 'L2NORM' || (head === 'BCS' && rest[0]?.toUpperCase() === 'L2NORM');
  if (isDP || isL2) {
    const wr = head === 'BCS' ? rest.slice(1) : rest;
    if (wr.length > 1) throw new UnknownAlgorithmError(rawName, 'too many parts');
    const weight = wr.length === 1 ? parseWeight(wr[0]) : 'Unit';
    if (!weight) throw new UnknownAlgorithmError(rawName, `'${wr[0]}' is not a weight`);
    const name = `BCS-${isDP ? 'DP1' : 'L2Norm'}-${weight}`;
    return {
      name,
      family: 'bin-centric',
      publishedName: name,
      randomized: false,
      run: (inst) => (isDP ? dotProductPacker(inst, weight, name) : l2NormPacker(inst, weight, name)),
    };
  }
  throw new UnknownAlgorithmError(rawName, 'no such family');
}

/** What `--algorithms all` runs: everything distinct for the instance's dimension. */
export function allAlgorithms(d: number): string[] {
  if (d === 1) return ['FF', 'NF', 'BF', 'WF', 'FFD', 'BFD', 'WFD'];
  const out = ['FF', 'NF', 'BF', 'WF'];
  for (const m of ['L1', 'Linf', 'L2']) for (const w of ['Unit', 'Avg']) out.push(`FFD-${m}-${w}`);
  out.push('FFD-Prod');
  for (const m of ['L1', 'Linf', 'L2']) for (const w of ['Unit', 'Avg']) out.push(`BFD-${m}-${w}`);
  for (const m of ['L1', 'L2']) for (const w of ['Unit', 'Avg']) out.push(`WFD-${m}-${w}`);
  for (const w of ['Unit', 'Avg']) out.push(`BCS-DP1-${w}`, `BCS-L2Norm-${w}`);
  return out;
}

/** Runs one algorithm by name. */
export function runAlgorithm(name: string, inst: PackingInstance, opts: RunOptions = {}): Packing {
  return resolveAlgorithm(name).run(inst, opts);
}
