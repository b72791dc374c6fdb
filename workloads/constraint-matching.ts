import type { LabelSelector, NodeSelectorRequirement, NodeSelectorTerm, Taint, Toleration } from './placement-constraints.js';

/**
 * Label and taint matching with the semantics of the Kubernetes API (k8s.io/apimachinery labels,
 * component-helpers nodeaffinity, core/v1 Toleration.ToleratesTaint), for the constraint
 * vocabulary of placement-constraints.ts. Shared by the scheduling plugins (algorithms/kubernetes)
 * and the manifest reader (DaemonSet expansion). Pure functions; callers cache.
 */

/** A label's value, or undefined when absent (own properties only: labels come from JSON). */
export function labelValue(labels: Readonly<Record<string, string>>, key: string): string | undefined {
  // Inherited Object.prototype members ("constructor", "toString") are functions, never strings.
  const v = labels[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * One `key=value` a pod must carry to match the selector, for indexing pods by label: the first
 * matchLabels pair, or a single-valued `In` expression; undefined when there is none (an empty
 * selector, or only NotIn / Exists...), and every pod must then be checked.
 */
export function selectorIndexKey(s: LabelSelector): string | undefined {
  if (s.matchLabels) for (const k of Object.keys(s.matchLabels)) return `${k}=${s.matchLabels[k]}`;
  for (const e of s.matchExpressions ?? []) if (e.operator === 'In' && e.values?.length === 1) return `${e.key}=${e.values[0]}`;
  return undefined;
}

/** Kubernetes parses Gt/Lt operands as base-10 int64; anything else fails the requirement. */
function parseIntStrict(s: string | undefined): number {
  if (s === undefined || !/^[+-]?\d+$/.test(s.trim())) return NaN;
  return Number(s.trim());
}

/** One node-selector requirement against a node's labels. */
export function matchesRequirement(labels: Readonly<Record<string, string>>, r: NodeSelectorRequirement): boolean {
  const v = labelValue(labels, r.key);
  switch (r.operator) {
    case 'In':
      return v !== undefined && (r.values ?? []).includes(v);
    case 'NotIn':
      return v === undefined || !(r.values ?? []).includes(v);
    case 'Exists':
      return v !== undefined;
    case 'DoesNotExist':
      return v === undefined;
    case 'Gt':
    case 'Lt': {
      if (v === undefined || (r.values ?? []).length !== 1) return false;
      const a = parseIntStrict(v);
      const b = parseIntStrict(r.values![0]);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A term's requirements are ANDed; a term without requirements matches nothing (as in kube). */
export function matchesTerm(labels: Readonly<Record<string, string>>, term: NodeSelectorTerm): boolean {
  const reqs = term.matchExpressions ?? [];
  if (reqs.length === 0) return false;
  for (const r of reqs) if (!matchesRequirement(labels, r)) return false;
  return true;
}

/** Terms are ORed. */
export function matchesAnyTerm(labels: Readonly<Record<string, string>>, terms: readonly NodeSelectorTerm[]): boolean {
  for (const t of terms) if (matchesTerm(labels, t)) return true;
  return false;
}

/** spec.nodeSelector: every key present with the same value. */
export function matchesNodeSelector(labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>>): boolean {
  for (const k of Object.keys(selector)) if (labelValue(labels, k) !== selector[k]) return false;
  return true;
}

/** metav1.LabelSelector on a pod's labels. An empty selector matches every pod. */
export function matchesLabelSelector(labels: Readonly<Record<string, string>>, s: LabelSelector): boolean {
  if (s.matchLabels) for (const k of Object.keys(s.matchLabels)) if (labelValue(labels, k) !== s.matchLabels[k]) return false;
  for (const e of s.matchExpressions ?? []) {
    const v = labelValue(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (v === undefined || !(e.values ?? []).includes(v)) return false;
        break;
      case 'NotIn':
        if (v !== undefined && (e.values ?? []).includes(v)) return false;
        break;
      case 'Exists':
        if (v === undefined) return false;
        break;
      case 'DoesNotExist':
        if (v !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** core/v1 Toleration.ToleratesTaint. An empty key matches every taint, with operator Exists only. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  if (op !== 'Equal' || !t.key) return false;
  return (t.value ?? '') === (taint.value ?? '');
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
