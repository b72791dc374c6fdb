import type { Fields } from './fields.js';
import type { FieldPath } from './manifest-documents.js';
import { isWholeQuantity, parseQuantity, quantityToUnits, QUANTITY_EXPECTED } from './quantity.js';
import { DIMS, RESOURCE_DIMS } from './resources.js';

/** Resource names seen but not modeled, with how often (for the notes). */
export type IgnoredResources = Map<string, number>;

/**
 * Reads a Kubernetes ResourceList (`requests`, `limits`, `overhead`, `status.capacity`, ...) at
 * `p` into a vector over the reader's dimensions: NaN where the list does not name the resource.
 * Quantities are parsed strictly (InputError with the field path); a YAML number is parsed from
 * its source text, so `0.1` is exactly 100 millicores. `pods` is read only where `allowPods`
 * (node capacity), since it is not a container resource.
 */
export function readResourceList(f: Fields, p: FieldPath, allowPods: boolean, ignored: IgnoredResources): Float64Array {
  const out = new Float64Array(DIMS).fill(NaN);
  const list = f.object(p);
  if (list === undefined) return out;
  for (const [name, v] of Object.entries(list)) {
    const vp = [...p, name];
    if (v === null || v === undefined) continue;
    let text: string;
    if (typeof v === 'string') text = v;
    else if (typeof v === 'number') text = f.at.sourceText(vp) ?? String(v);
    else throw f.at.error(vp, QUANTITY_EXPECTED, v);
    const q = parseQuantity(text);
    if (q === null) throw f.at.error(vp, QUANTITY_EXPECTED, v);
    const spec = RESOURCE_DIMS[name];
    if (spec === undefined || (name === 'pods' && !allowPods)) {
      ignored.set(name, (ignored.get(name) ?? 0) + 1);
      continue;
    }
    if (spec.whole && !isWholeQuantity(q)) throw f.at.error(vp, `a whole number of ${name}`, v);
    out[spec.dim] = quantityToUnits(q, spec.perUnit);
  }
  return out;
}
