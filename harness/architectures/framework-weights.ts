import { UsageError } from '../../model/errors.js';

/** The two-level architecture's frameworks, in tie-break order (a job goes to the one of its kind). */
export const FRAMEWORK_NAMES = ['batch', 'service'] as const;

/**
 * Parses `--framework-weights`, e.g. 'batch=1,service=2': the weighted-DRF weight of each
 * framework (Ghodsi et al. NSDI'11 §5; Mesos calls them role weights, `--weights` on the master).
 * A framework not named keeps weight 1. Each weight must be a finite number > 0: weight 0 would
 * make a dominant share infinite (the DRF division), so it is refused rather than guessed at.
 * Returns the weights in FRAMEWORK_NAMES order.
 */
export function parseFrameworkWeights(text: string | undefined): Float64Array {
  const w = new Float64Array(FRAMEWORK_NAMES.length).fill(1);
  if (text === undefined) return w;
  const seen = new Set<string>();
  for (const entry of text.split(',')) {
    const bad = (why: string) => new UsageError(`--framework-weights: entry '${entry.trim()}': ${why}`);
    const eq = entry.indexOf('=');
    if (eq < 0) throw bad(`expected name=weight with name one of ${FRAMEWORK_NAMES.join(', ')}`);
    const name = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    const f = (FRAMEWORK_NAMES as readonly string[]).indexOf(name);
    if (f < 0) throw bad(`unknown framework '${name}'; expected one of ${FRAMEWORK_NAMES.join(', ')}`);
    if (seen.has(name)) throw bad(`framework '${name}' given twice`);
    seen.add(name);
    const v = value === '' ? NaN : Number(value);
    if (!Number.isFinite(v) || v <= 0) throw bad(`expected a weight > 0, got '${value}'`);
    w[f] = v;
  }
  return w;
}
