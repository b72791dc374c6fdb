import type { LabelSelector, NodeSelectorTerm, PlacementConstraints, Taint, TopologySpreadConstraint } from '../../../model/placement-constraints.js';
import { KubeHarness, schema, type PodDef } from './kube-harness.js';

/**
 * Builders mirroring upstream's podtopologyspread test fixtures (pkg/scheduler/testing/wrappers.go
 * SpreadConstraint, MakeLabelSelector; podtopologyspread/filtering_test.go fooSelector /
 * barSelector / taints).
 */
export const fooSelector: LabelSelector = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] };
export const barSelector: LabelSelector = { matchExpressions: [{ key: 'bar', operator: 'Exists' }] };
/** filtering_test.go `taints`: node.kubernetes.io/unschedulable:NoSchedule. */
export const taints: Taint[] = [{ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' }];

export interface SpreadOpts {
  minDomains?: number;
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  matchLabelKeys?: string[];
}

/** st.SpreadConstraint(maxSkew, tpKey, mode, selector, minDomains, nodeAffinityPolicy, nodeTaintsPolicy, matchLabelKeys). */
export function sc(
  maxSkew: number,
  topologyKey: string,
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway',
  labelSelector: LabelSelector | undefined,
  opts: SpreadOpts = {},
): TopologySpreadConstraint {
  return { maxSkew, topologyKey, whenUnsatisfiable, ...(labelSelector ? { labelSelector } : {}), ...opts };
}

export interface SpreadPod {
  labels?: Record<string, string>;
  ns?: string;
  spread?: TopologySpreadConstraint[];
  nodeSelector?: Record<string, string>;
  requiredNodeAffinity?: NodeSelectorTerm[];
}
/** A running pod: [node, labels, namespace?]. */
export type Existing = [string, Record<string, string>, string?];
/** A node: [name, labels, taints?]. */
export type SpreadNode = [string, Record<string, string>, Taint[]?];

export function spreadConstraints(p: SpreadPod): PlacementConstraints {
  const c: PlacementConstraints = { labels: p.labels ?? {} };
  if (p.ns !== undefined) c.namespace = p.ns;
  if (p.spread) c.topologySpread = p.spread;
  if (p.nodeSelector) c.nodeSelector = p.nodeSelector;
  if (p.requiredNodeAffinity) c.requiredNodeAffinity = p.requiredNodeAffinity;
  return c;
}

export function spreadHarness(nodes: SpreadNode[], existing: Existing[] = []): KubeHarness {
  return new KubeHarness(
    schema('cpu'),
    nodes.map(([name, labels, t]) => ({ name, labels, ...(t ? { taints: t } : {}) })),
    existing.map(([node, labels, ns]): PodDef => ({ node, constraints: spreadConstraints({ labels, ns }) })),
  );
}

/** A node carrying zone and node labels, as most upstream cases build them. */
export const zn = (name: string, zone: string, extra: Record<string, string> = {}, t?: Taint[]): SpreadNode => [
  name,
  { zone, node: name, ...extra },
  t,
];
/** `n` running pods on `node` with `labels`. */
export const pods = (node: string, n: number, labels: Record<string, string> = { foo: '' }): Existing[] =>
  Array.from({ length: n }, () => [node, labels] as Existing);
