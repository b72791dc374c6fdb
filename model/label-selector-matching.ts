import type { LabelSelector } from './placement-constraints.js';
import { isQualifiedName, isValidLabelValue, labelValue } from './labels.js';

// metav1.LabelSelector with the semantics of the Kubernetes API (k8s.io/apimachinery labels): how
// pods are matched by other pods' affinity terms and spread constraints. Pure functions.

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

/** metav1.LabelSelectorAsSelector's checks: valid keys and values; In / NotIn need values, Exists / DoesNotExist take none. */
export function isValidLabelSelector(s: LabelSelector): boolean {
  if (s.matchLabels) {
    for (const k of Object.keys(s.matchLabels)) if (!isQualifiedName(k) || !isValidLabelValue(s.matchLabels[k])) return false;
  }
  for (const e of s.matchExpressions ?? []) {
    if (!isQualifiedName(e.key)) return false;
    const values = e.values ?? [];
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (values.length === 0 || !values.every(isValidLabelValue)) return false;
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (values.length > 0) return false;
    } else return false;
  }
  return true;
}

/** A selector with no requirement at all (`{}`): labels.Everything(). */
export function isEmptySelector(s: LabelSelector): boolean {
  return (s.matchLabels === undefined || Object.keys(s.matchLabels).length === 0) && (s.matchExpressions?.length ?? 0) === 0;
}

/**
 * metav1.LabelSelector on a pod's labels. An empty selector matches every pod; an undefined (nil)
 * selector matches none.
 */
export function matchesLabelSelector(labels: Readonly<Record<string, string>>, s: LabelSelector | undefined): boolean {
  if (s === undefined) return false;
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
