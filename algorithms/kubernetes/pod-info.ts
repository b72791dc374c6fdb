import type { HostPort, LabelSelector, NodeSelectorTerm, PlacementConstraints, PodAffinityTerm, PreferredSchedulingTerm, TopologySpreadConstraint, Toleration } from '../../model/placement-constraints.js';
import { isEmptySelector, isValidLabelSelector, matchesLabelSelector, selectorIndexKey } from '../../model/label-selector-matching.js';
import { labelValue } from '../../model/labels.js';

/**
 * What the plugins need to know about a pod, derived once per job from its PlacementConstraints
 * (replicas of one pod template share them) and cached by object identity: kube's framework.PodInfo
 * with its terms parsed. A task without constraints is a pod with no labels in namespace
 * "default": only an empty label selector matches it.
 */
export interface PodInfo {
  readonly constraints: PlacementConstraints | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly namespace: string;
  /** Labels of the pod's namespace, for namespaceSelectors (always with kubernetes.io/metadata.name). */
  readonly namespaceLabels: Readonly<Record<string, string>>;
  /** Has labels: a Kubernetes pod template (its job plays the owning ReplicaSet). */
  readonly hasOwner: boolean;
  /** Key of the required node placement (nodeSelector + required node affinity); '' = none. */
  readonly nodeRequirementKey: string;
  readonly nodeSelector: Readonly<Record<string, string>> | undefined;
  readonly requiredNodeAffinity: readonly NodeSelectorTerm[];
  readonly preferredNodeAffinity: readonly PreferredSchedulingTerm[];
  readonly tolerations: readonly Toleration[];
  /** Key of the tolerations, for caches of "which nodes' taints does this pod tolerate". */
  readonly tolerationsKey: string;
  readonly hostPorts: readonly BoundPort[];
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  /** Some affinity term's selector does not parse: kube's PodInfo ParseError, the pod is unschedulable. */
  readonly affinityParseError: boolean;
  readonly hardSpread: readonly SpreadConstraint[];
  readonly softSpread: readonly SpreadConstraint[];
  /** Container images, one per container, normalized as kube does (":latest" added when untagged). */
  readonly images: readonly string[];
  readonly anyPodAffinity: boolean;
}

/**
 * A parsed pod (anti-)affinity term (kube's framework.AffinityTerm): the selector with
 * matchLabelKeys / mismatchLabelKeys merged in, the namespaces it names, the namespace selector
 * (undefined = matches no namespace; `{}` = every namespace).
 */
export interface AffinityTerm {
  readonly selector: LabelSelector | undefined;
  readonly topologyKey: string;
  readonly namespaces: ReadonlySet<string>;
  readonly namespaceSelector: LabelSelector | undefined;
  readonly valid: boolean;
  /** selectorIndexKey of the selector, '' when not indexable, undefined when it selects nothing. */
  readonly indexKey: string | undefined;
}

export interface WeightedAffinityTerm {
  readonly weight: number;
  readonly term: AffinityTerm;
}

/**
 * A topology spread constraint as the plugin evaluates it (kube's topologySpreadConstraint):
 * the selector with matchLabelKeys merged (undefined = nil, matches no pod), minDomains defaulted
 * to 1, nodeAffinityPolicy to Honor and nodeTaintsPolicy to Ignore.
 */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: LabelSelector | undefined;
  /** The selector is `{}` (labels.Everything): kube's countPodsMatchSelector counts no pod then. */
  readonly selectorEmpty: boolean;
  readonly minDomains: number;
  readonly honorNodeAffinity: boolean;
  readonly honorNodeTaints: boolean;
  readonly valid: boolean;
}

/** A host port binding with kube's defaults applied (framework.HostPortInfo sanitize). */
export interface BoundPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly hostIP: string;
  /** `protocol/port`, the key ports conflict on. */
  readonly key: string;
}

export const DEFAULT_NAMESPACE = 'default';
/** The label the API server sets on every Namespace to its name (Kubernetes ≥ 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
export const ALL_ADDRESSES = '0.0.0.0';
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

/**
 * Does `target` fall under the term (kube's AffinityTerm.Matches)? Its namespace must be listed or
 * its namespace's labels match the namespace selector, and its labels the label selector.
 */
export function affinityTermMatches(term: AffinityTerm, target: PodInfo): boolean {
  if (!term.namespaces.has(target.namespace) && !matchesLabelSelector(target.namespaceLabels, term.namespaceSelector)) return false;
  return matchesLabelSelector(target.labels, term.selector);
}

/**
 * The selector with requirements added for the owning pod's values of `keys` (pods whose label
 * has the same value — `In` — or, for mismatch keys, a different one — `NotIn`); keys the pod
 * lacks are skipped. A nil selector stays nil.
 */
function withOwnLabelKeys(
  s: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
  match: readonly string[] | undefined,
  mismatch: readonly string[] | undefined,
): LabelSelector | undefined {
  if (s === undefined || ((match?.length ?? 0) === 0 && (mismatch?.length ?? 0) === 0)) return s;
  const extra: NonNullable<LabelSelector['matchExpressions']> = [];
  for (const k of match ?? []) {
    const v = labelValue(labels, k);
    if (v !== undefined) extra.push({ key: k, operator: 'In', values: [v] });
  }
  for (const k of mismatch ?? []) {
    const v = labelValue(labels, k);
    if (v !== undefined) extra.push({ key: k, operator: 'NotIn', values: [v] });
  }
  if (extra.length === 0) return s;
  return { ...s, matchExpressions: [...(s.matchExpressions ?? []), ...extra] };
}

