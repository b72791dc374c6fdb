import type {
  PlacementConstraints,
  PodAffinityTerm,
  TopologySpreadConstraint,
  Toleration,
  WeightedPodAffinityTerm,
  NodeSelectorTerm,
} from '../../workloads/placement-constraints.js';

/**
 * What the plugins need to know about a pod, derived once per job from its PlacementConstraints
 * (replicas of one pod template share them) and cached by object identity. A task without
 * constraints is a pod with no labels in namespace "default": only an empty label selector
 * matches it.
 */
export interface PodInfo {
  readonly constraints: PlacementConstraints | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly namespace: string;
  /** Has labels: a Kubernetes pod template (its job plays the owning ReplicaSet). */
  readonly hasOwner: boolean;
  /** Key of the required node placement (nodeSelector + required node affinity); '' = none. */
  readonly nodeRequirementKey: string;
  readonly nodeSelector: Readonly<Record<string, string>> | undefined;
  readonly requiredNodeAffinity: readonly NodeSelectorTerm[];
  readonly tolerations: readonly Toleration[];
  readonly hostPorts: readonly number[];
  readonly requiredAffinity: readonly PodAffinityTerm[];
  readonly requiredAntiAffinity: readonly PodAffinityTerm[];
  readonly preferredAffinity: readonly WeightedPodAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedPodAffinityTerm[];
  readonly hardSpread: readonly TopologySpreadConstraint[];
  readonly softSpread: readonly TopologySpreadConstraint[];
  /** Container images, normalized as kube does (":latest" added when untagged). */
  readonly images: readonly string[];
  readonly anyPodAffinity: boolean;
}

export const DEFAULT_NAMESPACE = 'default';
const EMPTY: never[] = [];
const cache = new WeakMap<PlacementConstraints, PodInfo>();

export const NO_CONSTRAINTS: PodInfo = build(undefined);

export function podInfo(c: PlacementConstraints | undefined): PodInfo {
  if (!c) return NO_CONSTRAINTS;
  let p = cache.get(c);
  if (!p) {
    p = build(c);
    cache.set(c, p);
  }
  return p;
}

/** kube's normalizedImageName: append ":latest" when the name has no tag (or digest). */
export function normalizedImageName(name: string): string {
  if (name.includes('@')) return name;
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

function build(c: PlacementConstraints | undefined): PodInfo {
  const labels = c?.labels ?? {};
  const nodeSelector = c?.nodeSelector && Object.keys(c.nodeSelector).length > 0 ? c.nodeSelector : undefined;
  const requiredNodeAffinity = c?.requiredNodeAffinity ?? EMPTY;
  const nodeRequirementKey =
    nodeSelector || requiredNodeAffinity.length > 0 ? JSON.stringify([nodeSelector ?? null, requiredNodeAffinity]) : '';
  const spread = c?.topologySpread ?? EMPTY;
  const requiredAffinity = c?.podAffinity?.required ?? EMPTY;
  const requiredAntiAffinity = c?.podAntiAffinity?.required ?? EMPTY;
  const preferredAffinity = c?.podAffinity?.preferred ?? EMPTY;
  const preferredAntiAffinity = c?.podAntiAffinity?.preferred ?? EMPTY;
  return {
    constraints: c,
    labels,
    namespace: c?.namespace ?? DEFAULT_NAMESPACE,
    hasOwner: Object.keys(labels).length > 0,
    nodeRequirementKey,
    nodeSelector,
    requiredNodeAffinity,
    tolerations: c?.tolerations ?? EMPTY,
    hostPorts: c?.hostPorts ?? EMPTY,
    requiredAffinity,
    requiredAntiAffinity,
    preferredAffinity,
    preferredAntiAffinity,
    hardSpread: spread.filter((s) => s.whenUnsatisfiable === 'DoNotSchedule'),
    softSpread: spread.filter((s) => s.whenUnsatisfiable === 'ScheduleAnyway'),
    images: (c?.images ?? EMPTY).map(normalizedImageName),
    anyPodAffinity: requiredAffinity.length + requiredAntiAffinity.length + preferredAffinity.length + preferredAntiAffinity.length > 0,
  };
}

/** Namespaces a pod-affinity term selects: its list, or the owning pod's namespace. */
export function termNamespaces(owner: PodInfo, term: PodAffinityTerm): readonly string[] {
  return term.namespaces && term.namespaces.length > 0 ? term.namespaces : [owner.namespace];
}
