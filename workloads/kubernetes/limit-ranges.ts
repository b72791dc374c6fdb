import { isQualifiedName } from '../../model/labels.js';
import { Fields } from './fields.js';
import type { FieldPath, ManifestObject } from './manifest-documents.js';
import type { ContainerDefaults, ContainerResources, PodResources } from './pod-resources.js';
import { parseQuantity, quantityToUnits, QUANTITY_EXPECTED, type Quantity } from './quantity.js';
import { formatQuantity } from './quantity-format.js';
import { DIM_CPU, DIM_GPU, DIM_MEMORY, DIMS, RESOURCE_DIMS } from './resources.js';

/**
 * LimitRange (v1) objects, applied to each pod of their namespace at admission, before its
 * requests, limits and QoS class are computed, as the LimitRanger admission plugin does
 * (plugin/pkg/admission/limitranger/admission.go):
 *
 * 1. The object's own defaulting (pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem), for
 *    `type: Container` only: an unset `default` (limit) takes `max`; an unset `defaultRequest`
 *    takes `default`, else `min`. Then its validation (pkg/apis/core/validation ValidateLimitRange):
 *    a known type, at most one item per type, `default`/`defaultRequest` not on `type: Pod`,
 *    min ≤ defaultRequest ≤ default ≤ max, maxLimitRequestRatio ≥ 1 and ≤ max/min, and for
 *    resources that cannot be overcommitted (GPUs, hugepages) default = defaultRequest. A LimitRange
 *    that fails is an InputError (the API server rejects it).
 * 2. Mutation (PodMutateLimitFunc): every container and init container lacking a limit (request)
 *    for a resource gets the `default` (`defaultRequest`) of the namespace's Container items. A limit
 *    the container states already set its request (the API server's pod defaulting runs first).
 * 3. Validation (PodValidateLimitFunc), per LimitRange: each container and init container against
 *    the Container item's min (request, and limit when set, ≥ min), max (a limit is required and ≤
 *    max; request ≤ max) and maxLimitRequestRatio (limit / request, both required and non-zero);
 *    the pod's requests and limits (containers summed, sidecars included, each init container's
 *    need as a floor; pod-level `spec.resources` override cpu and memory) against the Pod item.
 *    The errors of the first LimitRange that has any reject the pod; a default limit below a
 *    stated request fails the pod's own validation (requests ≤ limits) after mutation.
 * A rejected pod is never created: the reader counts it by reason (Workload.admissionRejections).
 * Several LimitRanges in one namespace apply in input order (Kubernetes' order is unspecified).
 * Modeled resources: cpu, memory, nvidia.com/gpu; constraints on others (ephemeral-storage,
 * hugepages, other extended resources) are validated as objects but not checked on pods (noted).
 */

type ItemType = 'Container' | 'Pod' | 'PersistentVolumeClaim' | 'other';

const FIELDS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;
type ItemField = (typeof FIELDS)[number];

interface RawItem {
  type: ItemType;
  typeName: string;
  /** Quantities per field and resource name, after the object's defaulting. */
  q: Record<ItemField, Map<string, Quantity>>;
  path: FieldPath;
}

/** One LimitRange item on the modeled resources: NaN = not set. */
export interface LimitRangeItem {
  type: 'Container' | 'Pod';
  min: Float64Array;
  max: Float64Array;
  /** Default limit and default request (Container items only). */
  defaultLimit: Float64Array;
  defaultRequest: Float64Array;
  /** maxLimitRequestRatio in thousandths (apimachinery MilliValue, rounded up). */
  ratioMilli: Float64Array;
  /** The texts as written, for messages. */
  text: Record<ItemField, string[]>;
}

export interface LimitRange {
  /** `namespace/name`. */
  name: string;
  namespace: string;
  items: LimitRangeItem[];
  /** Resource names the reader does not model that this LimitRange constrains (not checked on pods). */
  unmodeled: string[];
  /** PersistentVolumeClaim (storage) and custom item types: kept out of pod admission. */
  otherTypes: string[];
}

const CONTAINER_RESOURCE = 'a container resource (cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource such as nvidia.com/gpu)';

/** validateContainerResourceName: standard names, or a qualified name with a domain prefix (extended resources). */
function isContainerResourceName(name: string): boolean {
  if (!name.includes('/')) return name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-');
  return isQualifiedName(name);
}

/** IsOvercommitAllowed: native resources other than hugepages may have default ≠ defaultRequest. */
const overcommitAllowed = (name: string) => !name.includes('/') && !name.startsWith('hugepages-');

const cmp = (a: Quantity, b: Quantity) => {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
};

