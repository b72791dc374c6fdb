import type { NodeSelectorTerm } from '../placement-constraints.js';
import { matchesAnyTerm, matchesNodeSelector } from '../constraint-matching.js';

/**
 * The node-side checks the DaemonSet controller makes to decide which nodes get a daemon pod
 * (pkg/controller/daemon: nodeShouldRunDaemonPod → the scheduler's NodeAffinity and TaintToleration
 * filters), on the shared matching rules of ../constraint-matching.ts.
 */
export { taintsTolerated } from '../constraint-matching.js';

export function nodeSelectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return selector === undefined || matchesNodeSelector(labels, selector);
}

/** Terms are ORed; no terms = no restriction. */
export function requiredAffinityMatches(terms: NodeSelectorTerm[] | undefined, labels: Record<string, string>): boolean {
  return terms === undefined || matchesAnyTerm(labels, terms);
}
