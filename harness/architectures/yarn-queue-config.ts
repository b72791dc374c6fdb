import { readFileSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import { UsageError } from '../../model/errors.js';

/**
 * YARN queue configurations, read from the two XML shapes clusters already have:
 * - **capacity-scheduler.xml** (`<configuration><property><name>…</name><value>…</value>`), keys
 *   `yarn.scheduler.capacity.<queue-path>.{queues,capacity,maximum-capacity,user-limit-factor,
 *   minimum-user-limit-percent,state}` and `yarn.scheduler.capacity.queue-mappings` (Apache Hadoop
 *   docs, "Hadoop: Capacity Scheduler", YARN 3.x). Capacities are percentages of the parent and the
 *   children of one parent must sum to 100; maximum-capacity -1 means 100.
 * - **fair-scheduler.xml** (`<allocations>`), `<queue name>` elements (nested) with `<weight>`,
 *   `<minResources>`, `<maxResources>` ("X mb, Y vcores" or "N%"), `<fairSharePreemptionTimeout>`,
 *   `<minSharePreemptionTimeout>` (seconds), `<fairSharePreemptionThreshold>`, the
 *   `default…` top-level forms, and `<queuePlacementPolicy>` rules (Apache Hadoop docs, "Hadoop:
 *   Fair Scheduler"). Preemption timeouts default to never (Long.MAX_VALUE upstream), the
 *   threshold to 0.5; a queue inherits its parent's preemption settings.
 * Errors are UsageErrors naming file, line, field and what was expected. Elements and keys the
 * simulator does not model are listed in `ignored` (shown in the results), never dropped silently.
 */

/** A resource amount as the fair scheduler writes it: absolute (mb, vcores) or a percentage of the cluster. */
export interface ResourceAmount {
  mb?: number;
  vcores?: number;
  /** Percent of the cluster in every dimension. */
  percent?: number;
}

interface QueueBase {
  /** Full path, e.g. root.a.b. */
  path: string;
  name: string;
  /** Index of the parent queue; -1 for root. */
  parent: number;
  children: number[];
  /** Line of the queue's declaration (0 for the built-in default). */
  line: number;
}

export interface CapacityQueue extends QueueBase {
  /** Percent of the parent. */
  capacity: number;
  maxCapacity: number;
  /** Fractions of the cluster: product of the capacities (maximum capacities) along the path. */
  absCapacity: number;
  absMaxCapacity: number;
  /** Multiple of the queue's capacity one user may take; -1 = no limit. */
  userLimitFactor: number;
  minimumUserLimitPercent: number;
  stopped: boolean;
}

export interface QueueMapping {
  kind: 'u' | 'g';
  /** A user (group) name or %user. */
  source: string;
  /** A queue name or path, %user, %primary_group, %secondary_group, or parent.%user. */
  queue: string;
  line: number;
}

export interface CapacitySchedulerConfig {
  type: 'capacity';
  file: string;
  queues: CapacityQueue[];
  mappings: QueueMapping[];
  ignored: string[];
}

export interface FairQueue extends QueueBase {
  weight: number;
  minResources?: ResourceAmount;
  maxResources?: ResourceAmount;
  /** Seconds; Infinity = never. */
  fairSharePreemptionTimeout: number;
  minSharePreemptionTimeout: number;
  fairSharePreemptionThreshold: number;
}

export const PLACEMENT_RULES = ['specified', 'user', 'primaryGroup', 'secondaryGroupExistingQueue', 'nestedUserQueue', 'default', 'reject'] as const;
export type PlacementRuleName = (typeof PLACEMENT_RULES)[number];

export interface PlacementRule {
  name: PlacementRuleName;
  /** The default rule's queue (default root.default). */
  queue?: string;
  /** Create the queue when missing (upstream default true). */
  create: boolean;
  line: number;
}

export interface FairSchedulerConfig {
  type: 'fair';
  file: string;
  queues: FairQueue[];
  /** Empty = no <queuePlacementPolicy>. */
  rules: PlacementRule[];
  ignored: string[];
}

export type YarnQueueConfig = CapacitySchedulerConfig | FairSchedulerConfig;

/** An XML element with its 1-based line. */
interface Element {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
  text: string;
  line: number;
}

function parseXml(file: string, text: string): Element {
  const p = new SaxesParser();
  const root: Element = { name: '', attrs: {}, children: [], text: '', line: 0 };
  const stack: Element[] = [root];
  let failure: string | undefined;
  p.on('error', (e) => {
    failure ??= `${file} line ${p.line}: not well-formed XML (${e.message.replace(/^\d+:\d+: /, '')})`;
  });
  p.on('opentag', (t) => {
    const el: Element = { name: t.name, attrs: t.attributes as Record<string, string>, children: [], text: '', line: p.line };
    stack[stack.length - 1].children.push(el);
    stack.push(el);
  });
  p.on('text', (s) => {
    stack[stack.length - 1].text += s;
  });
  p.on('cdata', (s) => {
    stack[stack.length - 1].text += s;
  });
  p.on('closetag', () => {
    stack.pop();
  });
  p.write(text);
  p.close();
  if (failure !== undefined) throw new UsageError(failure);
  if (root.children.length !== 1) throw new UsageError(`${file}: expected one root element, found ${root.children.length}`);
  return root.children[0];
}

function num(file: string, line: number, field: string, s: string, expected: string, ok: (v: number) => boolean): number {
  const t = s.trim();
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v) || !ok(v)) throw new UsageError(`${file} line ${line} (${field}): expected ${expected}, got ${JSON.stringify(t)}`);
  return v;
}