function affinityTerm(t: PodAffinityTerm, namespace: string, labels: Readonly<Record<string, string>>): AffinityTerm {
  const selector = withOwnLabelKeys(t.labelSelector, labels, t.matchLabelKeys, t.mismatchLabelKeys);
  // kube's getNamespacesFromPodAffinityTerm: the pod's own namespace when neither field is set.
  const namespaces = new Set(t.namespaces ?? []);
  if (namespaces.size === 0 && t.namespaceSelector === undefined) namespaces.add(namespace);
  const valid = (selector === undefined || isValidLabelSelector(selector)) && (t.namespaceSelector === undefined || isValidLabelSelector(t.namespaceSelector));
  const indexKey = selector === undefined ? undefined : (selectorIndexKey(selector) ?? '');
  return { selector, topologyKey: t.topologyKey, namespaces, namespaceSelector: t.namespaceSelector, valid, indexKey };
}

function spreadConstraint(c: TopologySpreadConstraint, labels: Readonly<Record<string, string>>): SpreadConstraint {
  // mergeLabelSetWithSelector: the pod's values of matchLabelKeys become matchLabels.
  let selector = c.labelSelector;
  if (selector !== undefined && (c.matchLabelKeys?.length ?? 0) > 0) {
    const matchLabels: Record<string, string> = { ...(selector.matchLabels ?? {}) };
    let added = false;
    for (const k of c.matchLabelKeys!) {
      const v = labelValue(labels, k);
      if (v !== undefined) {
        matchLabels[k] = v;
        added = true;
      }
    }
    if (added) selector = { ...selector, matchLabels };
  }
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector,
    selectorEmpty: selector !== undefined && isEmptySelector(selector),
    minDomains: c.minDomains ?? 1,
    honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    valid: selector === undefined || isValidLabelSelector(selector),
  };
}

/** framework.HostPortInfo: protocol TCP and host IP 0.0.0.0 when unset. */
function boundPort(p: number | HostPort): BoundPort {
  const hp = typeof p === 'number' ? { port: p } : p;
  const protocol = hp.protocol ?? 'TCP';
  const hostIP = hp.hostIP === undefined || hp.hostIP === '' ? ALL_ADDRESSES : hp.hostIP;
  return { port: hp.port, protocol, hostIP, key: `${protocol}/${hp.port}` };
}

function build(c: PlacementConstraints | undefined): PodInfo {
  const labels = c?.labels ?? {};
  const namespace = c?.namespace ?? DEFAULT_NAMESPACE;
  const namespaceLabels = { ...(c?.namespaceLabels ?? {}), [NAMESPACE_NAME_LABEL]: namespace };
  const nodeSelector = c?.nodeSelector && Object.keys(c.nodeSelector).length > 0 ? c.nodeSelector : undefined;
  const requiredNodeAffinity = c?.requiredNodeAffinity ?? EMPTY;
  const nodeRequirementKey =
    nodeSelector || requiredNodeAffinity.length > 0 ? JSON.stringify([nodeSelector ?? null, requiredNodeAffinity]) : '';
  const term = (t: PodAffinityTerm) => affinityTerm(t, namespace, labels);
  const requiredAffinity = (c?.podAffinity?.required ?? EMPTY).map(term);
  const requiredAntiAffinity = (c?.podAntiAffinity?.required ?? EMPTY).map(term);
  const preferredAffinity = (c?.podAffinity?.preferred ?? EMPTY).map((w) => ({ weight: w.weight, term: term(w.podAffinityTerm) }));
  const preferredAntiAffinity = (c?.podAntiAffinity?.preferred ?? EMPTY).map((w) => ({ weight: w.weight, term: term(w.podAffinityTerm) }));
  const affinityParseError =
    [...requiredAffinity, ...requiredAntiAffinity].some((t) => !t.valid) || [...preferredAffinity, ...preferredAntiAffinity].some((w) => !w.term.valid);
  const spread = (c?.topologySpread ?? EMPTY).map((s) => ({ when: s.whenUnsatisfiable, c: spreadConstraint(s, labels) }));
  const tolerations = c?.tolerations ?? EMPTY;
  return {
    constraints: c,
    labels,
    namespace,
    namespaceLabels,
    hasOwner: Object.keys(labels).length > 0,
    nodeRequirementKey,
    nodeSelector,
    requiredNodeAffinity,
    preferredNodeAffinity: c?.preferredNodeAffinity ?? EMPTY,
    tolerations,
    tolerationsKey: tolerations.length === 0 ? '' : JSON.stringify(tolerations),
    hostPorts: (c?.hostPorts ?? EMPTY).map(boundPort),
    requiredAffinity,
    requiredAntiAffinity,
    preferredAffinity,
    preferredAntiAffinity,
    affinityParseError,
    hardSpread: spread.filter((s) => s.when === 'DoNotSchedule').map((s) => s.c),
    softSpread: spread.filter((s) => s.when === 'ScheduleAnyway').map((s) => s.c),
    images: (c?.images ?? EMPTY).map(normalizedImageName),
    anyPodAffinity: requiredAffinity.length + requiredAntiAffinity.length + preferredAffinity.length + preferredAntiAffinity.length > 0,
  };
}
