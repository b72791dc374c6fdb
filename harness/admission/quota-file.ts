import { readFileSync, statSync } from 'node:fs';
import { isNode, isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { InputError, UsageError } from '../../model/errors.js';
import { BAND_NAMES, type BandName } from '../../model/priority-bands.js';
import type { ResourceSchema } from '../../model/resources.js';
import type { ResourceQuotaSpec } from '../../model/workload-controllers.js';
import { QUANTITY_EXPECTED } from '../../workloads/kubernetes/quantity.js';
import type { BorgQuotaEntry } from './borg-quota.js';
import { quantityInUnits, unitsPerQuantity } from './quantity-text.js';

/**
 * The `--quota FILE`: YAML (or JSON) with either or both of
 *
 * ```yaml
 * resourceQuotas:            # Kubernetes ResourceQuota (v1), flat or as the object itself
 *   - name: compute          # optional in the flat form (default quota-<n>)
 *     namespace: team-a      # default: default
 *     hard: { requests.cpu: "4", limits.memory: 8Gi, pods: 10 }
 *     scopes: [NotBestEffort]
 *     scopeSelector: { matchExpressions: [{ scopeName: PriorityClass, operator: In, values: [high] }] }
 *   - apiVersion: v1
 *     kind: ResourceQuota
 *     metadata: { name: batch, namespace: team-b }
 *     spec: { hard: { requests.nvidia.com/gpu: 4 } }
 * borgQuotas:                # Borg quota per user and band (borg-quota.ts)
 *   - { user: alice, band: production, cpu: 32, memory: 128Gi }
 *   - { user: "*", band: default, cpu: 8 }
 * ```
 *
 * Quantities are Kubernetes quantities (workloads/kubernetes/quantity.ts) in the resource's natural
 * unit — CPU in cores (`500m`, `4`), memory in bytes (`8Gi`), GPUs in devices, pods as a count —
 * read into the workload's units (quantity-text.ts). Google traces are normalized; their readers
 * scale them by `--machine-scale` (default a 1.0 machine = 32 cores and 128 GiB), so a Borg quota
 * of a quarter machine's CPU is `cpu: 8` there.
 *
 * Validated as the API server validates a ResourceQuota (pkg/apis/core/validation
 * ValidateResourceQuota): resource names must be quota resources; scopes and scope-selector
 * expressions known; BestEffort with NotBestEffort, or Terminating with NotTerminating,
 * conflict; BestEffort bounds only `pods`, the other scopes only `pods` and compute resources;
 * non-PriorityClass selector expressions use `Exists`; In / NotIn need values, Exists /
 * DoesNotExist none. Names Kubernetes accepts but the model does not track (services,
 * configmaps, storage, `count/...`, `limits.<extended>`) are counted in a note, not enforced.
 * A quota scoped to CrossNamespacePodAffinity or VolumeAttributesClass selects what the model
 * does not have: it is not applied (a warning in the notes), as the Kubernetes reader does. Not
 * modeled and refused: more than one PriorityClass expression in one quota. Every mistake: an
 * InputError naming the file, line and field.
 */
export interface QuotaFile {
  resourceQuotas: ResourceQuotaSpec[];
  /** The line of each resourceQuotas entry. */
  resourceQuotaLines: number[];
  borgQuotas: BorgQuotaEntry[];
  /** What was read but is not modeled, for Workload.notes. */
  notes: string[];
}

type Path = Array<string | number>;
type ScopeName = 'BestEffort' | 'NotBestEffort' | 'Terminating' | 'NotTerminating';
type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass'] as const;
/** Scopes that select what the model does not have (pods with cross-namespace affinity terms, volume claims): such a quota is not applied (noted), as the Kubernetes reader does. */
const UNMODELED_SCOPES = ['CrossNamespacePodAffinity', 'VolumeAttributesClass'];
const OPERATORS: readonly Operator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
/** helper.IsStandardQuotaResourceName, without the hugepages prefixes (checked apart). */
const STANDARD_QUOTA_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
]);
/** Resources a compute scope (Terminating, NotTerminating, NotBestEffort, PriorityClass) may bound. */
const COMPUTE_SCOPE_RESOURCES = new Set(['pods', 'cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);
const RESOURCE_NAMES_EXPECTED = 'a ResourceQuota resource name such as requests.cpu, requests.memory, limits.cpu, limits.memory, pods, requests.nvidia.com/gpu';
const FLAT_KEYS = ['name', 'namespace', 'hard', 'scopes', 'scopeSelector'];
const OBJECT_KEYS = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
const SPEC_KEYS = ['hard', 'scopes', 'scopeSelector'];

/** Reads `--quota FILE`. */
export function readQuotaFile(file: string, schema: ResourceSchema): QuotaFile {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new UsageError(`--quota: expected a file, got '${file}' (a folder)`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--quota: no such file '${file}'`);
  }
  return parseQuotaFile(text, file, schema);
}

/** Parses quota-file text read from `file` (named in messages) for a workload of `schema`. */
export function parseQuotaFile(text: string, file: string, schema: ResourceSchema): QuotaFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    throw new InputError({ file, pathAsGiven: true, line: lines.linePos(first.pos[0]).line, problem: `not valid YAML: ${first.message.split('\n')[0]}` });
  }
  return new QuotaFileReader(doc, lines, file, schema).read();
}

class QuotaFileReader {
  private readonly notModeled = new Map<string, number>();
  private readonly notes: string[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
    private readonly schema: ResourceSchema,
  ) {}

  read(): QuotaFile {
    const root = this.doc.toJS() as unknown;
    if (!isRecord(root)) this.fail([], 'a mapping with resourceQuotas and/or borgQuotas', root);
    const top = root as Record<string, unknown>;
    this.onlyKeys(top, [], ['resourceQuotas', 'borgQuotas']);
    if (top.resourceQuotas === undefined && top.borgQuotas === undefined) this.fail([], 'a mapping with resourceQuotas and/or borgQuotas', root);
    const out: QuotaFile = { resourceQuotas: [], resourceQuotaLines: [], borgQuotas: [], notes: this.notes };
    const seen = new Map<string, number>();
    this.list(top, 'resourceQuotas').forEach((item, i) => {
      const path: Path = ['resourceQuotas', i];
      const q = this.resourceQuota(item, path, i);
      if (q === undefined) return;
      const key = `${q.namespace}/${q.name}`;
      const line = this.lineOf(path);
      const prev = seen.get(key);
      if (prev !== undefined) this.problem(path, `ResourceQuota ${key} is given twice (first at line ${prev})`);
      seen.set(key, line);
      out.resourceQuotas.push(q);
      out.resourceQuotaLines.push(line);
    });
    const borgSeen = new Map<string, number>();
    this.list(top, 'borgQuotas').forEach((item, i) => {
      const path: Path = ['borgQuotas', i];
      const e = this.borgQuota(item, path);
      const key = `${e.user}/${e.band}`;
      const prev = borgSeen.get(key);
      if (prev !== undefined) this.problem(path, `the Borg quota of user ${e.user}, band ${e.band} is given twice (first at line ${prev})`);
      borgSeen.set(key, this.lineOf(path));
      out.borgQuotas.push(e);
    });
    if (this.list(top, 'resourceQuotas').length + this.list(top, 'borgQuotas').length === 0) this.problem([], 'holds no quota (resourceQuotas and borgQuotas are empty)');
    if (this.notModeled.size > 0) {
      const list = [...this.notModeled.entries()].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ');
      this.notes.push(`quota ${this.file}: hard limits Kubernetes accepts but schedlab does not track, not enforced: ${list}`);
    }
    return out;
  }

  /** One entry; undefined when it is valid but not applied (an unmodeled scope, noted). */
  private resourceQuota(item: unknown, path: Path, index: number): ResourceQuotaSpec | undefined {
    if (!isRecord(item)) this.fail(path, 'a ResourceQuota mapping (namespace, name, hard, scopes, scopeSelector)', item);
    const o = item as Record<string, unknown>;
    const objectForm = OBJECT_KEYS.some((k) => k in o);
    let name: string;
    let namespace: string;
    let spec: Record<string, unknown>;
    let specPath: Path;
    if (objectForm) {
      this.onlyKeys(o, path, OBJECT_KEYS);
      if (o.apiVersion !== undefined && o.apiVersion !== 'v1') this.fail([...path, 'apiVersion'], 'v1', o.apiVersion);
      if (o.kind !== undefined && o.kind !== 'ResourceQuota') this.fail([...path, 'kind'], 'ResourceQuota', o.kind);
      const meta = o.metadata;
      if (!isRecord(meta)) this.fail([...path, 'metadata'], 'a mapping with name and namespace', meta);
      const m = meta as Record<string, unknown>;
      name = this.string(m.name, [...path, 'metadata', 'name'], 'a ResourceQuota name');
      namespace = m.namespace === undefined ? 'default' : this.string(m.namespace, [...path, 'metadata', 'namespace'], 'a namespace name');
      if (o.spec === undefined) this.fail([...path, 'spec'], 'a spec with hard', undefined);
      if (!isRecord(o.spec)) this.fail([...path, 'spec'], 'a mapping (hard, scopes, scopeSelector)', o.spec);
      spec = o.spec as Record<string, unknown>;
      specPath = [...path, 'spec'];
      this.onlyKeys(spec, specPath, SPEC_KEYS);
      if (o.status !== undefined) this.notes.push(`quota ${this.file} line ${this.lineOf([...path, 'status'])}: status (observed usage) ignored; usage starts from the replay's pods`);
    } else {
      this.onlyKeys(o, path, FLAT_KEYS);
      name = o.name === undefined ? `quota-${index + 1}` : this.string(o.name, [...path, 'name'], 'a ResourceQuota name');
      namespace = o.namespace === undefined ? 'default' : this.string(o.namespace, [...path, 'namespace'], 'a namespace name');
      spec = o;
      specPath = path;
    }
    const D = this.schema.names.length;
    const q: ResourceQuotaSpec = { name, namespace, requests: new Array<number>(D).fill(NaN), limits: new Array<number>(D).fill(NaN), pods: NaN };
    const hardPath = [...specPath, 'hard'];
    if (spec.hard === undefined) this.fail(hardPath, 'a mapping of resource names to quantities (hard)', undefined);
    if (!isRecord(spec.hard)) this.fail(hardPath, 'a mapping of resource names to quantities', spec.hard);
    const hard = spec.hard as Record<string, unknown>;
    const standard: string[] = [];
    for (const [key, value] of Object.entries(hard)) {
      this.hardLimit(q, key, value, [...hardPath, key]);
      if (isStandardQuotaResource(key)) standard.push(key);
    }
    const scopes = new Set<string>();
    const scopePaths = new Map<string, Path>();
    if (spec.scopes !== undefined) {
      const sp = [...specPath, 'scopes'];
      if (!Array.isArray(spec.scopes)) this.fail(sp, `a list of scopes (${SCOPES.join(', ')})`, spec.scopes);
      (spec.scopes as unknown[]).forEach((s, i) => {
        if (typeof s !== 'string' || !(SCOPES as readonly string[]).includes(s)) this.fail([...sp, i], `a scope (${SCOPES.join(', ')})`, s);
        scopes.add(s as string);
        scopePaths.set(s as string, [...sp, i]);
      });
    }
    let priority: ResourceQuotaSpec['priorityClasses'];
    let priorityPath: Path | undefined;
    if (scopes.has('PriorityClass')) {
      priority = { operator: 'Exists', values: [] };
      priorityPath = scopePaths.get('PriorityClass');
    }
    if (spec.scopeSelector !== undefined) {
      const sp = [...specPath, 'scopeSelector'];
      if (!isRecord(spec.scopeSelector)) this.fail(sp, 'a mapping with matchExpressions', spec.scopeSelector);
      const sel = spec.scopeSelector as Record<string, unknown>;
      this.onlyKeys(sel, sp, ['matchExpressions']);
      const ep = [...sp, 'matchExpressions'];
      if (sel.matchExpressions !== undefined && !Array.isArray(sel.matchExpressions)) this.fail(ep, 'a list of {scopeName, operator, values}', sel.matchExpressions);
      ((sel.matchExpressions as unknown[] | undefined) ?? []).forEach((x, i) => {
        const xp = [...ep, i];
        if (!isRecord(x)) this.fail(xp, 'a mapping {scopeName, operator, values}', x);
        const e = x as Record<string, unknown>;
        this.onlyKeys(e, xp, ['scopeName', 'operator', 'values']);
        if (typeof e.scopeName !== 'string' || !(SCOPES as readonly string[]).includes(e.scopeName)) this.fail([...xp, 'scopeName'], `a scope (${SCOPES.join(', ')})`, e.scopeName);
        if (typeof e.operator !== 'string' || !(OPERATORS as readonly string[]).includes(e.operator)) this.fail([...xp, 'operator'], `an operator (${OPERATORS.join(', ')})`, e.operator);
        const scope = e.scopeName as string;
        const op = e.operator as Operator;
        const values = this.values(e.values, [...xp, 'values']);
        if (scope !== 'PriorityClass') {
          if (op !== 'Exists') this.fail([...xp, 'operator'], `Exists (the only operator for scope ${scope})`, op);
          if (values.length > 0) this.fail([...xp, 'values'], `no values (operator Exists)`, e.values);
          scopes.add(scope);
          scopePaths.set(scope, xp);
          return;
        }
        if ((op === 'In' || op === 'NotIn') && values.length === 0) this.fail([...xp, 'values'], `at least one PriorityClass name (operator ${op})`, e.values);
        if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) this.fail([...xp, 'values'], `no values (operator ${op})`, e.values);
        if (priority !== undefined) {
          this.problem(xp, `a second PriorityClass scope in one quota (first at line ${this.lineOf(priorityPath!)}) is not modeled; write one expression`);
        }
        priority = { operator: op, values };
        priorityPath = xp;
      });
    }
    for (const [a, b] of [
      ['BestEffort', 'NotBestEffort'],
      ['Terminating', 'NotTerminating'],
    ]) {
      if (scopes.has(a) && scopes.has(b)) this.problem(scopePaths.get(b)!, `conflicting scopes: ${a} and ${b}`);
    }
    const checkScope = (scope: string, where: Path) => {
      for (const r of standard) {
        const ok = scope === 'BestEffort' ? r === 'pods' : COMPUTE_SCOPE_RESOURCES.has(r);
        if (!ok) this.problem(where, `unsupported scope applied to resource: ${scope} cannot bound ${r}${scope === 'BestEffort' ? ' (only pods)' : ''}`);
      }
    };
    for (const s of scopes) checkScope(s, scopePaths.get(s)!);
    if (priority !== undefined && !scopes.has('PriorityClass')) checkScope('PriorityClass', priorityPath!);
    const unmodeled = UNMODELED_SCOPES.find((s) => scopes.has(s));
    if (unmodeled !== undefined) {
      this.notes.push(`warning: quota ${this.file} line ${this.lineOf(path)}: ResourceQuota ${namespace}/${name} is scoped to ${unmodeled}, which the model does not have: not applied`);
      return undefined;
    }
    const modelScopes = [...scopes].filter((s): s is ScopeName => s !== 'PriorityClass');
    if (modelScopes.length > 0) q.scopes = modelScopes;
    if (priority !== undefined) q.priorityClasses = priority;
    return q;
  }

  /** One `hard` entry into the quota (or a note when it is a resource the model does not track). */
  private hardLimit(q: ResourceQuotaSpec, key: string, value: unknown, path: Path): void {
    const dim = (n: string) => this.schema.names.indexOf(n);
    let target: { kind: 'requests' | 'limits' | 'pods'; d: number } | undefined;
    if (key === 'pods' || key === 'count/pods') target = { kind: 'pods', d: -1 };
    else if (key === 'cpu' || key === 'requests.cpu') target = { kind: 'requests', d: dim('cpu') };
    else if (key === 'memory' || key === 'requests.memory') target = { kind: 'requests', d: dim('memory') };
    else if (key === 'limits.cpu') target = { kind: 'limits', d: dim('cpu') };
    else if (key === 'limits.memory') target = { kind: 'limits', d: dim('memory') };
    else if (key.startsWith('requests.') && key.includes('/')) {
      const ext = key.slice('requests.'.length);
      const d = ext === 'nvidia.com/gpu' ? dim('gpu') : dim(ext);
      if (d < 0) {
        this.bump(`${key} (not a resource of this workload)`);
        this.quantity(value, path, 1);
        return;
      }
      target = { kind: 'requests', d };
    } else if (key.startsWith('limits.') && key.includes('/')) {
      this.bump(`${key} (extended resources are quota'd by requests. only)`);
      this.quantity(value, path, 1);
      return;
    } else if (isStandardQuotaResource(key) || key.includes('/')) {
      this.bump(key);
      this.quantity(value, path, 1);
      return;
    } else {
      this.fail(path, RESOURCE_NAMES_EXPECTED, key, 'resource name');
    }
    if (target.kind === 'pods') {
      q.pods = Math.min(Number.isNaN(q.pods) ? Infinity : q.pods, this.quantity(value, path, 1));
      return;
    }
    if (target.d < 0) {
      this.bump(`${key} (not a resource of this workload)`);
      this.quantity(value, path, 1);
      return;
    }
    const unit = this.schema.units[target.d];
    const per = unitsPerQuantity(unit);
    if (per === undefined) this.problem(path, `the workload's ${this.schema.names[target.d]} is in ${unit}, which has no Kubernetes quantity reading`);
    const v = this.quantity(value, path, per!);
    const arr = target.kind === 'requests' ? q.requests : q.limits;
    // `cpu` and `requests.cpu` both bound requests: the tighter one holds.
    arr[target.d] = Number.isNaN(arr[target.d]) ? v : Math.min(arr[target.d], v);
  }

  private borgQuota(item: unknown, path: Path): BorgQuotaEntry {
    const dims = this.schema.names.filter((n) => n !== 'pods');
    if (!isRecord(item)) this.fail(path, `a mapping {user, band, ${dims.join(', ')}}`, item);
    const o = item as Record<string, unknown>;
    this.onlyKeys(o, path, ['user', 'band', ...dims]);
    const user = this.string(o.user, [...path, 'user'], "a user name or '*'");
    const bands = [...BAND_NAMES, 'default'];
    if (typeof o.band !== 'string' || !bands.includes(o.band)) this.fail([...path, 'band'], `a band (${bands.join(', ')})`, o.band);
    const limit = new Array<number>(this.schema.names.length).fill(NaN);
    let any = false;
    for (const n of dims) {
      if (o[n] === undefined) continue;
      const d = this.schema.names.indexOf(n);
      const per = unitsPerQuantity(this.schema.units[d]);
      if (per === undefined) this.problem([...path, n], `the workload's ${n} is in ${this.schema.units[d]}, which has no Kubernetes quantity reading`);
      limit[d] = this.quantity(o[n], [...path, n], per!);
      any = true;
    }
    if (!any) this.problem(path, `a Borg quota needs at least one of ${dims.join(', ')}`);
    return { user, band: o.band as BandName | 'default', limit };
  }

  private quantity(value: unknown, path: Path, perUnit: number): number {
    if (typeof value !== 'string' && typeof value !== 'number') this.fail(path, QUANTITY_EXPECTED, value);
    const v = quantityInUnits(String(value), perUnit);
    if (v === null) this.fail(path, QUANTITY_EXPECTED, value);
    return v!;
  }

  private values(v: unknown, path: Path): string[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(path, 'a list of PriorityClass names', v);
    return (v as unknown[]).map((x, i) => this.string(x, [...path, i], 'a PriorityClass name'));
  }

  private string(v: unknown, path: Path, what: string): string {
    if (typeof v !== 'string' || v.trim() === '') this.fail(path, what, v);
    return (v as string).trim();
  }

  private list(top: Record<string, unknown>, key: string): unknown[] {
    const v = top[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail([key], `a list of ${key === 'borgQuotas' ? 'Borg quotas' : 'ResourceQuotas'}`, v);
    return v as unknown[];
  }

  private onlyKeys(o: Record<string, unknown>, path: Path, allowed: readonly string[]): void {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) this.fail([...path, k], `one of the keys ${allowed.join(', ')}`, k, 'key');
  }

  private bump(what: string): void {
    this.notModeled.set(what, (this.notModeled.get(what) ?? 0) + 1);
  }

  private fail(path: Path, expected: string, got: unknown, kind?: 'key' | 'resource name'): never {
    throw new InputError({ file: this.file, pathAsGiven: true, line: this.lineOf(path, kind !== undefined), field: fieldName(path) || undefined, expected, got: shown(got) });
  }

  private problem(path: Path, problem: string): never {
    throw new InputError({ file: this.file, pathAsGiven: true, line: this.lineOf(path), field: fieldName(path) || undefined, problem });
  }

  /** The 1-based line of the node at `path` (of its key when `key`), else of the nearest parent. */
  lineOf(path: Path, key = false): number {
    for (let p = path; ; p = p.slice(0, -1)) {
      const node = this.nodeAt(p, key && p === path);
      if (node?.range) return this.lines.linePos(node.range[0]).line;
      if (p.length === 0) return 1;
    }
  }

  private nodeAt(path: Path, key: boolean): { range?: [number, number, number] | null } | undefined {
    if (path.length === 0) return this.doc.contents ?? undefined;
    if (key) {
      const parent = path.length === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1), true);
      if (isMap(parent)) {
        const last = path[path.length - 1];
        const pair = parent.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(last));
        if (pair && isNode(pair.key)) return pair.key;
      }
    }
    const node = this.doc.getIn(path, true);
    return isNode(node) ? node : undefined;
  }
}

function isStandardQuotaResource(name: string): boolean {
  return STANDARD_QUOTA_RESOURCES.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function fieldName(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function shown(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? 'a list' : 'a mapping';
}