/** Reads `file`: a capacity-scheduler.xml (root <configuration>) or a fair-scheduler.xml (root <allocations>). */
export function readYarnQueueConfig(file: string): YarnQueueConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--queue-config ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseYarnQueueConfig(file, text);
}

export function parseYarnQueueConfig(file: string, text: string): YarnQueueConfig {
  const root = parseXml(file, text);
  if (root.name === 'configuration') return parseCapacity(file, root);
  if (root.name === 'allocations') return parseFair(file, root);
  throw new UsageError(`${file} line ${root.line}: expected a <configuration> (capacity-scheduler.xml) or <allocations> (fair-scheduler.xml) root element, got <${root.name}>`);
}

/** No config: one leaf per job kind at 50 % each, elastic to 100 %; users may take the whole queue's reach (user-limit-factor 2). */
export function defaultCapacityConfig(): CapacitySchedulerConfig {
  const q = (path: string, parent: number, capacity: number): CapacityQueue => ({
    path, name: path.split('.').pop()!, parent, children: [], line: 0, capacity, maxCapacity: 100,
    absCapacity: capacity / 100, absMaxCapacity: 1, userLimitFactor: parent < 0 ? 1 : 2, minimumUserLimitPercent: 100, stopped: false,
  });
  const queues = [q('root', -1, 100), q('root.batch', 0, 50), q('root.service', 0, 50)];
  queues[0].children = [1, 2];
  return { type: 'capacity', file: '(built-in default)', queues, mappings: [], ignored: [] };
}

const PREFIX = 'yarn.scheduler.capacity.';
const PER_QUEUE = ['queues', 'capacity', 'maximum-capacity', 'user-limit-factor', 'minimum-user-limit-percent', 'state'];

