import { UsageError } from '../../model/errors.js';
import { QosClass } from '../../model/qos-class.js';
import type { ResourceQuotaSpec } from '../../model/workload-controllers.js';
import type { Workload } from '../../model/workload.js';
import type { TaskStore } from '../task-store.js';
import { quantityText } from './quantity-text.js';

/**
 * Kubernetes ResourceQuota at run time: the admission plugin's check of a pod against every quota
 * of its namespace, and the usage those quotas track. Sources: upstream
 * staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go (CheckRequest) and
 * pkg/quota/v1/evaluator/core/pods.go (the pod evaluator: usage, Constraints, scopes).
 *
 * - Usage of a quota = Σ over the namespace's non-terminal pods it selects (pending or running) of
 *   requests.<r>, limits.<r> and the pod count. A pod stops counting when it finishes, fails, is
 *   killed, evicted (until its controller's new pod is admitted) or rejected.
 * - A quota selects a pod when every scope matches (AND): BestEffort / NotBestEffort by the pod's
 *   QoS class; Terminating / NotTerminating by an active deadline (the model knows a Job's
 *   activeDeadlineSeconds, JobController.activeDeadline: its pods are Terminating); PriorityClass
 *   by the scopeSelector on spec.priorityClassName with label-selector semantics (In: the class is
 *   one of the values; NotIn: no class, or not one of them; Exists / DoesNotExist: a class is set or
 *   not).
 * - Constraints first, over every quota that selects the pod: a quota bounding requests.cpu,
 *   requests.memory, limits.cpu or limits.memory needs the pod to state that value, else
 *   `failed quota: <name>: must specify requests.cpu`. The model keeps pod totals, so "states it"
 *   is "the pod's total is known": a request is missing when the reader gave none (TaskStore.missing
 *   with a zero request in that dimension; a pod that also states an explicit 0 elsewhere cannot be
 *   told apart), a limit when it is NaN.
 * - Then usage: for each selecting quota in order, the resources the pod uses (> 0) that the quota
 *   bounds must satisfy used + requested ≤ hard, else upstream's message
 *   `exceeded quota: <name>, requested: requests.cpu=500m, used: requests.cpu=1500m, limited:
 *   requests.cpu=2`, naming the exceeded resources only, sorted by name (prettyPrint).
 * Amounts are the workload's units (ResourceSchema) shown as quantities (quantity-text.ts).
 */

/** What the last refused check found. */
export const enum QuotaRefusal {
  None = 0,
  /** A bounded request or limit the pod does not state ("must specify"): never admissible. */
  MissingValue = 1,
  /** A bounded resource would go over its hard limit. */
  Exceeded = 2,
}

/** Most quotas one namespace may have (a quota set is a 32-bit mask). */
export const MAX_QUOTAS_PER_NAMESPACE = 32;

/** Per quota: the scopes, compiled. */
interface CompiledScopes {
  /** 0 any QoS, 1 BestEffort only, 2 not BestEffort only. */
  qos: 0 | 1 | 2;
  /** 0 any, 1 Terminating only, 2 NotTerminating only. */
  terminating: 0 | 1 | 2;
  pcOperator?: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  pcValues: ReadonlySet<string>;
}

export class ResourceQuotaLedger {
  readonly quotas: readonly ResourceQuotaSpec[];
  /** Namespace names, by index. */
  readonly namespaces: string[] = [];
  /** What the last refused `check` found: the kind, the quota (global index) and the resources (bits: requests d, limits D + d, pods 2D). */
  refusal: QuotaRefusal = QuotaRefusal.None;
  refusedQuota = -1;
  refusedBits = 0;

  private readonly D: number;
  private readonly workload: Workload;
  private tasks!: TaskStore;
  private readonly nsIndex = new Map<string, number>();
  /** Per namespace: its quotas' global indices, in order (bit i of a mask = nsQuotas[ns][i]). */
  private readonly nsQuotas: Int32Array[] = [];
  /** Per namespace: the quotas that may select a BestEffort pod, and the others. */
  private readonly beMask: number[] = [];
  private readonly otherMask: number[] = [];
  private readonly scopes: CompiledScopes[] = [];
  private readonly hardReq: Float64Array;
  private readonly hardLim: Float64Array;
  private readonly hardPods: Float64Array;
  readonly usedReq: Float64Array;
  readonly usedLim: Float64Array;
  readonly usedPods: Float64Array;
  /** Per job: its namespace index (-1 = no quota there, -2 = not resolved yet) and the quotas its job-level facts select. */
  private jobNs = new Int32Array(0);
  private jobMask = new Uint32Array(0);
  private readonly cpu: number;
  private readonly memory: number;
  private readonly podsBit: number;
  private readonly keyCache = new Map<number, string>();

