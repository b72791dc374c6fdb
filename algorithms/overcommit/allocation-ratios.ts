import type { OvercommitModule, OvercommitPolicy } from './overcommit-policy.js';
import { keyValues, overcommitError, parseNumber } from './overcommit-settings.js';

/** Largest ratio accepted: beyond it the value is a typo, not a setting (Kubernetes distributions use 2–10 for CPU). */
export const MAX_RATIO = 1000;

/**
 * Per-resource allocation ratios (../shared/docs/models.md § Overcommit): the scheduler may place
 * requests up to `ratio × allocatable` in each dimension (OpenStack's cpu_allocation_ratio, YARN's
 * and Kubernetes distributions' CPU overcommit). CPU is often 2–4×, memory near 1× because memory
 * is incompressible. Settings: `cpu=2,memory=1.2` (dimensions by name; unnamed ones stay 1), or a
 * bare number for the same ratio on cpu and memory (so `compare --overcommit 1,1.5,2` works).
 */
export function ratioPolicy(spec: string, settings: string | undefined, resources: readonly string[]): OvercommitPolicy {
  const ratios = new Float64Array(resources.length).fill(1);
  const text = settings ?? '';
  const bare = parseNumber(text.trim());
  const expectedRatio = `a ratio > 0 and at most ${MAX_RATIO}`;
  if (text.trim() !== '' && !text.includes('=')) {
    if (!(bare > 0 && bare <= MAX_RATIO)) throw overcommitError(spec, `expected ${expectedRatio} (or cpu=2,memory=1.2), got '${text}'`);
    for (const name of ['cpu', 'memory']) {
      const d = resources.indexOf(name);
      if (d >= 0) ratios[d] = bare;
    }
  } else {
    const pairs = keyValues(spec, text, `resource=ratio, resources: ${resources.join(', ')}`);
    if (pairs.length === 0) throw overcommitError(spec, `expected allocation ratios such as cpu=2,memory=1.2 (resources: ${resources.join(', ')})`);
    for (const [name, raw] of pairs) {
      const d = resources.indexOf(name);
      if (d < 0) throw overcommitError(spec, `unknown resource '${name}'; this workload has: ${resources.join(', ')}`);
      const v = parseNumber(raw);
      if (!(v > 0 && v <= MAX_RATIO)) throw overcommitError(spec, `${name}: expected ${expectedRatio}, got '${raw}'`);
      ratios[d] = v;
    }
  }
  const label = resources.map((n, d) => (ratios[d] === 1 ? '' : `${n}=${ratios[d]}`)).filter((s) => s !== '').join(',');
  return {
    name: `ratio:${label === '' ? 'none' : label}`,
    ratio: (d) => ratios[d] ?? 1,
  };
}

export const allocationRatios: OvercommitModule = {
  name: 'ratio',
  description: 'per-resource allocation ratios: place requests up to ratio × allocatable (ratio:cpu=2,memory=1.2, or a bare number for cpu and memory)',
  create: (settings, resources) => ratioPolicy(settings === undefined ? 'ratio' : `ratio:${settings}`, settings, resources),
};
