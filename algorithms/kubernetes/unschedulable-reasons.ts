import type { Taint } from '../../model/placement-constraints.js';
import type { Cycle, FilterPlugin } from './plugin.js';

/**
 * kube-scheduler's filter failure reasons, the strings its FailedScheduling event counts per node
 * ("0/5 nodes are available: 3 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.").
 * Each is the Unschedulable status text of the plugin's Filter in pkg/scheduler/framework/plugins:
 * nodeunschedulable ErrReasonUnschedulable, nodename ErrReason, nodeaffinity ErrReasonPod,
 * nodeports ErrReason, tainttoleration (below), interpodaffinity ErrReason*RulesNotMatch,
 * podtopologyspread ErrReasonConstraintsNotMatch / ErrReasonNodeLabelNotMatch; NodeResourcesFit's
 * are in ../insufficient-resources.ts.
 */
export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const REASON_NODE_NAME = "node(s) didn't match the requested node name";
export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";
export const REASON_POD_AFFINITY = "node(s) didn't match pod affinity rules";
export const REASON_POD_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const REASON_SPREAD = "node(s) didn't match pod topology spread constraints";
export const REASON_SPREAD_MISSING_LABEL = `${REASON_SPREAD} (missing required label)`;

/**
 * TaintToleration's reason names the first untolerated NoSchedule/NoExecute taint of the node, in
 * the node's order (FindMatchingUntoleratedTaint), as kube 1.26–1.34 printed it. Kube 1.35 (and
 * 1.34 patches) print "node(s) had untolerated taint(s)" instead, to keep taint values out of pod
 * status that tenants can read; a simulation's output is the operator's, so schedlab keeps the
 * taint, which says what to tolerate.
 */
export function untoleratedTaintReason(t: Taint): string {
  return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
}

/** Reasons of the filters whose reason is fixed; others implement FilterPlugin.reason. */
const FIXED: Record<string, string> = {
  NodeUnschedulable: REASON_UNSCHEDULABLE,
  NodeName: REASON_NODE_NAME,
  NodeAffinity: REASON_NODE_AFFINITY,
  NodePorts: REASON_NODE_PORTS,
};

/** Why `plugin` rejected `node` in this cycle (call only after its filter returned false). */
export function filterReason(plugin: FilterPlugin, cy: Cycle, node: number): string {
  if (plugin.reason) return plugin.reason(cy, node);
  // kube's wording for a node a plugin rejected without a reason of its own (framework.go).
  return FIXED[plugin.name] ?? `node(s) didn't satisfy plugin(s) [${plugin.name}]`;
}