  constructor(quotas: readonly ResourceQuotaSpec[], workload: Workload) {
    const D = workload.resources.names.length;
    if (2 * D + 1 > 31) throw new Error(`ResourceQuota: at most 15 resource dimensions are supported, the workload has ${D}`);
    this.D = D;
    this.workload = workload;
    this.quotas = quotas;
    this.cpu = workload.resources.names.indexOf('cpu');
    this.memory = workload.resources.names.indexOf('memory');
    this.podsBit = 2 * D;
    const Q = quotas.length;
    this.hardReq = new Float64Array(Q * D).fill(NaN);
    this.hardLim = new Float64Array(Q * D).fill(NaN);
    this.hardPods = new Float64Array(Q).fill(NaN);
    this.usedReq = new Float64Array(Q * D);
    this.usedLim = new Float64Array(Q * D);
    this.usedPods = new Float64Array(Q);
    const members: number[][] = [];
    const podsDim = workload.resources.names.indexOf('pods');
    quotas.forEach((q, i) => {
      if (q.requests.length !== D || q.limits.length !== D) {
        throw new Error(`ResourceQuota ${q.namespace}/${q.name}: ${q.requests.length} request and ${q.limits.length} limit values for ${D} dimensions`);
      }
      for (let d = 0; d < D; d++) {
        // The `pods` dimension is the node's pod capacity; the quota's pod count is `q.pods`.
        if (d === podsDim) continue;
        this.hardReq[i * D + d] = q.requests[d];
        this.hardLim[i * D + d] = q.limits[d];
      }
      this.hardPods[i] = q.pods;
      let ns = this.nsIndex.get(q.namespace);
      if (ns === undefined) {
        ns = this.namespaces.length;
        this.namespaces.push(q.namespace);
        this.nsIndex.set(q.namespace, ns);
        members.push([]);
      }
      members[ns].push(i);
      this.scopes.push(compileScopes(q));
    });
    members.forEach((list, ns) => {
      if (list.length > MAX_QUOTAS_PER_NAMESPACE) {
        throw new UsageError(`ResourceQuota: namespace ${this.namespaces[ns]} has ${list.length} quotas; at most ${MAX_QUOTAS_PER_NAMESPACE} per namespace are supported`);
      }
      this.nsQuotas.push(Int32Array.from(list));
      let be = 0;
      let other = 0;
      list.forEach((q, bit) => {
        const s = this.scopes[q].qos;
        if (s !== 2) be |= 1 << bit;
        if (s !== 1) other |= 1 << bit;
      });
      this.beMask.push(be >>> 0);
      this.otherMask.push(other >>> 0);
    });
  }

  /** The task table the ledger reads (the simulator's, at the replay's start); usage starts at zero. */
  bind(tasks: TaskStore): void {
    this.tasks = tasks;
    this.usedReq.fill(0);
    this.usedLim.fill(0);
    this.usedPods.fill(0);
    this.refusal = QuotaRefusal.None;
  }

  /** Namespace index of a task, or -1 when its namespace has no quota. */
  namespaceOf(task: number): number {
    const job = this.tasks.job[task];
    if (job >= this.jobNs.length) this.growJobs(job + 1);
    let ns = this.jobNs[job];
    if (ns === -2) ns = this.resolveJob(job);
    return ns;
  }

  /** The quotas of namespace `ns` that select the task (bit i = the namespace's i-th quota). */
  matching(task: number, ns: number): number {
    const m = this.tasks.qos[task] === QosClass.BestEffort ? this.beMask[ns] : this.otherMask[ns];
    return (this.jobMask[this.tasks.job[task]] & m) >>> 0;
  }

