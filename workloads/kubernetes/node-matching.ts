import type { NodeSelectorRequirement, NodeSelectorTerm, Taint, Toleration } from '../placement-constraints.js';

/**
 * The node-side checks the DaemonSet controller makes to decide which nodes get a daemon pod
 * (pkg/controller/daemon: nodeShouldRunDaemonPod → the scheduler's NodeAffinity and TaintToleration
 * filters). Only what the reader needs to expand DaemonSets; the scheduling filters themselves
 * belong to the policy plugins.
 */

export function requirementMatches(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'In':
      return v !== undefined && (r.values ?? []).includes(v);
    case 'NotIn':
      return v === undefined || !(r.values ?? []).includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (v === undefined || !/^-?\d+$/.test(v)) return false;
      const a = Number(v);
      const b = Number((r.values ?? [])[0]);
      return r.operator === 'Gt' ? a > b : a < b;
    }
  }
}

/** Requirements of a term are ANDed; an empty term matches nothing (as in Kubernetes). */
export function termMatches(t: NodeSelectorTerm, labels: Record<string, string>): boolean {
  if (t.matchExpressions.length === 0) return false;
  return t.matchExpressions.every((r) => requirementMatches(r, labels));
}

export function nodeSelectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return true;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Terms are ORed; no terms = no restriction. */
export function requiredAffinityMatches(terms: NodeSelectorTerm[] | undefined, labels: Record<string, string>): boolean {
  if (terms === undefined) return true;
  return terms.some((t) => termMatches(t, labels));
}

/** Kubernetes Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== '' && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  // An empty key tolerates everything only with Exists.
  if (t.key === undefined || t.key === '') return false;
  return (t.value ?? '') === (taint.value ?? '');
}

/** True when every NoSchedule / NoExecute taint is tolerated (PreferNoSchedule never blocks). */
export function taintsTolerated(taints: Taint[] | undefined, tols: Toleration[] | undefined): boolean {
  if (taints === undefined) return true;
  return taints.every((taint) => taint.effect === 'PreferNoSchedule' || (tols ?? []).some((t) => tolerates(t, taint)));
}
