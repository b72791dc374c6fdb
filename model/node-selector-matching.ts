import type { NodeSelectorRequirement, NodeSelectorTerm } from './placement-constraints.js';
import { HOSTNAME_LABEL, isQualifiedName, isValidLabelValue, labelValue } from './labels.js';
import { parseInt64 } from './int64.js';

// Node selectors with the semantics of the Kubernetes API (k8s.io/apimachinery labels,
// component-helpers nodeaffinity): spec.nodeSelector and node-affinity terms against a node's
// labels and name. Shared by the scheduling plugins (algorithms/kubernetes) and the manifest
// reader (DaemonSet expansion). Pure functions; callers cache.

/** The node-name field a NodeSelectorTerm's matchFields may name. */
export const NODE_NAME_FIELD = 'metadata.name';
/**
 * labels.NewRequirement's checks for one node-selector requirement: a qualified key; In / NotIn
 * with at least one valid label value; Exists / DoesNotExist without values; Gt / Lt with exactly
 * one base-10 int64 that is also a valid label value (so no sign). The scheduler treats a term holding an invalid requirement as matching no node.
 */
export function isValidNodeRequirement(r: NodeSelectorRequirement): boolean {
  if (!isQualifiedName(r.key)) return false;
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      return values.length > 0 && values.every(isValidLabelValue);
    case 'Exists':
    case 'DoesNotExist':
      return values.length === 0;
    case 'Gt':
    case 'Lt':
      // labels.NewRequirement also checks every value as a label value: "-5" is not one.
      return values.length === 1 && parseInt64(values[0]) !== undefined && isValidLabelValue(values[0]);
    default:
      return false;
  }
}

/** nodeSelectorRequirementsAsFieldSelector: only metadata.name, In / NotIn with exactly one value. */
export function isValidNodeFieldRequirement(r: NodeSelectorRequirement): boolean {
  return r.key === NODE_NAME_FIELD && (r.operator === 'In' || r.operator === 'NotIn') && r.values?.length === 1;
}

/** One node-selector requirement against a node's labels (validity is checked per term). */
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
      const a = parseInt64(v);
      const b = parseInt64(r.values![0]);
      if (a === undefined || b === undefined) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

const termValidity = new WeakMap<NodeSelectorTerm, boolean>();

/** Every requirement of the term parses (cached per term object). */
export function isValidNodeTerm(term: NodeSelectorTerm): boolean {
  let ok = termValidity.get(term);
  if (ok === undefined) {
    ok = (term.matchExpressions ?? []).every(isValidNodeRequirement) && (term.matchFields ?? []).every(isValidNodeFieldRequirement);
    termValidity.set(term, ok);
  }
  return ok;
}

/**
 * A term's requirements are ANDed; a term without requirements, or with one that does not parse,
 * matches nothing (component-helpers nodeaffinity). `matchFields` compare `nodeName`; without it
 * (callers that only know labels) the node's kubernetes.io/hostname label stands in.
 */
export function matchesTerm(labels: Readonly<Record<string, string>>, term: NodeSelectorTerm, nodeName?: string): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  if (!isValidNodeTerm(term)) return false;
  for (const r of exprs) if (!matchesRequirement(labels, r)) return false;
  if (fields.length > 0) {
    const name = nodeName ?? labelValue(labels, HOSTNAME_LABEL);
    for (const r of fields) {
      const eq = name === r.values![0];
      if (r.operator === 'In' ? !eq : eq) return false;
    }
  }
  return true;
}

/** Terms are ORed. */
export function matchesAnyTerm(labels: Readonly<Record<string, string>>, terms: readonly NodeSelectorTerm[], nodeName?: string): boolean {
  for (const t of terms) if (matchesTerm(labels, t, nodeName)) return true;
  return false;
}

/** spec.nodeSelector: every key present with the same value. */
export function matchesNodeSelector(labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>>): boolean {
  for (const k of Object.keys(selector)) if (labelValue(labels, k) !== selector[k]) return false;
  return true;
}