  /** Would the pod fit every selecting quota now? On false, `refusal`, `refusedQuota`, `refusedBits` say why. */
  check(task: number, ns: number, mask: number): boolean {
    const ts = this.tasks;
    const D = this.D;
    const base = task * D;
    const list = this.nsQuotas[ns];
    // Constraints (pods.go Constraints): every selecting quota, before any usage.
    const missingReq = ts.missing[task] === 1;
    for (let i = 0; i < list.length; i++) {
      if (((mask >>> i) & 1) === 0) continue;
      const q = list[i];
      let bits = 0;
      for (let k = 0; k < 2; k++) {
        const d = k === 0 ? this.cpu : this.memory;
        if (d < 0) continue;
        if (missingReq && ts.request[base + d] === 0 && !Number.isNaN(this.hardReq[q * D + d])) bits |= 1 << d;
        if (Number.isNaN(ts.limit[base + d]) && !Number.isNaN(this.hardLim[q * D + d])) bits |= 1 << (D + d);
      }
      if (bits !== 0) return this.refuse(QuotaRefusal.MissingValue, q, bits);
    }
    // Usage (controller.go CheckRequest): resources the pod uses, against each quota in order.
    for (let i = 0; i < list.length; i++) {
      if (((mask >>> i) & 1) === 0) continue;
      const q = list[i];
      let bits = 0;
      const hp = this.hardPods[q];
      if (hp === hp && this.usedPods[q] + 1 > hp) bits |= 1 << this.podsBit;
      for (let d = 0; d < D; d++) {
        const r = ts.request[base + d];
        if (r > 0) {
          const h = this.hardReq[q * D + d];
          if (h === h && this.usedReq[q * D + d] + r > h) bits |= 1 << d;
        }
        const l = ts.limit[base + d];
        if (l > 0) {
          const h = this.hardLim[q * D + d];
          if (h === h && this.usedLim[q * D + d] + l > h) bits |= 1 << (D + d);
        }
      }
      if (bits !== 0) return this.refuse(QuotaRefusal.Exceeded, q, bits);
    }
    this.refusal = QuotaRefusal.None;
    return true;
  }

  /** Adds (sign 1) or removes (sign -1) the pod's usage in every quota of `mask`. */
  charge(task: number, ns: number, mask: number, sign: 1 | -1): void {
    const ts = this.tasks;
    const D = this.D;
    const base = task * D;
    const list = this.nsQuotas[ns];
    for (let i = 0; i < list.length; i++) {
      if (((mask >>> i) & 1) === 0) continue;
      const q = list[i];
      this.usedPods[q] += sign;
      for (let d = 0; d < D; d++) {
        this.usedReq[q * D + d] += sign * ts.request[base + d];
        const l = ts.limit[base + d];
        if (l > 0) this.usedLim[q * D + d] += sign * l;
      }
    }
  }

  /**
   * Can no pod whose requests and limits are at least `minReq` / `minLim` (per dimension; 0 = some
   * pod uses none) fit the quotas of `mask` now? Lets admission skip a whole group of waiting pods.
   */
  blocked(ns: number, mask: number, minReq: Float64Array, minLim: Float64Array): boolean {
    const D = this.D;
    const list = this.nsQuotas[ns];
    for (let i = 0; i < list.length; i++) {
      if (((mask >>> i) & 1) === 0) continue;
      const q = list[i];
      const hp = this.hardPods[q];
      if (hp === hp && this.usedPods[q] + 1 > hp) return true;
      for (let d = 0; d < D; d++) {
        const r = minReq[d];
        if (r > 0 && this.usedReq[q * D + d] + r > this.hardReq[q * D + d]) return true;
        const l = minLim[d];
        if (l > 0 && this.usedLim[q * D + d] + l > this.hardLim[q * D + d]) return true;
      }
    }
    return false;
  }

  /** The reason of the last refusal, without amounts (for counting): `exceeded quota: team-a/compute, requested: requests.cpu`. */
  reasonKey(): string {
    const code = (this.refusedQuota * 4 + this.refusal) * 2 ** 31 + this.refusedBits;
    let key = this.keyCache.get(code);
    if (key === undefined) {
      const name = this.qualifiedName(this.refusedQuota);
      const names = this.bitNames(this.refusedBits).join(',');
      key = this.refusal === QuotaRefusal.MissingValue ? `failed quota: ${name}: must specify ${names}` : `exceeded quota: ${name}, requested: ${names}`;
      this.keyCache.set(code, key);
    }
    return key;
  }

