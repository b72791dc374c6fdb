import type { HostPort, LabelSelector, NodeSelectorRequirement, NodeSelectorTerm, PlacementConstraints, PodAffinityTerm, PreferredSchedulingTerm, Toleration, TopologySpreadConstraint, WeightedPodAffinityTerm } from '../../model/placement-constraints.js';
import { isQualifiedName, isValidLabelValue } from '../../model/labels.js';
import { isValidNodeRequirement } from '../../model/node-selector-matching.js';
import { parseCanonicalInt64 } from '../../model/int64.js';
import { Fields } from './fields.js';
import type { FieldPath, ManifestObject } from './manifest-documents.js';

/**
 * Pod spec features worth a note, counted by pods: what the constraints keep but kube-scheduler
 * reads in a particular way (a node affinity value it cannot parse makes its term match no node).
 */
export type IgnoredFeatures = Map<string, number>;

const bump = (m: IgnoredFeatures, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

const NODE_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;
const LABEL_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
const TOLERATION_OPERATORS = ['Exists', 'Equal', 'Gt', 'Lt'] as const;
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
const POLICIES = ['Honor', 'Ignore'] as const;
const LABEL_KEY = 'a label key ([prefix/]name: name up to 63 alphanumerics, -, _ or ., prefix a DNS subdomain)';
const LABEL_VALUE = 'a label value (empty, or up to 63 alphanumerics, -, _ or ., starting and ending alphanumeric)';

/** A list of strings in which "" is allowed (label values). */
function valueList(f: Fields, p: FieldPath): string[] | undefined {
  const n = f.list(p);
  if (f.raw(p) === undefined) return undefined;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = f.raw([...p, i]);
    if (typeof v !== 'string') throw f.at.error([...p, i], 'a string (quote numbers and true/false)', v);
    out.push(v);
  }
  return out;
}

function labelKey(f: Fields, p: FieldPath): string {
  const key = f.requiredString(p, LABEL_KEY);
  if (!isQualifiedName(key)) throw f.at.error(p, LABEL_KEY, key);
  return key;
}

/** ValidateLabels: keys and values as the API server checks them (metadata.labels, nodeSelector). */
function labelMap(f: Fields, p: FieldPath): Record<string, string> | undefined {
  const m = f.stringMap(p);
  if (m === undefined) return undefined;
  for (const [k, v] of Object.entries(m)) {
    if (!isQualifiedName(k)) throw f.at.error([...p, k], LABEL_KEY, k);
    if (!isValidLabelValue(v)) throw f.at.error([...p, k], LABEL_VALUE, v);
  }
  return m;
}

/**
 * A node selector requirement as the API server validates it (ValidateNodeSelectorRequirement: a
 * label key; In / NotIn with values, Exists / DoesNotExist without, Gt / Lt with exactly one). The
 * values themselves are checked only by kube-scheduler (labels.NewRequirement: label values, Gt /
 * Lt an integer); a term holding one it cannot parse matches no node — kept so, and noted.
 */
function nodeRequirement(f: Fields, p: FieldPath, ignored: IgnoredFeatures): NodeSelectorRequirement {
  const key = labelKey(f, [...p, 'key']);
  const operator = f.oneOf([...p, 'operator'], NODE_OPERATORS);
  if (operator === undefined) throw f.at.error([...p, 'operator'], `one of ${NODE_OPERATORS.join(', ')}`, undefined);
  const values = valueList(f, [...p, 'values']);
  const n = values?.length ?? 0;
  if ((operator === 'In' || operator === 'NotIn') && n === 0) throw f.at.error([...p, 'values'], `a non-empty list for operator ${operator}`, f.raw([...p, 'values']));
  if ((operator === 'Exists' || operator === 'DoesNotExist') && n > 0) throw f.at.error([...p, 'values'], `no values for operator ${operator}`, f.raw([...p, 'values']));
  if ((operator === 'Gt' || operator === 'Lt') && n !== 1) throw f.at.error([...p, 'values'], `exactly one value for operator ${operator}`, f.raw([...p, 'values']));
  const r: NodeSelectorRequirement = values === undefined ? { key, operator } : { key, operator, values };
  if (!isValidNodeRequirement(r)) bump(ignored, 'node affinity requirement with a value kube-scheduler cannot parse (kept: its term matches no node)');
  return r;
}

