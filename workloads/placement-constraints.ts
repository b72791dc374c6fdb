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

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

/** The requirements of one term are ANDed; a list of terms is ORed. */
export interface NodeSelectorTerm {
  matchExpressions: NodeSelectorRequirement[];
}

export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

export interface PodAffinityTerm {
  labelSelector: LabelSelector;
  topologyKey: string;
  namespaces?: string[];
}

export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector: LabelSelector;
}

export interface PlacementConstraints {
  /** The pod's own labels (matched by other pods' affinity and spread selectors). */
  labels?: Record<string, string>;
  namespace?: string;
  /** spec.nodeName: only this node. */
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  /** requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms (ORed). */
  requiredNodeAffinity?: NodeSelectorTerm[];
  preferredNodeAffinity?: PreferredSchedulingTerm[];
  tolerations?: Toleration[];
  /** Host ports the pod binds (TCP). */
  hostPorts?: number[];
  podAffinity?: { required?: PodAffinityTerm[]; preferred?: WeightedPodAffinityTerm[] };
  podAntiAffinity?: { required?: PodAffinityTerm[]; preferred?: WeightedPodAffinityTerm[] };
  topologySpread?: TopologySpreadConstraint[];
  /** Container images, for ImageLocality. */
  images?: string[];
  /** Allowed GPU models (openb gpu_spec); undefined = any. */
  gpuModels?: string[];
  /** Google 2011 "different-machines restriction": no two tasks of the job on one machine. */
  differentMachines?: boolean;
  /** QoS class as the source states it (Guaranteed / Burstable / BestEffort, openb LS / BE ...). */
  qos?: string;
  priorityClassName?: string;
}

/** Extra machine facts some sources carry (Kubernetes Node objects, openb GPU models). */
export interface MachineExtras {
  taints?: Taint[];
  /** spec.unschedulable (cordoned). */
  unschedulable?: boolean;
  conditions?: { memoryPressure?: boolean; diskPressure?: boolean; pidPressure?: boolean };
  /** Images already present: names and size in bytes (status.images). */
  images?: Array<{ names: string[]; sizeBytes: number }>;
  /** GPU model of the machine's GPUs (openb `model`). */
  gpuModel?: string;
  /** Number of GPU devices (each 1000 milli-GPU), when the GPU dimension is per device. */
  gpuDevices?: number;
}
