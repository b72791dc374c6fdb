import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fieldName, parseLocatedYaml, shown, type Locate } from '../located-yaml.js';
import { UsageError } from '../../model/errors.js';
import { loadPolicy, isPolicyPath } from '../load-policy.js';
import { loadOvercommit } from '../../algorithms/overcommit/load-overcommit.js';
import { instanceType, loadCatalog } from '../../model/instance-catalog.js';
import { checkZones } from '../../workloads/generated-nodes.js';
import { checkOptionsApply, detectWorkloadFormat, type WorkloadOption } from '../../workloads/format-registry.js';

/**
 * A sweep as a user writes it (the YAML file's keys, or the same object passed to `sweep()`):
 * each grid key takes one value or a list; only `policies` is required. Checked by
 * validateSweepConfig, which gives the CheckedSweepConfig the grid is made from.
 */
export interface SweepConfig {
  name?: string;
  workloads?: string | string[];
  policies: string | string[];
  /** A count N (seeds 1..N) or a list of seeds. */
  seeds?: number | number[];
  overcommit?: string | number | Array<string | number>;
  nodes?: number | number[];
  dynamics?: boolean | boolean[];
  tasks?: number;
  hours?: number;
  instance?: string;
  queue?: string;
  'sample-seconds'?: number;
  'nodes-to-score'?: number;
  zones?: number;
  catalog?: string;
  /** `--preemption` of every cell: auto (default), kube, borg, none. */
  preemption?: string;
  /** `--no-controllers` when false. */
  controllers?: boolean;
}

/**
 * A checked sweep: the grid whose cartesian product is run, one replay per cell (workloads × policies ×
 * seeds × overcommit settings × cluster sizes × dynamics on/off), and the settings every cell
 * shares. Paths (workloads, policy and overcommit module files, learned:DIR model folders, the catalog) are as given in code;
 * read from a file, they are resolved against the file's folder.
 */
export interface CheckedSweepConfig {
  /** A label for the sweep (charts, report). */
  name?: string;
  /** 'synthetic' or trace paths. */
  workloads: string[];
  /** Built-in policy names or policy files. */
  policies: string[];
  seeds: number[];
  /** Overcommit settings as `--overcommit` takes them; 'none' = no overcommit. */
  overcommit: string[];
  /** Cluster sizes: the number of generated nodes (synthetic, traces without machines). */
  nodes: number[];
  /** Node dynamics on (true) and/or off (false); a cell with dynamics off runs only overcommit 'none'. */
  dynamics: boolean[];
  tasks?: number;
  hours?: number;
  instance?: string;
  queue?: string;
  sampleSeconds?: number;
  nodesToScore?: number;
  zones?: number;
  catalog?: string;
  /** Preemption model of every cell (absent = replay's default, auto). */
  preemption?: 'auto' | 'kube' | 'borg' | 'none';
  /** false = no workload controllers (absent = replay's default, on). */
  controllers?: boolean;
  /** Which grid keys and settings the config gave (a trace workload refuses options that do not apply to it). */
  given: Array<'nodes' | 'tasks' | 'hours' | 'instance'>;
}

/** `--preemption`'s values (cli/options.ts). */
const PREEMPTIONS = ['auto', 'kube', 'borg', 'none'] as const;

/** The grid's keys and the shared settings, as written in the YAML file (kebab-case like the CLI's options). */
const KEYS = ['name', 'workloads', 'policies', 'seeds', 'overcommit', 'nodes', 'dynamics', 'tasks', 'hours', 'instance', 'queue', 'sample-seconds', 'nodes-to-score', 'zones', 'catalog', 'preemption', 'controllers'] as const;
type Key = (typeof KEYS)[number];

/** Most cells one sweep may have: a sanity bound against a typo (seeds: 1e9). */
export const MAX_CELLS = 100_000;
/** As the CLI's --nodes bound (cli/options.ts MAX_NODES). */
const MAX_NODES = 1_000_000;
const QUEUES = ['priority', 'fifo', 'sjf', 'drf'];