/** ValidateNodeFieldSelectorRequirement: only metadata.name, In / NotIn with exactly one node name. */
function fieldRequirement(f: Fields, p: FieldPath): NodeSelectorRequirement {
  const key = f.requiredString([...p, 'key'], 'metadata.name');
  if (key !== 'metadata.name') throw f.at.error([...p, 'key'], 'metadata.name (the only field selector nodes support)', key);
  const operator = f.oneOf([...p, 'operator'], ['In', 'NotIn'] as const);
  if (operator === undefined) throw f.at.error([...p, 'operator'], 'In or NotIn', undefined);
  const values = valueList(f, [...p, 'values']);
  if (values?.length !== 1) throw f.at.error([...p, 'values'], `exactly one node name for operator ${operator}`, f.raw([...p, 'values']));
  return { key, operator, values };
}

/** A NodeSelectorTerm; `matchFields` (metadata.name) compares the node's name. */
function nodeTerm(f: Fields, p: FieldPath, ignored: IgnoredFeatures): NodeSelectorTerm {
  const matchExpressions: NodeSelectorRequirement[] = [];
  const n = f.list([...p, 'matchExpressions']);
  for (let i = 0; i < n; i++) matchExpressions.push(nodeRequirement(f, [...p, 'matchExpressions', i], ignored));
  const m = f.list([...p, 'matchFields']);
  if (m === 0) return { matchExpressions };
  const matchFields: NodeSelectorRequirement[] = [];
  for (let i = 0; i < m; i++) matchFields.push(fieldRequirement(f, [...p, 'matchFields', i]));
  return { matchExpressions, matchFields };
}

/** A LabelSelector as ValidateLabelSelector checks it: label keys and values; In / NotIn need values, Exists / DoesNotExist take none. */
export function labelSelector(f: Fields, p: FieldPath): LabelSelector {
  const out: LabelSelector = {};
  const matchLabels = labelMap(f, [...p, 'matchLabels']);
  if (matchLabels !== undefined) out.matchLabels = matchLabels;
  const n = f.list([...p, 'matchExpressions']);
  if (n > 0) {
    out.matchExpressions = [];
    for (let i = 0; i < n; i++) {
      const q = [...p, 'matchExpressions', i];
      const key = labelKey(f, [...q, 'key']);
      const operator = f.oneOf([...q, 'operator'], LABEL_OPERATORS);
      if (operator === undefined) throw f.at.error([...q, 'operator'], `one of ${LABEL_OPERATORS.join(', ')}`, undefined);
      const values = valueList(f, [...q, 'values']);
      const nv = values?.length ?? 0;
      if ((operator === 'In' || operator === 'NotIn') && nv === 0) throw f.at.error([...q, 'values'], `a non-empty list for operator ${operator}`, f.raw([...q, 'values']));
      if ((operator === 'Exists' || operator === 'DoesNotExist') && nv > 0) throw f.at.error([...q, 'values'], `no values for operator ${operator}`, f.raw([...q, 'values']));
      values?.forEach((v, j) => {
        if (!isValidLabelValue(v)) throw f.at.error([...q, 'values', j], LABEL_VALUE, v);
      });
      out.matchExpressions.push(values === undefined ? { key, operator } : { key, operator, values });
    }
  }
  return out;
}

/** Keys of a selector (matchLabels and matchExpressions), for the matchLabelKeys overlap check. */
function selectorKeys(s: LabelSelector | undefined): Set<string> {
  return new Set([...Object.keys(s?.matchLabels ?? {}), ...(s?.matchExpressions ?? []).map((e) => e.key)]);
}

/** A list of label keys (matchLabelKeys / mismatchLabelKeys), forbidden without a labelSelector. */
function labelKeyList(f: Fields, p: FieldPath, selector: LabelSelector | undefined): string[] | undefined {
  const n = f.list(p);
  if (n === 0) return undefined;
  if (selector === undefined) throw f.at.problem(p, 'must not be set when labelSelector is not set');
  const inSelector = selectorKeys(selector);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = labelKey(f, [...p, i]);
    if (inSelector.has(k)) throw f.at.problem([...p, i], `${k} is also in the labelSelector`);
    out.push(k);
  }
  return out;
}

