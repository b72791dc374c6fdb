import type { Fields } from './fields.js';
import type { FieldPath } from './manifest-documents.js';
import { US_PER_SECOND } from '../../model/units.js';

/**
 * Manifests say nothing about how long a pod runs. The reader's rule: pods run until the end of
 * the replay (duration NaN), except where this annotation gives a run time in seconds (on the
 * object's metadata or its pod template's; the template's wins), or, for Jobs, the reader option
 * `jobDurationSeconds`. Example:
 *
 *   metadata:
 *     annotations:
 *       schedlab.io/duration-seconds: "600"
 */
export const DURATION_ANNOTATION = 'schedlab.io/duration-seconds';

/** Seconds → integer microseconds (NaN stays NaN). */
export const secondsToMicros = (s: number) => (s === s ? Math.round(s * US_PER_SECOND) : NaN);

/**
 * The annotated run time in seconds from the first metadata path (most specific first) that has
 * the annotation; undefined when none has. A value that is not a positive number is an InputError.
 */
export function annotatedDuration(f: Fields, metadataPaths: FieldPath[]): number | undefined {
  for (const m of metadataPaths) {
    const p = [...m, 'annotations', DURATION_ANNOTATION];
    const v = f.raw(p);
    if (v === undefined) continue;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d*\.?\d+([eE][-+]?\d+)?\s*$/.test(v) ? Number(v) : NaN;
    if (!(Number.isFinite(n) && n > 0)) throw f.at.error(p, 'a positive number of seconds, e.g. "600"', v);
    return n;
  }
  return undefined;
}