/** Reads and validates a sweep file (YAML, or JSON which is YAML). Every mistake: a UsageError naming file, line and field. */
export async function readSweepConfig(file: string): Promise<CheckedSweepConfig> {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new UsageError(`--config: expected a file, got '${file}' (a folder)`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--config: no such file '${file}'`);
  }
  return parseSweepConfig(text, file);
}

/** Parses and validates sweep YAML text read from `file` (named in messages; relative paths resolve against its folder). */
export async function parseSweepConfig(text: string, file: string): Promise<CheckedSweepConfig> {
  const { raw, locate } = parseLocatedYaml(text, file);
  return validateSweepConfig(raw, locate, dirname(file));
}

/**
 * Checks a sweep config given as plain data (the library's `sweep()`, or parsed YAML): unknown
 * keys, wrong types, empty grids, unknown policies, overcommit settings, instance types and missing
 * workloads are UsageErrors naming the field, before any cell runs. `base` resolves relative paths.
 */
export async function validateSweepConfig(raw: unknown, locate: Locate = (p) => `sweep config${p.length > 0 ? ` (${fieldName(p)})` : ''}`, base?: string): Promise<CheckedSweepConfig> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${locate([])}: expected a mapping of ${KEYS.join(', ')}`);
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!(KEYS as readonly string[]).includes(k)) throw new UsageError(`${locate([k])}: unknown key '${k}'; expected one of ${KEYS.join(', ')}`);
  }
  const fail = (path: ReadonlyArray<string | number>, what: string): never => {
    throw new UsageError(`${locate(path)}: ${what}`);
  };
  const here = (p: string): string => (base === undefined || isAbsolute(p) ? p : resolve(base, p));

  /** A grid key: one value or a list; each item checked by `item`. */
  const grid = <T>(key: Key, fallback: T[] | undefined, item: (v: unknown, path: Array<string | number>) => T): T[] => {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (fallback === undefined) fail([key], 'required: give a value or a list of values');
      return fallback!;
    }
    const items = Array.isArray(v) ? v : [v];
    if (items.length === 0) fail([key], 'empty grid: give at least one value');
    return items.map((x, i) => item(x, Array.isArray(v) ? [key, i] : [key]));
  };
  const str = (v: unknown, path: Array<string | number>): string => {
    if (typeof v !== 'string' || v.trim() === '') fail(path, `expected a non-empty string, got ${shown(v)}`);
    return (v as string).trim();
  };
  const int = (min: number, max: number) => (v: unknown, path: Array<string | number>): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(path, `expected a whole number from ${min} to ${max.toLocaleString('en-US')}, got ${shown(v)}`);
    return v as number;
  };
  const positive = (max: number) => (v: unknown, path: Array<string | number>): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) fail(path, `expected a positive number up to ${max.toLocaleString('en-US')}, got ${shown(v)}`);
    return v as number;
  };
  const scalar = <T>(key: Key, check: (v: unknown, path: Array<string | number>) => T): T | undefined =>
    obj[key] === undefined || obj[key] === null ? undefined : check(obj[key], [key]);

  const name = scalar('name', str);
  const catalog = scalar('catalog', (v, p) => {
    const f = here(str(v, p));
    try {
      if (!statSync(f).isFile()) fail(p, `expected a catalog file, got folder '${f}'`);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      fail(p, `no such file '${f}'`);
    }
    return f;
  });
  const workloads = grid('workloads', ['synthetic'], (v, p) => {
    const w = str(v, p);
    if (w === 'synthetic') return w;
    const f = here(w);
    try {
      statSync(f);
    } catch {
      fail(p, `no such workload '${f}' (give 'synthetic' or a trace path)`);
    }
    return f;
  });
  const policies = grid('policies', undefined, (v, p) => str(v, p));
  for (let i = 0; i < policies.length; i++) {
    const at = Array.isArray(obj.policies) ? ['policies', i] : ['policies'];
    if (isPolicyPath(policies[i])) policies[i] = here(policies[i]);
    // A model directory, like a policy file, is relative to the config file.
    else if (policies[i].startsWith('learned:') && policies[i].length > 'learned:'.length) policies[i] = `learned:${here(policies[i].slice('learned:'.length))}`;
    await rephrased(at, locate, () => loadPolicy(policies[i], 'policies'));
  }
  // seeds: a count N (seeds 1..N) or a list of seeds.
  let seeds: number[];
  if (typeof obj.seeds === 'number') {
    const n = int(1, MAX_CELLS)(obj.seeds, ['seeds']);
    seeds = Array.from({ length: n }, (_, i) => i + 1);
  } else {
    seeds = grid('seeds', [1], int(0, 0xffffffff));
  }
  const overcommit = grid('overcommit', ['none'], (v, p) => {
    if (typeof v === 'number') return positive(1000)(v, p).toString();
    const s = str(v, p);
    return /\.(ts|mts|js|mjs)$/.test(s) ? here(s) : s;
  });
  for (let i = 0; i < overcommit.length; i++) {
    const at = Array.isArray(obj.overcommit) ? ['overcommit', i] : ['overcommit'];
    await rephrased(at, locate, () => loadOvercommit(overcommit[i], ['cpu', 'memory']));
  }
  const nodes = grid('nodes', [100], int(1, MAX_NODES));
  const dynamics = grid('dynamics', [true], (v, p) => {
    if (typeof v !== 'boolean') fail(p, `expected true or false, got ${shown(v)}`);
    return v as boolean;
  });
  if (!dynamics.includes(true) && overcommit.some((o) => o !== 'none')) {
    fail(['overcommit'], 'applies to node dynamics, which dynamics: false turns off (add true to dynamics, or remove the overcommit settings)');
  }
  for (const [key, list] of [['workloads', workloads], ['policies', policies], ['seeds', seeds], ['overcommit', overcommit], ['nodes', nodes], ['dynamics', dynamics]] as const) {
    const seen = new Set<string>();
    (list as ReadonlyArray<string | number | boolean>).forEach((x, i) => {
      if (seen.has(String(x))) fail(Array.isArray(obj[key]) ? [key, i] : [key], `${shown(x)} is listed twice; each cell would run twice`);
      seen.add(String(x));
    });
  }
  const tasks = scalar('tasks', int(1, 100_000_000));
  const hours = scalar('hours', positive(876_000));
  const instance = scalar('instance', str);
  if (instance !== undefined) await rephrased(['instance'], locate, async () => instanceType(loadCatalog(catalog), instance));
  const queue = scalar('queue', (v, p) => {
    const q = str(v, p);
    if (!QUEUES.includes(q)) fail(p, `expected one of ${QUEUES.join(', ')}, got ${shown(v)}`);
    return q;
  });
  const preemption = scalar('preemption', (v, p) => {
    const q = str(v, p);
    if (!PREEMPTIONS.includes(q as (typeof PREEMPTIONS)[number])) fail(p, `expected one of ${PREEMPTIONS.join(', ')}, got ${shown(v)}`);
    return q as (typeof PREEMPTIONS)[number];
  });
  const controllers = scalar('controllers', (v, p) => {
    if (typeof v !== 'boolean') fail(p, `expected true or false, got ${shown(v)}`);
    return v as boolean;
  });
  const sampleSeconds = scalar('sample-seconds', positive(Number.MAX_VALUE));
  const nodesToScore = scalar('nodes-to-score', positive(100));
  const zones = scalar('zones', (v, p) => rephrasedSync(p, locate, () => checkZones(int(1, 0xffffffff)(v, p))));
  const cellCount = workloads.length * policies.length * seeds.length * nodes.length * ((dynamics.includes(true) ? overcommit.length : 0) + (dynamics.includes(false) ? 1 : 0));
  if (cellCount > MAX_CELLS) fail([], `${cellCount.toLocaleString('en-US')} cells; at most ${MAX_CELLS.toLocaleString('en-US')} (a typo in seeds?)`);
  const given = (['nodes', 'tasks', 'hours', 'instance'] as const).filter((k) => obj[k] !== undefined && obj[k] !== null);
  // Each trace must accept the options the sweep gives its cells (`nodes` on a Google trace is refused here, not by its first cell).
  const options: WorkloadOption[] = [...given, ...(zones !== undefined ? (['zones'] as const) : [])];
  for (let i = 0; i < workloads.length; i++) {
    if (workloads[i] === 'synthetic') continue;
    const at = Array.isArray(obj.workloads) ? ['workloads', i] : ['workloads'];
    await rephrased(at, locate, async () => checkOptionsApply((await detectWorkloadFormat(workloads[i])).format, options));
  }
  return { name, workloads, policies, seeds, overcommit, nodes, dynamics, tasks, hours, instance, queue, sampleSeconds, nodesToScore, zones, catalog, preemption, controllers, given };
}

/** Runs a check that reports a CLI option (`--instance: ...`); its message is re-addressed to the config field. */
async function rephrased<T>(path: ReadonlyArray<string | number>, locate: Locate, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${locate(path)}: ${e.message.replace(/^-{0,2}[a-z-]+(?: '[^']*')?: /, '').replace(/^--(?=[a-z-]+ does not apply)/, '')}`);
    throw e;
  }
}

function rephrasedSync<T>(path: ReadonlyArray<string | number>, locate: Locate, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${locate(path)}: ${e.message.replace(/^-{0,2}[a-z-]+(?: '[^']*')?: /, '')}`);
    throw e;
  }
}