/**
 * A PodAffinityTerm: labelSelector (absent = Kubernetes' nil selector, matching no pod),
 * namespaces, namespaceSelector (`{}` = every namespace), matchLabelKeys / mismatchLabelKeys
 * (KEP-3633; a key may not be in both), topologyKey.
 */
function podAffinityTerm(f: Fields, p: FieldPath): PodAffinityTerm {
  const topologyKey = labelKey(f, [...p, 'topologyKey']);
  const term: PodAffinityTerm = { topologyKey };
  if (f.object([...p, 'labelSelector']) !== undefined) term.labelSelector = labelSelector(f, [...p, 'labelSelector']);
  const namespaces = f.stringList([...p, 'namespaces']);
  if (namespaces !== undefined && namespaces.length > 0) term.namespaces = namespaces;
  if (f.object([...p, 'namespaceSelector']) !== undefined) term.namespaceSelector = labelSelector(f, [...p, 'namespaceSelector']);
  const match = labelKeyList(f, [...p, 'matchLabelKeys'], term.labelSelector);
  const mismatch = labelKeyList(f, [...p, 'mismatchLabelKeys'], term.labelSelector);
  if (match && mismatch) {
    const both = match.find((k) => mismatch.includes(k));
    if (both !== undefined) throw f.at.problem([...p, 'mismatchLabelKeys'], `${both} is in both matchLabelKeys and mismatchLabelKeys`);
  }
  if (match) term.matchLabelKeys = match;
  if (mismatch) term.mismatchLabelKeys = mismatch;
  return term;
}

function podAffinity(f: Fields, p: FieldPath): PlacementConstraints['podAffinity'] {
  if (f.object(p) === undefined) return undefined;
  const out: NonNullable<PlacementConstraints['podAffinity']> = {};
  const rp = [...p, 'requiredDuringSchedulingIgnoredDuringExecution'];
  const nr = f.list(rp);
  if (nr > 0) {
    out.required = [];
    for (let i = 0; i < nr; i++) out.required.push(podAffinityTerm(f, [...rp, i]));
  }
  const pp = [...p, 'preferredDuringSchedulingIgnoredDuringExecution'];
  const np = f.list(pp);
  if (np > 0) {
    out.preferred = [];
    for (let i = 0; i < np; i++) {
      const weight = f.int([...pp, i, 'weight'], 1, 100);
      if (weight === undefined) throw f.at.error([...pp, i, 'weight'], 'an integer 1–100', undefined);
      if (f.object([...pp, i, 'podAffinityTerm']) === undefined) throw f.at.error([...pp, i, 'podAffinityTerm'], 'a pod affinity term', undefined);
      out.preferred.push({ weight, podAffinityTerm: podAffinityTerm(f, [...pp, i, 'podAffinityTerm']) } satisfies WeightedPodAffinityTerm);
    }
  }
  return out.required === undefined && out.preferred === undefined ? undefined : out;
}

/**
 * Tolerations as validateTolerations checks them: an empty key needs Exists; Exists takes no
 * value; Gt / Lt (KEP-5471) compare integers, so their value must be a base-10 int64 without sign
 * '+' or leading zeros, and they need a key.
 */
