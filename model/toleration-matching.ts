import type { Taint, Toleration } from './placement-constraints.js';
import { parseCanonicalInt64 } from './int64.js';

// Taints against tolerations with the semantics of the Kubernetes API (core/v1
// Toleration.ToleratesTaint). Pure functions.

/**
 * core/v1 Toleration.ToleratesTaint: an empty effect matches every effect, an empty key every key
 * (with Exists; API validation rejects it with other operators); Exists matches any value, Equal (or no operator) the same value, Gt / Lt compare the taint's
 * value with the toleration's as canonical base-10 int64 (taint > value, taint < value); a value
 * that does not parse matches nothing.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Equal':
      // API validation allows an empty key only with Exists; such an invalid toleration tolerates nothing.
      return !!t.key && (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    case 'Gt':
    case 'Lt': {
      if (!t.key) return false;
      const tv = parseCanonicalInt64(t.value ?? '');
      const nv = parseCanonicalInt64(taint.value ?? '');
      if (tv === undefined || nv === undefined) return false;
      return t.operator === 'Gt' ? nv > tv : nv < tv;
    }
    default:
      return false;
  }
}

/** Every NoSchedule / NoExecute taint is tolerated (PreferNoSchedule never blocks). */
export function taintsTolerated(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined): boolean {
  if (taints === undefined) return true;
  for (const taint of taints) if (taint.effect !== 'PreferNoSchedule' && !toleratedBy(tolerations ?? [], taint)) return false;
  return true;
}

export function toleratedBy(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}