function readQuantityMap(f: Fields, p: FieldPath, validName: boolean): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  const m = f.object(p);
  if (m === undefined) return out;
  for (const [name, v] of Object.entries(m)) {
    const vp = [...p, name];
    if (validName && !isContainerResourceName(name)) throw f.at.error(vp, CONTAINER_RESOURCE, name);
    const text = typeof v === 'string' ? v : typeof v === 'number' ? (f.at.sourceText(vp) ?? String(v)) : undefined;
    const q = text === undefined ? null : parseQuantity(text);
    if (q === null) throw f.at.error(vp, QUANTITY_EXPECTED, v);
    out.set(name, q);
  }
  return out;
}

function readItem(f: Fields, p: FieldPath, seen: Set<string>): RawItem {
  const typeName = f.requiredString([...p, 'type'], 'a limit type: Container, Pod or PersistentVolumeClaim');
  const standard = typeName === 'Container' || typeName === 'Pod' || typeName === 'PersistentVolumeClaim';
  if (!standard && !(typeName.includes('/') && isQualifiedName(typeName))) {
    throw f.at.error([...p, 'type'], 'a limit type: Container, Pod, PersistentVolumeClaim (or a fully qualified custom type)', typeName);
  }
  if (seen.has(typeName)) throw f.at.problem([...p, 'type'], `Duplicate value: "${typeName}" (one item per type)`);
  seen.add(typeName);
  const type: ItemType = standard ? (typeName as ItemType) : 'other';
  const podOrContainer = type === 'Container' || type === 'Pod';
  const q = Object.fromEntries(FIELDS.map((k) => [k, readQuantityMap(f, [...p, k], podOrContainer)])) as RawItem['q'];
  if (type === 'Pod') {
    for (const k of ['default', 'defaultRequest'] as const) if (q[k].size > 0) throw f.at.problem([...p, k], "may not be specified when `type` is 'Pod'");
  }
  if (type === 'PersistentVolumeClaim' && !q.min.has('storage') && !q.max.has('storage')) {
    throw f.at.problem(p, 'either minimum or maximum storage value is required, but neither was provided');
  }
  if (type === 'Container') {
    // SetDefaults_LimitRangeItem.
    for (const [k, v] of q.max) if (!q.default.has(k)) q.default.set(k, v);
    for (const [k, v] of q.default) if (!q.defaultRequest.has(k)) q.defaultRequest.set(k, v);
    for (const [k, v] of q.min) if (!q.defaultRequest.has(k)) q.defaultRequest.set(k, v);
  }
  validateItem(f, p, q);
  return { type, typeName, q, path: p };
}

/** ValidateLimitRange's per-resource checks (after defaulting), as the API server words them. */
function validateItem(f: Fields, p: FieldPath, q: RawItem['q']): void {
  const keys = new Set<string>();
  for (const k of FIELDS) for (const name of q[k].keys()) keys.add(name);
  for (const k of keys) {
    const min = q.min.get(k);
    const max = q.max.get(k);
    const def = q.default.get(k);
    const req = q.defaultRequest.get(k);
    const ratio = q.maxLimitRequestRatio.get(k);
    const bad = (field: ItemField, text: string) => f.at.problem([...p, field, k], text);
    if (min && max && cmp(min, max) > 0) throw bad('min', `min value ${min.text} is greater than max value ${max.text}`);
    if (req && min && cmp(min, req) > 0) throw bad('defaultRequest', `min value ${min.text} is greater than default request value ${req.text}`);
    if (req && max && cmp(req, max) > 0) throw bad('defaultRequest', `default request value ${req.text} is greater than max value ${max.text}`);
    if (req && def && cmp(req, def) > 0) throw bad('defaultRequest', `default request value ${req.text} is greater than default limit value ${def.text}`);
    if (def && min && cmp(min, def) > 0) throw bad('default', `min value ${min.text} is greater than default value ${def.text}`);
    if (def && max && cmp(def, max) > 0) throw bad('default', `default value ${def.text} is greater than max value ${max.text}`);
    if (ratio && cmp(ratio, { num: 1n, den: 1n, text: '1' }) < 0) throw bad('maxLimitRequestRatio', `ratio ${ratio.text} is less than 1`);
    if (ratio && min && max && min.num > 0n) {
      const limit = Number(max.num * min.den) / Number(min.num * max.den);
      if (Number(ratio.num) / Number(ratio.den) > limit) throw bad('maxLimitRequestRatio', `ratio ${ratio.text} is greater than max/min = ${limit.toFixed(6)}`);
    }
    if (!overcommitAllowed(k) && def && req && cmp(def, req) !== 0) {
      throw bad('defaultRequest', `default value ${def.text} must equal to defaultRequest value ${req.text} in ${k}`);
    }
  }
}