function tolerations(f: Fields, p: FieldPath): Toleration[] | undefined {
  const n = f.list(p);
  if (f.raw(p) === undefined) return undefined;
  const out: Toleration[] = [];
  for (let i = 0; i < n; i++) {
    const q = [...p, i];
    const t: Toleration = {};
    const key = f.string([...q, 'key']);
    const operator = f.oneOf([...q, 'operator'], TOLERATION_OPERATORS);
    const value = f.string([...q, 'value']);
    const effect = f.oneOf([...q, 'effect'], EFFECTS);
    if (key !== undefined && key !== '' && !isQualifiedName(key)) throw f.at.error([...q, 'key'], LABEL_KEY, key);
    if (operator === 'Exists' && value !== undefined && value !== '') {
      throw f.at.error([...q, 'value'], 'no value with operator Exists', value);
    }
    if ((key === undefined || key === '') && operator !== 'Exists') {
      throw f.at.error([...q, 'operator'], 'Exists when the key is empty (an empty key tolerates every taint only with Exists)', operator ?? 'Equal');
    }
    if ((operator === 'Gt' || operator === 'Lt') && parseCanonicalInt64(value ?? '') === undefined) {
      throw f.at.error([...q, 'value'], `an integer (base 10, no sign +, no leading zeros) for operator ${operator}`, value);
    }
    if ((operator === 'Equal' || operator === undefined) && value !== undefined && !isValidLabelValue(value)) throw f.at.error([...q, 'value'], LABEL_VALUE, value);
    // tolerationSeconds: an int64, only with effect NoExecute (validateTolerations).
    const seconds = f.int([...q, 'tolerationSeconds'], Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    if (seconds !== undefined && effect !== 'NoExecute') throw f.at.error([...q, 'effect'], 'NoExecute when tolerationSeconds is set', effect);
    if (key !== undefined && key !== '') t.key = key;
    if (operator !== undefined) t.operator = operator;
    if (value !== undefined) t.value = value;
    if (effect !== undefined) t.effect = effect;
    if (seconds !== undefined) t.tolerationSeconds = seconds;
    out.push(t);
  }
  return out;
}

/**
 * topologySpreadConstraints as validateTopologySpreadConstraints checks them: maxSkew ≥ 1, a
 * topology key, whenUnsatisfiable, minDomains ≥ 1 only with DoNotSchedule, nodeAffinityPolicy /
 * nodeTaintsPolicy Honor or Ignore, matchLabelKeys only with a labelSelector and not in it, one
 * constraint per (topologyKey, whenUnsatisfiable). No labelSelector is kept as Kubernetes' nil
 * selector: it counts no pod, but the constraint still needs its key on the nodes.
 */
function topologySpread(f: Fields, p: FieldPath): TopologySpreadConstraint[] | undefined {
  const n = f.list(p);
  if (n === 0) return undefined;
  const out: TopologySpreadConstraint[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const q = [...p, i];
    const maxSkew = f.int([...q, 'maxSkew'], 1, 2_147_483_647);
    if (maxSkew === undefined) throw f.at.error([...q, 'maxSkew'], 'an integer ≥ 1', undefined);
    const topologyKey = labelKey(f, [...q, 'topologyKey']);
    const whenUnsatisfiable = f.oneOf([...q, 'whenUnsatisfiable'], ['DoNotSchedule', 'ScheduleAnyway'] as const);
    if (whenUnsatisfiable === undefined) throw f.at.error([...q, 'whenUnsatisfiable'], 'DoNotSchedule or ScheduleAnyway', undefined);
    const sig = `${topologyKey}\u0000${whenUnsatisfiable}`;
    if (seen.has(sig)) throw f.at.problem(q, `a second constraint for topologyKey ${topologyKey} and whenUnsatisfiable ${whenUnsatisfiable}`);
    seen.add(sig);
    const c: TopologySpreadConstraint = { maxSkew, topologyKey, whenUnsatisfiable };
    if (f.object([...q, 'labelSelector']) !== undefined) c.labelSelector = labelSelector(f, [...q, 'labelSelector']);
    const minDomains = f.int([...q, 'minDomains'], 1, 2_147_483_647);
    if (minDomains !== undefined) {
      if (whenUnsatisfiable !== 'DoNotSchedule') throw f.at.problem([...q, 'minDomains'], 'minDomains can only be used with whenUnsatisfiable: DoNotSchedule');
      c.minDomains = minDomains;
    }
    const affinityPolicy = f.oneOf([...q, 'nodeAffinityPolicy'], POLICIES);
    if (affinityPolicy !== undefined) c.nodeAffinityPolicy = affinityPolicy;
    const taintsPolicy = f.oneOf([...q, 'nodeTaintsPolicy'], POLICIES);
    if (taintsPolicy !== undefined) c.nodeTaintsPolicy = taintsPolicy;
    const keys = labelKeyList(f, [...q, 'matchLabelKeys'], c.labelSelector);
    if (keys !== undefined) c.matchLabelKeys = keys;
    out.push(c);
  }
  return out;
}

/**
 * Host ports the pod binds: containers[].ports[].hostPort (and sidecar init containers'), with
 * hostNetwork every containerPort (the API server's defaulting). Each is (protocol, hostIP, port);
 * TCP on every address is kept as a bare number.
 */
function hostPorts(f: Fields, spec: FieldPath): Array<number | HostPort> | undefined {
  const hostNetwork = f.bool([...spec, 'hostNetwork']) ?? false;
  const ports = new Map<string, number | HostPort>();
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
        const hostIP = f.string([...pp, j, 'hostIP']) ?? '';
        const p: number | HostPort = protocol === 'TCP' && (hostIP === '' || hostIP === '0.0.0.0') ? hostPort : { port: hostPort, protocol, ...(hostIP !== '' ? { hostIP } : {}) };
        ports.set(`${protocol}/${hostIP || '0.0.0.0'}/${hostPort}`, p);
      }
    }
  }
  if (ports.size === 0) return undefined;
  const port = (p: number | HostPort) => (typeof p === 'number' ? p : p.port);
  return [...ports.values()].sort((a, b) => port(a) - port(b));
}