function parseCapacity(file: string, root: Element): CapacitySchedulerConfig {
  const props = new Map<string, { value: string; line: number }>();
  for (const p of root.children) {
    if (p.name !== 'property') continue;
    const name = p.children.find((c) => c.name === 'name');
    const value = p.children.find((c) => c.name === 'value');
    if (name === undefined) throw new UsageError(`${file} line ${p.line} (property): expected a <name>`);
    props.set(name.text.trim(), { value: value?.text.trim() ?? '', line: value?.line ?? name.line });
  }
  const queues: CapacityQueue[] = [];
  const used = new Set<string>();
  const get = (key: string) => {
    used.add(key);
    return props.get(key);
  };
  const declare = (path: string, parent: number, line: number): number => {
    const i = queues.length;
    const cap = get(`${PREFIX}${path}.capacity`);
    const max = get(`${PREFIX}${path}.maximum-capacity`);
    const ulf = get(`${PREFIX}${path}.user-limit-factor`);
    const mulp = get(`${PREFIX}${path}.minimum-user-limit-percent`);
    const state = get(`${PREFIX}${path}.state`);
    const f = (key: string) => `${PREFIX}${path}.${key}`;
    const percent = (e: { value: string; line: number }, key: string) => {
      if (e.value.startsWith('[')) throw new UsageError(`${file} line ${e.line} (${f(key)}): absolute resources are not supported; expected a percentage 0–100, got ${JSON.stringify(e.value)}`);
      return num(file, e.line, f(key), e.value, 'a percentage 0–100', (v) => v >= 0 && v <= 100);
    };
    const capacity = parent < 0 ? 100 : cap === undefined ? 0 : percent(cap, 'capacity');
    let maxCapacity = 100;
    if (max !== undefined && max.value.trim() !== '-1') {
      maxCapacity = percent(max, 'maximum-capacity');
      if (maxCapacity < capacity) throw new UsageError(`${file} line ${max.line} (${f('maximum-capacity')}): expected at least the queue's capacity ${capacity}, got ${maxCapacity}`);
    }
    const userLimitFactor = ulf === undefined ? 1 : num(file, ulf.line, f('user-limit-factor'), ulf.value, 'a number > 0 (or -1: no limit)', (v) => v > 0 || v === -1);
    const minimumUserLimitPercent = mulp === undefined ? 100 : num(file, mulp.line, f('minimum-user-limit-percent'), mulp.value, 'a percentage in (0, 100]', (v) => v > 0 && v <= 100);
    let stopped = false;
    if (state !== undefined) {
      if (state.value !== 'RUNNING' && state.value !== 'STOPPED') throw new UsageError(`${file} line ${state.line} (${f('state')}): expected RUNNING or STOPPED, got ${JSON.stringify(state.value)}`);
      stopped = state.value === 'STOPPED';
    }
    const p = parent < 0 ? undefined : queues[parent];
    queues.push({
      path, name: path.split('.').pop()!, parent, children: [], line: cap?.line ?? line, capacity, maxCapacity,
      absCapacity: (p?.absCapacity ?? 1) * (capacity / 100), absMaxCapacity: (p?.absMaxCapacity ?? 1) * (maxCapacity / 100),
      userLimitFactor, minimumUserLimitPercent, stopped: stopped || (p?.stopped ?? false),
    });
    if (p !== undefined) p.children.push(i);
    const kids = get(`${PREFIX}${path}.queues`);
    if (kids !== undefined) {
      const names = kids.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const seen = new Set<string>();
      let sum = 0;
      for (const n of names) {
        if (seen.has(n) || n.includes('.')) throw new UsageError(`${file} line ${kids.line} (${PREFIX}${path}.queues): expected distinct queue names without '.', got ${JSON.stringify(n)}`);
        seen.add(n);
        const c = declare(`${path}.${n}`, i, kids.line);
        sum += queues[c].capacity;
        if (sum > 100 + 1e-6) {
          throw new UsageError(`${file} line ${queues[c].line} (${PREFIX}${path}.${n}.capacity): capacities of ${path}'s children sum to ${round(sum)} by queue ${path}.${n}; expected 100`);
        }
      }
      if (names.length > 0 && Math.abs(sum - 100) > 1e-6) {
        throw new UsageError(`${file} line ${kids.line} (${PREFIX}${path}.queues): capacities of ${path}'s children sum to ${round(sum)}; expected 100`);
      }
    }
    return i;
  };
  if (!props.has(`${PREFIX}root.queues`)) throw new UsageError(`${file}: expected a property ${PREFIX}root.queues listing the top-level queues`);
  declare('root', -1, 0);
  // A per-queue key for a queue never declared is a typo or a stale entry: say so rather than ignore it.
  const ignored: string[] = [];
  for (const [key, e] of props) {
    if (used.has(key) || !key.startsWith(PREFIX)) continue;
    const suffix = key.slice(key.lastIndexOf('.') + 1);
    if (key.startsWith(`${PREFIX}root.`) && PER_QUEUE.includes(suffix)) {
      throw new UsageError(`${file} line ${e.line} (${key}): queue ${key.slice(PREFIX.length, key.length - suffix.length - 1)} is not declared in any .queues list`);
    }
    if (key !== `${PREFIX}queue-mappings`) ignored.push(key);
  }
  const mappings: QueueMapping[] = [];
  const m = get(`${PREFIX}queue-mappings`);
  if (m !== undefined) {
    for (const entry of m.value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      const parts = entry.split(':');
      if (parts.length !== 3 || (parts[0] !== 'u' && parts[0] !== 'g') || parts[1] === '' || parts[2] === '') {
        throw new UsageError(`${file} line ${m.line} (${PREFIX}queue-mappings): expected entries u:user:queue or g:group:queue, got ${JSON.stringify(entry)}`);
      }
      const queue = parts[2];
      if (!queue.includes('%')) {
        const q = findQueue(queues, queue);
        if (q < 0 || queues[q].children.length > 0) {
          throw new UsageError(`${file} line ${m.line} (${PREFIX}queue-mappings): unknown mapping target ${JSON.stringify(queue)} in ${JSON.stringify(entry)}; expected a leaf queue`);
        }
      }
      mappings.push({ kind: parts[0] as 'u' | 'g', source: parts[1], queue, line: m.line });
    }
  }
  return { type: 'capacity', file, queues, mappings, ignored };
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/**
 * A queue by full path (root.a.b), path without root (a.b), or unique leaf name; -1 = none.
 * A leaf name two queues share is ambiguous: UsageError (upstream requires unique leaf names for mappings).
 */
export function findQueue(queues: readonly QueueBase[], name: string, file?: string): number {
  const full = name === 'root' || name.startsWith('root.') ? name : `root.${name}`;
  const byPath = queues.findIndex((q) => q.path === full);
  if (byPath >= 0 || name.includes('.')) return byPath;
  let found = -1;
  for (let i = 0; i < queues.length; i++) {
    if (queues[i].name !== name || queues[i].children.length > 0) continue;
    if (found >= 0) throw new UsageError(`${file ?? 'queue config'}: leaf name ${JSON.stringify(name)} is ambiguous (${queues[found].path}, ${queues[i].path}); use the full path`);
    found = i;
  }
  return found;
}

const FAIR_MODELED_IN_QUEUE = ['queue', 'pool', 'weight', 'minResources', 'maxResources', 'fairSharePreemptionTimeout', 'minSharePreemptionTimeout', 'fairSharePreemptionThreshold'];

/** "X mb, Y vcores" (either order, either part optional), "memory-mb=X, vcores=Y", or "N%". */
export function parseResourceAmount(file: string, line: number, field: string, s: string): ResourceAmount {
  const t = s.trim();
  const bad = () => new UsageError(`${file} line ${line} (${field}): expected "X mb, Y vcores" or "N%", got ${JSON.stringify(t)}`);
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (pct) {
    const v = Number(pct[1]);
    if (v > 100) throw bad();
    return { percent: v };
  }
  const out: ResourceAmount = {};
  const parts = t.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) throw bad();
  for (const p of parts) {
    const m = /^(\d+(?:\.\d+)?)\s*(mb|vcores)$/i.exec(p) ?? /^(memory-mb|vcores)\s*=\s*(\d+(?:\.\d+)?)$/i.exec(p);
    if (!m) throw bad();
    const [value, unit] = /^\d/.test(m[1]) ? [Number(m[1]), m[2].toLowerCase()] : [Number(m[2]), m[1].toLowerCase()];
    if (unit === 'vcores') out.vcores = value;
    else out.mb = value;
  }
  return out;
}