/** Reads one LimitRange object (InputError naming file, line and field when the API would reject it). */
export function readLimitRange(o: ManifestObject): LimitRange {
  const f = new Fields(o.body, o.at);
  const name = f.requiredString(['metadata', 'name'], 'a LimitRange name');
  const namespace = f.string(['metadata', 'namespace']) || 'default';
  const seen = new Set<string>();
  const n = f.list(['spec', 'limits']);
  const items: LimitRangeItem[] = [];
  const unmodeled = new Set<string>();
  const otherTypes: string[] = [];
  for (let i = 0; i < n; i++) {
    const raw = readItem(f, ['spec', 'limits', i], seen);
    if (raw.type !== 'Container' && raw.type !== 'Pod') {
      otherTypes.push(raw.typeName);
      continue;
    }
    const vec = (field: ItemField, perUnitOverride?: number) => {
      const v = new Float64Array(DIMS).fill(NaN);
      for (const [res, q] of raw.q[field]) {
        const spec = RESOURCE_DIMS[res];
        if (spec === undefined || res === 'pods') {
          unmodeled.add(res);
          continue;
        }
        v[spec.dim] = quantityToUnits(q, perUnitOverride ?? spec.perUnit);
      }
      return v;
    };
    const text = Object.fromEntries(FIELDS.map((k) => [k, textVector(raw.q[k])])) as LimitRangeItem['text'];
    items.push({ type: raw.type, min: vec('min'), max: vec('max'), defaultLimit: vec('default'), defaultRequest: vec('defaultRequest'), ratioMilli: vec('maxLimitRequestRatio', 1000), text });
  }
  return { name: `${namespace}/${name}`, namespace, items, unmodeled: [...unmodeled], otherTypes };
}

function textVector(m: Map<string, Quantity>): string[] {
  const out = new Array<string>(DIMS).fill('');
  for (const [res, q] of m) {
    const spec = RESOURCE_DIMS[res];
    if (spec !== undefined && res !== 'pods') out[spec.dim] = q.text;
  }
  return out;
}

/** Resource names in messages, per dimension (as Kubernetes names them). */
const RESOURCE_NAME = ['cpu', 'memory', 'nvidia.com/gpu'];
const CHECKED_DIMS = [DIM_CPU, DIM_MEMORY, DIM_GPU] as const;

/** NaN-aware sum and max, as ResourceList arithmetic over present keys. */
const add = (a: number, b: number) => (a !== a ? b : b !== b ? a : a + b);
const max = (a: number, b: number) => (a !== a ? b : b !== b ? a : Math.max(a, b));

/** LimitRanger's podRequests / podLimits: app containers and sidecars summed, each plain init container (plus earlier sidecars) a floor. */
function podTotals(containers: readonly ContainerResources[], side: 'request' | 'limit'): Float64Array {
  const out = new Float64Array(DIMS).fill(NaN);
  for (const d of CHECKED_DIMS) {
    let sum = NaN;
    let sidecars = NaN;
    let initNeed = NaN;
    for (const c of containers) {
      const v = c[side][d];
      if (!c.init) sum = add(sum, v);
      else if (c.sidecar) {
        sum = add(sum, v);
        sidecars = add(sidecars, v);
        initNeed = max(initNeed, sidecars);
      } else initNeed = max(initNeed, add(v, sidecars));
    }
    out[d] = max(sum, initNeed);
  }
  return out;
}

/** The namespace's LimitRanges, in input order. */
export class LimitRanges {
  private readonly byNamespace = new Map<string, LimitRange[]>();
  private readonly defaults = new Map<string, ContainerDefaults | undefined>();

  add(lr: LimitRange): void {
    const list = this.byNamespace.get(lr.namespace) ?? [];
    list.push(lr);
    this.byNamespace.set(lr.namespace, list);
  }

  get size(): number {
    let n = 0;
    for (const l of this.byNamespace.values()) n += l.length;
    return n;
  }

  all(): LimitRange[] {
    return [...this.byNamespace.values()].flat();
  }

  /** The container defaults of the namespace, or undefined when none of its LimitRanges sets any. */
  defaultsFor(namespace: string): ContainerDefaults | undefined {
    if (this.defaults.has(namespace)) return this.defaults.get(namespace);
    let out: ContainerDefaults | undefined;
    for (const lr of this.byNamespace.get(namespace) ?? []) {
      for (const item of lr.items) {
        if (item.type !== 'Container') continue;
        for (const d of CHECKED_DIMS) {
          for (const side of ['limit', 'request'] as const) {
            const v = side === 'limit' ? item.defaultLimit[d] : item.defaultRequest[d];
            if (v !== v) continue;
            out ??= { limit: new Float64Array(DIMS).fill(NaN), request: new Float64Array(DIMS).fill(NaN) };
            if (out[side][d] !== out[side][d]) out[side][d] = v;
          }
        }
      }
    }
    this.defaults.set(namespace, out);
    return out;
  }