/** One image per container, init containers first (ImageLocality scores each container's image). */
function images(f: Fields, spec: FieldPath): string[] | undefined {
  const out: string[] = [];
  for (const list of ['initContainers', 'containers']) {
    const n = f.list([...spec, list]);
    for (let i = 0; i < n; i++) {
      const image = f.string([...spec, list, i, 'image']);
      if (image !== undefined && image !== '') out.push(image);
    }
  }
  return out.length > 0 ? out : undefined;
}

export interface PodConstraintInput {
  /** Path of the pod's metadata (a template's metadata for controllers). */
  metadata: FieldPath;
  /** Path of the pod spec. */
  spec: FieldPath;
  namespace: string;
  /** Labels of the pod's Namespace object, when the input has one (for namespaceSelectors). */
  namespaceLabels?: Record<string, string>;
  /** Keep spec.nodeName (false when it is the scheduler's past decision in a live dump). */
  keepNodeName: boolean;
}

/**
 * Everything about where the pod may run and what it prefers, in the vocabulary of
 * PlacementConstraints (Kubernetes core/v1 field meanings), validated as the API server would
 * (a manifest it rejects is an error naming the field). What is kept but read in a particular
 * way by kube-scheduler is counted in `ignored` for the notes.
 */
export function readPodConstraints(f: Fields, o: PodConstraintInput, ignored: IgnoredFeatures): PlacementConstraints {
  const spec = o.spec;
  const c: PlacementConstraints = { namespace: o.namespace };
  if (o.namespaceLabels !== undefined) c.namespaceLabels = o.namespaceLabels;
  const labels = labelMap(f, [...o.metadata, 'labels']);
  if (labels !== undefined) c.labels = labels;
  const nodeName = f.string([...spec, 'nodeName']);
  if (nodeName !== undefined && nodeName !== '' && o.keepNodeName) c.nodeName = nodeName;
  const nodeSelector = labelMap(f, [...spec, 'nodeSelector']);
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
  const ports = hostPorts(f, spec);
  if (ports !== undefined) c.hostPorts = ports;
  const pa = podAffinity(f, [...spec, 'affinity', 'podAffinity']);
  if (pa !== undefined) c.podAffinity = pa;
  const paa = podAffinity(f, [...spec, 'affinity', 'podAntiAffinity']);
  if (paa !== undefined) c.podAntiAffinity = paa;
  const spread = topologySpread(f, [...spec, 'topologySpreadConstraints']);
  if (spread !== undefined) c.topologySpread = spread;
  const imgs = images(f, spec);
  if (imgs !== undefined) c.images = imgs;
  const pcn = f.string([...spec, 'priorityClassName']);
  if (pcn !== undefined && pcn !== '') c.priorityClassName = pcn;
  return c;
}

/**
 * Labels of the input's Namespace objects by name, with `kubernetes.io/metadata.name` as the API
 * server sets it; namespaceSelectors of pod affinity terms match these.
 */
export function readNamespaceLabels(objects: readonly ManifestObject[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const o of objects) {
    if (o.kind !== 'Namespace') continue;
    const f = new Fields(o.body, o.at);
    const name = f.requiredString(['metadata', 'name'], 'a namespace name');
    out.set(name, { ...(labelMap(f, ['metadata', 'labels']) ?? {}), 'kubernetes.io/metadata.name': name });
  }
  return out;
}