  /** Upstream's message for the last refusal of `task`, amounts included. */
  message(task: number): string {
    const q = this.refusedQuota;
    const name = this.quotas[q].name;
    if (this.refusal === QuotaRefusal.MissingValue) return `failed quota: ${name}: must specify ${this.bitNames(this.refusedBits).join(',')}`;
    const D = this.D;
    const units = this.workload.resources.units;
    const ts = this.tasks;
    const parts: Array<{ name: string; requested: string; used: string; hard: string }> = [];
    for (let b = 0; b <= this.podsBit; b++) {
      if (((this.refusedBits >>> b) & 1) === 0) continue;
      if (b === this.podsBit) {
        parts.push({ name: 'pods', requested: '1', used: quantityText(this.usedPods[q], 'pods'), hard: quantityText(this.hardPods[q], 'pods') });
        continue;
      }
      const lim = b >= D;
      const d = lim ? b - D : b;
      const unit = units[d];
      parts.push({
        name: this.resourceName(b),
        requested: quantityText(lim ? ts.limit[task * D + d] : ts.request[task * D + d], unit),
        used: quantityText(lim ? this.usedLim[q * D + d] : this.usedReq[q * D + d], unit),
        hard: quantityText(lim ? this.hardLim[q * D + d] : this.hardReq[q * D + d], unit),
      });
    }
    parts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const list = (k: 'requested' | 'used' | 'hard') => parts.map((p) => `${p.name}=${p[k]}`).join(',');
    return `exceeded quota: ${name}, requested: ${list('requested')}, used: ${list('used')}, limited: ${list('hard')}`;
  }

  /** `namespace/name` of a quota (its name alone when it already has a slash). */
  qualifiedName(q: number): string {
    const spec = this.quotas[q];
    return spec.name.includes('/') ? spec.name : `${spec.namespace}/${spec.name}`;
  }

  private refuse(kind: QuotaRefusal, quota: number, bits: number): false {
    this.refusal = kind;
    this.refusedQuota = quota;
    this.refusedBits = bits;
    return false;
  }

  /** The quota resource name of a bit: requests.<r>, limits.<r>, pods (GPUs as nvidia.com/gpu). */
  private resourceName(bit: number): string {
    if (bit === this.podsBit) return 'pods';
    const D = this.D;
    const d = bit >= D ? bit - D : bit;
    const n = this.workload.resources.names[d];
    return `${bit >= D ? 'limits' : 'requests'}.${n === 'gpu' ? 'nvidia.com/gpu' : n}`;
  }

  private bitNames(bits: number): string[] {
    const out: string[] = [];
    for (let b = 0; b <= this.podsBit; b++) if ((bits >>> b) & 1) out.push(this.resourceName(b));
    return out.sort();
  }

  private growJobs(n: number): void {
    const size = Math.max(n, this.jobNs.length * 2, 64);
    const ns = new Int32Array(size).fill(-2);
    ns.set(this.jobNs);
    const mask = new Uint32Array(size);
    mask.set(this.jobMask);
    this.jobNs = ns;
    this.jobMask = mask;
  }

  /** A job's namespace (its controller's, else its pods' constraints', else `default`) and the quotas its job-level facts select. */
  private resolveJob(job: number): number {
    const w = this.workload;
    const controller = w.controllers?.[job];
    const constraints = w.jobConstraints?.[job];
    const name = controller?.namespace ?? constraints?.namespace ?? 'default';
    const ns = this.nsIndex.get(name) ?? -1;
    this.jobNs[job] = ns;
    if (ns < 0) return ns;
    const terminating = controller?.activeDeadline !== undefined;
    const pc = constraints?.priorityClassName ?? '';
    let mask = 0;
    this.nsQuotas[ns].forEach((q, bit) => {
      const s = this.scopes[q];
      if (s.terminating === 1 && !terminating) return;
      if (s.terminating === 2 && terminating) return;
      if (s.pcOperator !== undefined && !priorityClassMatches(s.pcOperator, s.pcValues, pc)) return;
      mask |= 1 << bit;
    });
    this.jobMask[job] = mask >>> 0;
    return ns;
  }
}

function compileScopes(q: ResourceQuotaSpec): CompiledScopes {
  const scopes = q.scopes ?? [];
  const has = (s: string) => scopes.includes(s as never);
  return {
    qos: has('BestEffort') ? 1 : has('NotBestEffort') ? 2 : 0,
    terminating: has('Terminating') ? 1 : has('NotTerminating') ? 2 : 0,
    pcOperator: q.priorityClasses?.operator,
    pcValues: new Set(q.priorityClasses?.values ?? []),
  };
}

/**
 * A PriorityClass scope selector against a pod's priorityClassName ('' = none), as upstream's
 * podMatchesSelector evaluates it: the pod's labels are {PriorityClass: name} when it names one,
 * else empty, matched with label-selector semantics.
 */
export function priorityClassMatches(op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', values: ReadonlySet<string>, className: string): boolean {
  const has = className !== '';
  switch (op) {
    case 'In':
      return has && values.has(className);
    case 'NotIn':
      return !has || !values.has(className);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}
