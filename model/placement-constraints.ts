/**
 * Where a task may run and what it prefers, in Kubernetes' vocabulary (the richest of the sources;
 * other readers fill the parts they have: openb's GPU models, Google 2011's different-machines
 * restriction). Attached per job — replicas of one pod template share them — through
 * Workload.jobConstraints. Field meanings follow the Kubernetes API (core/v1).
 */
export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/**
 * `Gt` / `Lt` compare the taint's value with the toleration's as base-10 int64 (KEP-5471,
 * TaintTolerationComparisonOperators): tolerated when taint > value (Gt) or taint < value (Lt).
 */
export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal' | 'Gt' | 'Lt';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /**
   * NoExecute only: how long the pod stays bound after a matching taint is added, seconds
   * (undefined = forever; ≤ 0 = evicted at once). The node lifecycle controller's taints use it
   * (harness/failures/unreachable-toleration.ts).
   */
  tolerationSeconds?: number;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

/**
 * The requirements of one term are ANDed; a list of terms is ORed. `matchFields` may only name
 * `metadata.name` (the node's name). A term with neither matches no node.
 */
export interface NodeSelectorTerm {
  matchExpressions: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

/**
 * A pod (anti-)affinity term. `labelSelector` undefined is Kubernetes' nil selector: it matches
 * no pod. Namespaces searched: `namespaces` ∪ the namespaces whose labels match
 * `namespaceSelector` (`{}` = every namespace); with neither, the owning pod's own namespace.
 * `matchLabelKeys` / `mismatchLabelKeys` add `key in (value)` / `key notin (value)` for the
 * owning pod's value of each key to the selector (as the API server merges them, KEP-3633).
 */
export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  topologyKey: string;
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}

export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}

/**
 * A topology spread constraint. `labelSelector` undefined matches no pod (the constraint still
 * needs the topology key on every node). `minDomains` (default 1, DoNotSchedule only): with fewer
 * eligible domains the global minimum counts as 0. `nodeAffinityPolicy` (default Honor) and
 * `nodeTaintsPolicy` (default Ignore) say which nodes count as domains. `matchLabelKeys` adds the
 * pod's own values of those keys to the selector.
 */
export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  minDomains?: number;
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  matchLabelKeys?: string[];
}

/** A host port the pod binds: protocol TCP and host IP 0.0.0.0 (every address) unless given. */
export interface HostPort {
  port: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  hostIP?: string;
}

export interface PlacementConstraints {
  /** The pod's own labels (matched by other pods' affinity and spread selectors). */
  labels?: Record<string, string>;
  namespace?: string;
  /**
   * Labels of the pod's namespace (its Namespace object), matched by namespaceSelectors; absent =
   * only `kubernetes.io/metadata.name: <namespace>`, the label the API server sets on every namespace.
   */
  namespaceLabels?: Record<string, string>;
  /** spec.nodeName: only this node. */
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  /** requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms (ORed). */
  requiredNodeAffinity?: NodeSelectorTerm[];
  preferredNodeAffinity?: PreferredSchedulingTerm[];
  tolerations?: Toleration[];
  /** Host ports the pod binds; a bare number is TCP on every address (0.0.0.0). */
  hostPorts?: Array<number | HostPort>;
  podAffinity?: { required?: PodAffinityTerm[]; preferred?: WeightedPodAffinityTerm[] };
  podAntiAffinity?: { required?: PodAffinityTerm[]; preferred?: WeightedPodAffinityTerm[] };
  topologySpread?: TopologySpreadConstraint[];
  /** Container images, one entry per container (init containers included), for ImageLocality. */
  images?: string[];
  /** Allowed GPU models (openb gpu_spec); undefined = any. */
  gpuModels?: string[];
  /** Google 2011 "different-machines restriction": no two tasks of the job on one machine. */
  differentMachines?: boolean;
  /** QoS class as the source states it (Guaranteed / Burstable / BestEffort, openb LS / BE ...). */
  qos?: string;
  priorityClassName?: string;
}
