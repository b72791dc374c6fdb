import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseLocatedYaml, shown } from '../located-yaml.js';
import { UsageError } from '../../model/errors.js';
import type { Taint } from '../../model/placement-constraints.js';
import { isQualifiedName, isValidLabelValue } from '../../model/labels.js';

/**
 * The node groups an autoscaler may grow and shrink (`--node-groups FILE|inline`), as the user
 * wrote them. A group is what the cluster autoscaler calls a node group (an AWS Auto Scaling
 * group, a GCE managed instance group: identical machines of one instance type, labels and taints,
 * between a min and a max size; kubernetes/autoscaler cluster-autoscaler/FAQ.md "How does scale-up
 * work?") and what Karpenter calls a NodePool (a set of allowed instance types, labels, taints and
 * limits; karpenter.sh docs, concepts/nodepools).
 *
 * File (YAML or JSON): `groups: [{ name, instanceType | instanceTypes, min, max, zone?, labels?, taints? }]`
 * (or the list alone). Inline: `name=a,instance=m5.2xlarge,min=0,max=10,zone=us-east-1a;name=b,...`
 * (`instanceType` is the same key; `instances=a|b` for several types; labels and taints only in a file).
 *
 * Rules (each mistake a one-line UsageError naming the file, line and field, or the option):
 * name a DNS label (lower-case alphanumerics and '-', ≤ 63), unique; `min` a whole number ≥ 0
 * (default 0), `max` a whole number ≥ min (required: the upper bound of every node group); one
 * instance type, or a list (Karpenter mode; the cluster autoscaler needs exactly one); a group
 * with neither may use any catalog instance type (Karpenter's NodePool without an instance-type
 * requirement) and is refused in cluster-autoscaler mode (autoscaler-config.ts).
 */
export interface NodeGroupSpec {
  name: string;
  /** Allowed instance types as written; empty = any catalog type (Karpenter only). */
  instanceTypes: string[];
  min: number;
  max: number;
  /** topology.kubernetes.io/zone of its nodes; absent = nodes carry no zone label. */
  zone?: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** Where it was written, for later messages: `groups.yaml line 3 (groups[0])` or `--node-groups group 1`. */
  where: string;
  /** Where its instance types were written (checked against the catalog later). */
  instanceTypesWhere: string;
}

/** Most nodes one group may have: a sanity bound against typos, as --nodes. */
export const MAX_GROUP_SIZE = 1_000_000;

const FILE_KEYS = ['name', 'instanceType', 'instanceTypes', 'min', 'max', 'zone', 'labels', 'taints'] as const;
const INLINE_KEYS = ['name', 'instance', 'instanceType', 'instances', 'min', 'max', 'zone'] as const;
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `--node-groups` text: an existing file, else inline groups (it must then contain '='). */
export function readNodeGroups(text: string): NodeGroupSpec[] {
  const given = text.trim();
  if (given === '') throw new UsageError(`--node-groups: expected a file or groups such as 'name=a,instance=m5.2xlarge,min=0,max=10'`);
  if (existsSync(given)) {
    if (!statSync(given).isFile()) throw new UsageError(`--node-groups: expected a file, got '${given}' (a folder)`);
    return parseNodeGroupsFile(readFileSync(given, 'utf8'), given);
  }
  if (!given.includes('=')) throw new UsageError(`--node-groups: no such file '${given}' (inline groups look like 'name=a,instance=m5.2xlarge,min=0,max=10')`);
  return parseInlineNodeGroups(given);
}

