import type { NodeSelectorTerm } from '../../model/placement-constraints.js';
import { matchesAnyTerm, matchesNodeSelector } from '../../model/node-selector-matching.js';

/**
 * The node-side checks the DaemonSet controller makes to decide which nodes get a daemon pod
 * (pkg/controller/daemon: nodeShouldRunDaemonPod → the scheduler's NodeAffinity and TaintToleration
 * filters), on the shared matching rules of model/node-selector-matching.ts.
 */
export { taintsTolerated } from '../../model/toleration-matching.js';

export function nodeSelectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return selector === undefined || matchesNodeSelector(labels, selector);
}

/** Terms are ORed; no terms = no restriction. */
export function requiredAffinityMatches(terms: NodeSelectorTerm[] | undefined, labels: Record<string, string>): boolean {
  return terms === undefined || matchesAnyTerm(labels, terms);
}