  /**
   * Why admission rejects the pod (its resources after mutation), or undefined when it admits it.
   * The reason names the LimitRange and quotes Kubernetes' messages, e.g.
   * `LimitRange team/limits: maximum cpu usage per Container is 2, but limit is 4`.
   */
  rejection(namespace: string, res: PodResources): string | undefined {
    const list = this.byNamespace.get(namespace);
    if (list === undefined) return undefined;
    // The pod's own validation runs after mutation, before LimitRanger validates: a default limit
    // below a stated request makes the pod invalid (requests must not exceed limits).
    for (const c of res.containers) {
      for (const d of CHECKED_DIMS) {
        if (c.request[d] > c.limit[d]) {
          const [req, lim] = [formatQuantity(c.request[d], d), formatQuantity(c.limit[d], d)];
          return `pod invalid after LimitRange defaults (${list.map((l) => l.name).join(', ')}): container ${c.name}: requests.${RESOURCE_NAME[d]}: Invalid value: "${req}": must be less than or equal to ${RESOURCE_NAME[d]} limit of ${lim}`;
        }
      }
    }
    for (const lr of list) {
      const errs = this.check(lr, res);
      if (errs.length > 0) return `LimitRange ${lr.name}: ${errs.join('; ')}`;
    }
    return undefined;
  }

  private check(lr: LimitRange, res: PodResources): string[] {
    const errs: string[] = [];
    for (const item of lr.items) {
      if (item.type === 'Container') {
        const ordered = [...res.containers.filter((c) => !c.init), ...res.containers.filter((c) => c.init)];
        for (const c of ordered) errs.push(...constraintErrors(item, 'Container', c.request, c.limit));
      } else {
        const request = podTotals(res.containers, 'request');
        const limit = podTotals(res.containers, 'limit');
        if (res.podLevel !== undefined) {
          for (const d of [DIM_CPU, DIM_MEMORY]) {
            if (res.podLevel.request[d] === res.podLevel.request[d]) request[d] = res.podLevel.request[d];
            if (res.podLevel.limit[d] === res.podLevel.limit[d]) limit[d] = res.podLevel.limit[d];
          }
        }
        errs.push(...constraintErrors(item, 'Pod', request, limit));
      }
    }
    return errs;
  }
}

/** minConstraint, maxConstraint and limitRequestRatioConstraint, with upstream's messages. */
function constraintErrors(item: LimitRangeItem, kind: 'Container' | 'Pod', request: Float64Array, limit: Float64Array): string[] {
  const errs: string[] = [];
  const q = (v: number, d: number) => formatQuantity(v, d);
  for (const d of CHECKED_DIMS) {
    const name = RESOURCE_NAME[d];
    const req = request[d];
    const lim = limit[d];
    const min = item.min[d];
    if (min === min) {
      const t = item.text.min[d];
      if (req !== req) errs.push(`minimum ${name} usage per ${kind} is ${t}.  No request is specified`);
      else if (req < min) errs.push(`minimum ${name} usage per ${kind} is ${t}, but request is ${q(req, d)}`);
      else if (lim === lim && lim < min) errs.push(`minimum ${name} usage per ${kind} is ${t}, but limit is ${q(lim, d)}`);
    }
    const mx = item.max[d];
    if (mx === mx) {
      const t = item.text.max[d];
      if (lim !== lim) errs.push(`maximum ${name} usage per ${kind} is ${t}.  No limit is specified`);
      else if (lim > mx) errs.push(`maximum ${name} usage per ${kind} is ${t}, but limit is ${q(lim, d)}`);
      else if (req === req && req > mx) errs.push(`maximum ${name} usage per ${kind} is ${t}, but request is ${q(req, d)}`);
    }
    const ratio = item.ratioMilli[d];
    if (ratio === ratio) {
      const t = item.text.maxLimitRequestRatio[d];
      if (!(req > 0)) errs.push(`${name} max limit to request ratio per ${kind} is ${t}, but no request is specified or request is 0`);
      else if (!(lim > 0)) errs.push(`${name} max limit to request ratio per ${kind} is ${t}, but no limit is specified or limit is 0`);
      else if ((lim / req) * 1000 > ratio) errs.push(`${name} max limit to request ratio per ${kind} is ${t}, but provided ratio is ${(lim / req).toFixed(6)}`);
    }
  }
  return errs;
}
