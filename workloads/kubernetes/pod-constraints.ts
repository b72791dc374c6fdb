import type {
  LabelSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PlacementConstraints,
  PodAffinityTerm,
  PreferredSchedulingTerm,
  Toleration,
  TopologySpreadConstraint,
  WeightedPodAffinityTerm,
} from '../placement-constraints.js';
import type { Fields } from './fields.js';
import type { FieldPath } from './manifest-documents.js';

/** Features seen in pod specs that PlacementConstraints cannot express, counted for the notes. */
export type IgnoredFeatures = Map<string, number>;

const bump = (m: IgnoredFeatures, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

const NODE_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;
const LABEL_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

function nodeRequirement(f: Fields, p: FieldPath): NodeSelectorRequirement {
  const key = f.requiredString([...p, 'key'], 'a label key');
  const operator = f.oneOf([...p, 'operator'], NODE_OPERATORS);
  if (operator === undefined) throw f.at.error([...p, 'operator'], `one of ${NODE_OPERATORS.join(', ')}`, undefined);
  const values = f.stringList([...p, 'values']);
  if ((operator === 'In' || operator === 'NotIn') && (values === undefined || values.length === 0)) {
    throw f.at.error([...p, 'values'], `a non-empty list for operator ${operator}`, f.raw([...p, 'values']));
  }
  if ((operator === 'Gt' || operator === 'Lt') && (values?.length !== 1 || !/^-?\d+$/.test(values[0]))) {
    throw f.at.error([...p, 'values'], `one integer for operator ${operator}`, f.raw([...p, 'values']));
  }
  return values === undefined ? { key, operator } : { key, operator, values };
}

/**
 * A NodeSelectorTerm. `matchFields` can only name `metadata.name`; it is kept as the equivalent
 * requirement on the `kubernetes.io/hostname` label (the kubelet sets that label to the node name
 * unless --hostname-override says otherwise), which the reader also puts on every node.
 */
function nodeTerm(f: Fields, p: FieldPath, ignored: IgnoredFeatures): NodeSelectorTerm {
  const matchExpressions: NodeSelectorRequirement[] = [];
  const n = f.list([...p, 'matchExpressions']);
  for (let i = 0; i < n; i++) matchExpressions.push(nodeRequirement(f, [...p, 'matchExpressions', i]));
  const m = f.list([...p, 'matchFields']);
  for (let i = 0; i < m; i++) {
    const r = nodeRequirement(f, [...p, 'matchFields', i]);
    if (r.key !== 'metadata.name') throw f.at.error([...p, 'matchFields', i, 'key'], 'metadata.name (the only field selector nodes support)', r.key);
    matchExpressions.push({ ...r, key: 'kubernetes.io/hostname' });
    bump(ignored, 'nodeAffinity matchFields metadata.name read as the kubernetes.io/hostname label');
  }
  return { matchExpressions };
}

function labelSelector(f: Fields, p: FieldPath): LabelSelector {
  const out: LabelSelector = {};
  const matchLabels = f.stringMap([...p, 'matchLabels']);
  if (matchLabels !== undefined) out.matchLabels = matchLabels;
  const n = f.list([...p, 'matchExpressions']);
  if (n > 0) {
    out.matchExpressions = [];
    for (let i = 0; i < n; i++) {
      const q = [...p, 'matchExpressions', i];
      const key = f.requiredString([...q, 'key'], 'a label key');
      const operator = f.oneOf([...q, 'operator'], LABEL_OPERATORS);
      if (operator === undefined) throw f.at.error([...q, 'operator'], `one of ${LABEL_OPERATORS.join(', ')}`, undefined);
      const values = f.stringList([...q, 'values']);
      out.matchExpressions.push(values === undefined ? { key, operator } : { key, operator, values });
    }
  }
  return out;
}

/**
 * A PodAffinityTerm, or undefined when it has no labelSelector: Kubernetes reads a nil selector as
 * "matches no pod", which the constraint type cannot say, so such a term is dropped and counted.
 */
function podAffinityTerm(f: Fields, p: FieldPath, ignored: IgnoredFeatures): PodAffinityTerm | undefined {
  const topologyKey = f.requiredString([...p, 'topologyKey'], 'a topology key such as kubernetes.io/hostname');
  if (f.object([...p, 'namespaceSelector']) !== undefined) bump(ignored, 'pod (anti-)affinity namespaceSelector');
  if (f.raw([...p, 'matchLabelKeys']) !== undefined || f.raw([...p, 'mismatchLabelKeys']) !== undefined) {
    bump(ignored, 'pod (anti-)affinity matchLabelKeys/mismatchLabelKeys');
  }
  if (f.object([...p, 'labelSelector']) === undefined) {
    bump(ignored, 'pod (anti-)affinity term without labelSelector (matches no pod): dropped');
    return undefined;
  }
  const term: PodAffinityTerm = { labelSelector: labelSelector(f, [...p, 'labelSelector']), topologyKey };
  const namespaces = f.stringList([...p, 'namespaces']);
  if (namespaces !== undefined && namespaces.length > 0) term.namespaces = namespaces;
  return term;
}

function podAffinity(f: Fields, p: FieldPath, ignored: IgnoredFeatures): PlacementConstraints['podAffinity'] {
  if (f.object(p) === undefined) return undefined;
  const out: NonNullable<PlacementConstraints['podAffinity']> = {};
  const rp = [...p, 'requiredDuringSchedulingIgnoredDuringExecution'];
  const nr = f.list(rp);
  if (nr > 0) {
    out.required = [];
    for (let i = 0; i < nr; i++) {
      const t = podAffinityTerm(f, [...rp, i], ignored);
      if (t !== undefined) out.required.push(t);
    }
  }
  const pp = [...p, 'preferredDuringSchedulingIgnoredDuringExecution'];
  const np = f.list(pp);
  if (np > 0) {
    out.preferred = [];
    for (let i = 0; i < np; i++) {
      const weight = f.int([...pp, i, 'weight'], 1, 100);
      if (weight === undefined) throw f.at.error([...pp, i, 'weight'], 'an integer 1–100', undefined);
      const t = podAffinityTerm(f, [...pp, i, 'podAffinityTerm'], ignored);
      if (t !== undefined) out.preferred.push({ weight, podAffinityTerm: t } satisfies WeightedPodAffinityTerm);
    }
  }
  return out.required === undefined && out.preferred === undefined ? undefined : out;
}

function tolerations(f: Fields, p: FieldPath): Toleration[] | undefined {
  const n = f.list(p);
  if (f.raw(p) === undefined) return undefined;
  const out: Toleration[] = [];
  for (let i = 0; i < n; i++) {
    const q = [...p, i];
    const t: Toleration = {};
    const key = f.string([...q, 'key']);
    const operator = f.oneOf([...q, 'operator'], ['Exists', 'Equal'] as const);
    const value = f.string([...q, 'value']);
    const effect = f.oneOf([...q, 'effect'], EFFECTS);
    if (operator === 'Exists' && value !== undefined && value !== '') {
      throw f.at.error([...q, 'value'], 'no value with operator Exists', value);
    }
    if ((key === undefined || key === '') && operator !== 'Exists') {
      throw f.at.error([...q, 'operator'], 'Exists when the key is empty (an empty key tolerates every taint only with Exists)', operator ?? 'Equal');
    }
    if (key !== undefined && key !== '') t.key = key;
    if (operator !== undefined) t.operator = operator;
    if (value !== undefined) t.value = value;
    if (effect !== undefined) t.effect = effect;
    out.push(t);
  }
  return out;
}

function topologySpread(f: Fields, p: FieldPath, ignored: IgnoredFeatures): TopologySpreadConstraint[] | undefined {
  const n = f.list(p);
  if (n === 0) return undefined;
  const out: TopologySpreadConstraint[] = [];
  for (let i = 0; i < n; i++) {
    const q = [...p, i];
    const maxSkew = f.int([...q, 'maxSkew'], 1, 2_147_483_647);
    if (maxSkew === undefined) throw f.at.error([...q, 'maxSkew'], 'an integer ≥ 1', undefined);
    const topologyKey = f.requiredString([...q, 'topologyKey'], 'a topology key such as topology.kubernetes.io/zone');
    const whenUnsatisfiable = f.oneOf([...q, 'whenUnsatisfiable'], ['DoNotSchedule', 'ScheduleAnyway'] as const);
    if (whenUnsatisfiable === undefined) throw f.at.error([...q, 'whenUnsatisfiable'], 'DoNotSchedule or ScheduleAnyway', undefined);
    for (const k of ['minDomains', 'matchLabelKeys', 'nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (f.raw([...q, k]) !== undefined) bump(ignored, `topologySpreadConstraints ${k}`);
    }
    if (f.object([...q, 'labelSelector']) === undefined) {
      bump(ignored, 'topologySpreadConstraint without labelSelector (counts no pod): dropped');
      continue;
    }
    out.push({ maxSkew, topologyKey, whenUnsatisfiable, labelSelector: labelSelector(f, [...q, 'labelSelector']) });
  }
  return out.length > 0 ? out : undefined;
}

/** Host ports the pod binds: containers[].ports[].hostPort (with hostNetwork, every containerPort). */
function hostPorts(f: Fields, spec: FieldPath, ignored: IgnoredFeatures): number[] | undefined {
  const hostNetwork = f.bool([...spec, 'hostNetwork']) ?? false;
  const ports = new Set<number>();
  for (const list of ['initContainers', 'containers']) {
    const n = f.list([...spec, list]);
    for (let i = 0; i < n; i++) {
      if (list === 'initContainers' && f.raw([...spec, list, i, 'restartPolicy']) !== 'Always') continue;
      const pp = [...spec, list, i, 'ports'];
      const m = f.list(pp);
      for (let j = 0; j < m; j++) {
        const containerPort = f.int([...pp, j, 'containerPort'], 1, 65535);
        let hostPort = f.int([...pp, j, 'hostPort'], 0, 65535);
        if (hostNetwork && (hostPort === undefined || hostPort === 0)) hostPort = containerPort;
        if (hostPort === undefined || hostPort === 0) continue;
        const protocol = f.oneOf([...pp, j, 'protocol'], ['TCP', 'UDP', 'SCTP'] as const) ?? 'TCP';
        if (protocol !== 'TCP') {
          bump(ignored, `${protocol} host ports (only TCP host ports are kept)`);
          continue;
        }
        ports.add(hostPort);
      }
    }
  }
  return ports.size > 0 ? [...ports].sort((a, b) => a - b) : undefined;
}

function images(f: Fields, spec: FieldPath): string[] | undefined {
  const out = new Set<string>();
  for (const list of ['initContainers', 'containers']) {
    const n = f.list([...spec, list]);
    for (let i = 0; i < n; i++) {
      const image = f.string([...spec, list, i, 'image']);
      if (image !== undefined && image !== '') out.add(image);
    }
  }
  return out.size > 0 ? [...out] : undefined;
}

export interface PodConstraintInput {
  /** Path of the pod's metadata (a template's metadata for controllers). */
  metadata: FieldPath;
  /** Path of the pod spec. */
  spec: FieldPath;
  namespace: string;
  /** Keep spec.nodeName (false when it is the scheduler's past decision in a live dump). */
  keepNodeName: boolean;
}

/**
 * Everything about where the pod may run and what it prefers, in the vocabulary of
 * PlacementConstraints (Kubernetes core/v1 field meanings). Fields the type cannot express are
 * counted in `ignored`, never silently dropped.
 */
export function readPodConstraints(f: Fields, o: PodConstraintInput, ignored: IgnoredFeatures): PlacementConstraints {
  const spec = o.spec;
  const c: PlacementConstraints = { namespace: o.namespace };
  const labels = f.stringMap([...o.metadata, 'labels']);
  if (labels !== undefined) c.labels = labels;
  const nodeName = f.string([...spec, 'nodeName']);
  if (nodeName !== undefined && nodeName !== '' && o.keepNodeName) c.nodeName = nodeName;
  const nodeSelector = f.stringMap([...spec, 'nodeSelector']);
  if (nodeSelector !== undefined && Object.keys(nodeSelector).length > 0) c.nodeSelector = nodeSelector;

  const na = [...spec, 'affinity', 'nodeAffinity'];
  const req = [...na, 'requiredDuringSchedulingIgnoredDuringExecution'];
  if (f.object(req) !== undefined) {
    const n = f.list([...req, 'nodeSelectorTerms']);
    if (n === 0) throw f.at.error([...req, 'nodeSelectorTerms'], 'a non-empty list of node selector terms', f.raw([...req, 'nodeSelectorTerms']));
    c.requiredNodeAffinity = [];
    for (let i = 0; i < n; i++) c.requiredNodeAffinity.push(nodeTerm(f, [...req, 'nodeSelectorTerms', i], ignored));
  }
  const pref = [...na, 'preferredDuringSchedulingIgnoredDuringExecution'];
  const np = f.list(pref);
  if (np > 0) {
    c.preferredNodeAffinity = [];
    for (let i = 0; i < np; i++) {
      const weight = f.int([...pref, i, 'weight'], 1, 100);
      if (weight === undefined) throw f.at.error([...pref, i, 'weight'], 'an integer 1–100', undefined);
      if (f.object([...pref, i, 'preference']) === undefined) throw f.at.error([...pref, i, 'preference'], 'a node selector term', undefined);
      c.preferredNodeAffinity.push({ weight, preference: nodeTerm(f, [...pref, i, 'preference'], ignored) } satisfies PreferredSchedulingTerm);
    }
  }
  const tol = tolerations(f, [...spec, 'tolerations']);
  if (tol !== undefined && tol.length > 0) c.tolerations = tol;
  const ports = hostPorts(f, spec, ignored);
  if (ports !== undefined) c.hostPorts = ports;
  const pa = podAffinity(f, [...spec, 'affinity', 'podAffinity'], ignored);
  if (pa !== undefined) c.podAffinity = pa;
  const paa = podAffinity(f, [...spec, 'affinity', 'podAntiAffinity'], ignored);
  if (paa !== undefined) c.podAntiAffinity = paa;
  const spread = topologySpread(f, [...spec, 'topologySpreadConstraints'], ignored);
  if (spread !== undefined) c.topologySpread = spread;
  const imgs = images(f, spec);
  if (imgs !== undefined) c.images = imgs;
  const pcn = f.string([...spec, 'priorityClassName']);
  if (pcn !== undefined && pcn !== '') c.priorityClassName = pcn;
  return c;
}