function parseFair(file: string, root: Element): FairSchedulerConfig {
  const ignored: string[] = [];
  const defaults = { fair: Infinity, min: Infinity, threshold: 0.5 };
  const seconds = (e: Element) => num(file, e.line, e.name, e.text, 'a number of seconds ≥ 0', (v) => v >= 0);
  const threshold = (e: Element) => num(file, e.line, e.name, e.text, 'a number in [0, 1]', (v) => v >= 0 && v <= 1);
  for (const e of root.children) {
    if (e.name === 'defaultFairSharePreemptionTimeout' || e.name === 'fairSharePreemptionTimeout') defaults.fair = seconds(e);
    else if (e.name === 'defaultMinSharePreemptionTimeout') defaults.min = seconds(e);
    else if (e.name === 'defaultFairSharePreemptionThreshold') defaults.threshold = threshold(e);
  }
  const queues: FairQueue[] = [{
    path: 'root', name: 'root', parent: -1, children: [], line: root.line, weight: 1,
    fairSharePreemptionTimeout: defaults.fair, minSharePreemptionTimeout: defaults.min, fairSharePreemptionThreshold: defaults.threshold,
  }];
  const fill = (i: number, el: Element) => {
    const q = queues[i];
    for (const c of el.children) {
      switch (c.name) {
        case 'queue':
        case 'pool':
          declare(c, i);
          break;
        case 'weight':
          q.weight = num(file, c.line, `${q.path} weight`, c.text, 'a number > 0', (v) => v > 0);
          break;
        case 'minResources':
          q.minResources = parseResourceAmount(file, c.line, `${q.path} minResources`, c.text);
          break;
        case 'maxResources':
          q.maxResources = parseResourceAmount(file, c.line, `${q.path} maxResources`, c.text);
          break;
        case 'fairSharePreemptionTimeout':
          q.fairSharePreemptionTimeout = seconds(c);
          break;
        case 'minSharePreemptionTimeout':
          q.minSharePreemptionTimeout = seconds(c);
          break;
        case 'fairSharePreemptionThreshold':
          q.fairSharePreemptionThreshold = threshold(c);
          break;
        default:
          if (!FAIR_MODELED_IN_QUEUE.includes(c.name)) ignored.push(`${q.path} <${c.name}> (line ${c.line})`);
      }
    }
  };
  const declare = (el: Element, parent: number) => {
    const name = el.attrs.name;
    if (name === undefined || name === '' || name.includes('.')) throw new UsageError(`${file} line ${el.line} (<${el.name}> name): expected a queue name without '.', got ${JSON.stringify(name ?? '')}`);
    const p = queues[parent];
    if (parent === 0 && name === 'root') {
      fill(0, el);
      return;
    }
    const path = `${p.path}.${name}`;
    if (queues.some((q) => q.path === path)) throw new UsageError(`${file} line ${el.line} (<${el.name}> name): queue ${path} is declared twice`);
    const i = queues.length;
    // Preemption settings are inherited from the parent until the queue sets its own (upstream AllocationConfiguration).
    queues.push({
      path, name, parent, children: [], line: el.line, weight: 1,
      fairSharePreemptionTimeout: p.fairSharePreemptionTimeout, minSharePreemptionTimeout: p.minSharePreemptionTimeout, fairSharePreemptionThreshold: p.fairSharePreemptionThreshold,
    });
    p.children.push(i);
    fill(i, el);
  };
  const rules: PlacementRule[] = [];
  for (const e of root.children) {
    if (e.name === 'queue' || e.name === 'pool') declare(e, 0);
    else if (e.name === 'queuePlacementPolicy') {
      for (const r of e.children) {
        if (r.name !== 'rule') throw new UsageError(`${file} line ${r.line} (queuePlacementPolicy): expected <rule> elements, got <${r.name}>`);
        const name = r.attrs.name as PlacementRuleName;
        if (!(PLACEMENT_RULES as readonly string[]).includes(name)) throw new UsageError(`${file} line ${r.line} (rule name): expected one of ${PLACEMENT_RULES.join(', ')}, got ${JSON.stringify(r.attrs.name ?? '')}`);
        const create = r.attrs.create;
        if (create !== undefined && create !== 'true' && create !== 'false') throw new UsageError(`${file} line ${r.line} (rule create): expected true or false, got ${JSON.stringify(create)}`);
        rules.push({ name, queue: r.attrs.queue, create: create !== 'false', line: r.line });
      }
    } else if (!['defaultFairSharePreemptionTimeout', 'fairSharePreemptionTimeout', 'defaultMinSharePreemptionTimeout', 'defaultFairSharePreemptionThreshold'].includes(e.name)) {
      ignored.push(`<${e.name}> (line ${e.line})`);
    }
  }
  return { type: 'fair', file, queues, rules, ignored };
}