/** Inline groups: `;` between groups, `,` between `key=value` pairs. */
export function parseInlineNodeGroups(text: string): NodeGroupSpec[] {
  const out: NodeGroupSpec[] = [];
  const parts = text.split(';').map((s) => s.trim()).filter((s) => s !== '');
  parts.forEach((part, i) => {
    const where = `--node-groups group ${i + 1}`;
    const fail = (what: string): never => {
      throw new UsageError(`${where}: ${what}`);
    };
    const kv = new Map<string, string>();
    for (const pair of part.split(',')) {
      if (pair.trim() === '') continue;
      const at = pair.indexOf('=');
      if (at < 0) fail(`malformed pair '${pair.trim()}', expected key=value with key one of ${INLINE_KEYS.join(', ')}`);
      const key = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (!(INLINE_KEYS as readonly string[]).includes(key)) fail(`unknown key '${key}'; expected one of ${INLINE_KEYS.join(', ')}`);
      if (kv.has(key)) fail(`${key} is given twice`);
      kv.set(key, value);
    }
    if (kv.has('instance') && kv.has('instanceType')) fail(`instance and instanceType are the same key: give one`);
    if (kv.has('instanceType')) kv.set('instance', kv.get('instanceType')!);
    if (kv.has('instance') && kv.has('instances')) fail(`give instance or instances, not both`);
    const raw: Record<string, unknown> = {
      name: kv.get('name'),
      min: kv.has('min') ? wholeText(kv.get('min')!) : undefined,
      max: kv.has('max') ? wholeText(kv.get('max')!) : undefined,
      zone: kv.get('zone'),
    };
    if (kv.has('instance')) raw.instanceType = kv.get('instance');
    if (kv.has('instances')) raw.instanceTypes = kv.get('instances')!.split('|').map((s) => s.trim());
    out.push(checkGroup(raw, (field) => `${where} (${inlineName(field)})`, where));
  });
  if (out.length === 0) throw new UsageError(`--node-groups: no group given`);
  checkUnique(out);
  return out;
}

/** A node-groups file (YAML, or JSON which is YAML): `groups:` and a list of groups. */
export function parseNodeGroupsFile(text: string, file: string): NodeGroupSpec[] {
  const { raw, locate } = parseLocatedYaml(text, file);
  // `groups: [...]`, or the list itself.
  const bare = Array.isArray(raw);
  if (!bare && (raw === null || typeof raw !== 'object')) throw new UsageError(`${locate([])}: expected a mapping with 'groups:' and a list of node groups`);
  const obj = raw as Record<string, unknown>;
  if (!bare) for (const k of Object.keys(obj)) if (k !== 'groups') throw new UsageError(`${locate([k])}: unknown key '${k}'; expected groups`);
  const groups = bare ? raw : obj.groups;
  if (!Array.isArray(groups) || groups.length === 0) throw new UsageError(`${locate(bare ? [] : ['groups'])}: expected a non-empty list of node groups`);
  const out = groups.map((g, i) => {
    const path = bare ? [i] : ['groups', i];
    if (g === null || typeof g !== 'object' || Array.isArray(g)) throw new UsageError(`${locate(path)}: expected a mapping of ${FILE_KEYS.join(', ')}`);
    for (const k of Object.keys(g as object)) {
      if (!(FILE_KEYS as readonly string[]).includes(k)) throw new UsageError(`${locate([...path, k])}: unknown key '${k}'; expected one of ${FILE_KEYS.join(', ')}`);
    }
    return checkGroup(g as Record<string, unknown>, (field) => locate([...path, ...field]), locate(path));
  });
  checkUnique(out);
  return out;
}

