import type { LabelSelector, NodeSelectorRequirement, NodeSelectorTerm, Taint, Toleration } from './placement-constraints.js';

/**
 * Label and taint matching with the semantics of the Kubernetes API (k8s.io/apimachinery labels
 * and validation, component-helpers nodeaffinity, core/v1 Toleration.ToleratesTaint), for the
 * constraint vocabulary of placement-constraints.ts. Shared by the scheduling plugins
 * (algorithms/kubernetes) and the manifest reader (DaemonSet expansion). Pure functions; callers cache.
 */

/** The node-name field a NodeSelectorTerm's matchFields may name. */
export const NODE_NAME_FIELD = 'metadata.name';
/** The label the kubelet sets to the node name (used when a caller has no node name). */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

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

// --- Validation (k8s.io/apimachinery/pkg/util/validation) -------------------------------------

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** IsValidLabelValue: empty, or up to 63 alphanumerics, '-', '_', '.', alphanumeric at both ends. */
export function isValidLabelValue(v: string): boolean {
  return v.length <= 63 && LABEL_VALUE.test(v);
}

/** IsQualifiedName: `[prefix/]name`, prefix a DNS-1123 subdomain (≤ 253), name ≤ 63 as a label value but non-empty. */
export function isQualifiedName(k: string): boolean {
  const slash = k.indexOf('/');
  const name = slash < 0 ? k : k.slice(slash + 1);
  if (slash >= 0) {
    const prefix = k.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && NAME_PART.test(name);
}

/** DNS-1123 subdomain (a resource-group or prefix name). */
export function isDns1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, in int64 range; undefined otherwise. */
export function parseInt64(s: string | undefined): bigint | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** content.IsDecimalInteger + ParseInt: canonical base-10 (no sign '+', no leading zeros, no "-0"), int64. */
export function parseCanonicalInt64(s: string): bigint | undefined {
  if (!/^(0|-?[1-9]\d*)$/.test(s)) return undefined;
  return parseInt64(s);
}

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

// --- Node selectors ----------------------------------------------------------------------------

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

// --- Label selectors ---------------------------------------------------------------------------

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

// --- Taints ------------------------------------------------------------------------------------

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