/** Checks one group's fields; `at(field)` names the field ('' = the group) for messages. */
function checkGroup(g: Record<string, unknown>, at: (field: Field) => string, where: string): NodeGroupSpec {
  const fail = (field: Field | string, what: string): never => {
    throw new UsageError(`${at(typeof field === 'string' ? [field] : field)}: ${what}`);
  };
  const name = g.name;
  if (typeof name !== 'string' || name === '') fail('name', `required: a name such as 'general' (lower-case letters, digits and '-')`);
  if (!DNS_LABEL.test(name as string) || (name as string).length > 63) {
    fail('name', `expected a DNS label (lower-case letters, digits and '-', at most 63, alphanumeric at both ends), got '${String(name)}'`);
  }
  const whole = (field: 'min' | 'max', v: unknown): number => {
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(field, `expected a whole number from 0 to ${MAX_GROUP_SIZE.toLocaleString('en-US')}, got ${shown(v)}`);
    if ((v as number) < 0) fail(field, `must not be negative, got ${v as number}`);
    if ((v as number) > MAX_GROUP_SIZE) fail(field, `at most ${MAX_GROUP_SIZE.toLocaleString('en-US')}, got ${v as number}`);
    return v as number;
  };
  const min = g.min === undefined || g.min === null ? 0 : whole('min', g.min);
  if (g.max === undefined || g.max === null) fail('max', `required: the most nodes the group may have`);
  const max = whole('max', g.max);
  if (min > max) fail('min', `min ${min} is greater than max ${max}`);
  let instanceTypes: string[] = [];
  if (g.instanceType !== undefined && g.instanceTypes !== undefined) fail('instanceType', `give instanceType or instanceTypes, not both`);
  if (g.instanceType !== undefined) {
    if (typeof g.instanceType !== 'string' || g.instanceType.trim() === '') fail('instanceType', `expected an instance type name such as m5.2xlarge, got ${shown(g.instanceType)}`);
    instanceTypes = [(g.instanceType as string).trim()];
  } else if (g.instanceTypes !== undefined) {
    if (!Array.isArray(g.instanceTypes) || g.instanceTypes.length === 0) fail('instanceTypes', `expected a non-empty list of instance type names`);
    instanceTypes = (g.instanceTypes as unknown[]).map((t, i) => {
      if (typeof t !== 'string' || t.trim() === '') fail(['instanceTypes', i], `expected an instance type name such as m5.2xlarge, got ${shown(t)}`);
      return (t as string).trim();
    });
    const dup = instanceTypes.find((t, i) => instanceTypes.indexOf(t) !== i);
    if (dup !== undefined) fail('instanceTypes', `'${dup}' is listed twice`);
  }
  let zone: string | undefined;
  if (g.zone !== undefined && g.zone !== null) {
    if (typeof g.zone !== 'string' || g.zone === '' || !isValidLabelValue(g.zone)) fail('zone', `expected a zone name such as us-east-1a (a label value), got ${shown(g.zone)}`);
    zone = g.zone as string;
  }
  const labels: Record<string, string> = {};
  if (g.labels !== undefined && g.labels !== null) {
    if (typeof g.labels !== 'object' || Array.isArray(g.labels)) fail('labels', `expected a mapping of label keys to values`);
    for (const [k, v] of Object.entries(g.labels as Record<string, unknown>)) {
      if (!isQualifiedName(k)) fail(['labels', k], `'${k}' is not a valid label key ([prefix/]name)`);
      const value = typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
      if (typeof value !== 'string' || !isValidLabelValue(value)) fail(['labels', k], `expected a label value (≤ 63 alphanumerics, '-', '_', '.'), got ${shown(v)}`);
      labels[k] = value as string;
    }
  }
  const taints: Taint[] = [];
  if (g.taints !== undefined && g.taints !== null) {
    if (!Array.isArray(g.taints)) fail('taints', `expected a list of taints {key, value?, effect}`);
    (g.taints as unknown[]).forEach((t, i) => {
      const f: Field = ['taints', i];
      if (t === null || typeof t !== 'object' || Array.isArray(t)) fail(f, `expected a taint {key, value?, effect}`);
      const taint = t as Record<string, unknown>;
      for (const k of Object.keys(taint)) if (!['key', 'value', 'effect'].includes(k)) fail([...f, k], `unknown key '${k}'; expected key, value, effect`);
      if (typeof taint.key !== 'string' || !isQualifiedName(taint.key)) fail([...f, 'key'], `expected a taint key ([prefix/]name), got ${shown(taint.key)}`);
      if (taint.value !== undefined && (typeof taint.value !== 'string' || !isValidLabelValue(taint.value))) fail([...f, 'value'], `expected a label value, got ${shown(taint.value)}`);
      if (typeof taint.effect !== 'string' || !(EFFECTS as readonly string[]).includes(taint.effect)) fail([...f, 'effect'], `expected one of ${EFFECTS.join(', ')}, got ${shown(taint.effect)}`);
      taints.push({ key: taint.key as string, ...(taint.value !== undefined ? { value: taint.value as string } : {}), effect: taint.effect as Taint['effect'] });
    });
  }
  const instanceTypesWhere = at([g.instanceTypes !== undefined ? 'instanceTypes' : 'instanceType']);
  return { name: name as string, instanceTypes, min, max, zone, labels, taints, where, instanceTypesWhere };
}

function checkUnique(groups: NodeGroupSpec[]): void {
  const seen = new Map<string, NodeGroupSpec>();
  for (const g of groups) {
    const before = seen.get(g.name);
    if (before) throw new UsageError(`${g.where}: duplicate group name '${g.name}' (also ${before.where})`);
    seen.set(g.name, g);
  }
}

/** An inline number: the text if it is a whole number, else the text itself (the check names it). */
function wholeText(s: string): number | string {
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

function inlineName(field: Field): string {
  const f = String(field[0]);
  return f === 'instanceType' ? 'instance' : f === 'instanceTypes' ? 'instances' : f;
}

/** A field of a group: its key, then list indices or map keys below it. */
type Field = ReadonlyArray<string | number>;



