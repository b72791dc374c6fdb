import { statSync } from 'node:fs';
import type { Options } from 'yargs';
import { UsageError } from '../model/errors.js';
import { checkZones } from '../workloads/generated-nodes.js';
import { knownFormatNames } from '../workloads/format-registry.js';
import type { ReplaySpec } from '../harness/replay-spec.js';
import type { WorkloadSource } from '../workloads/workload-source.js';

/** An option given twice arrives as an array: a mistake, not a value. */
function once(option: string, v: unknown): unknown {
  if (Array.isArray(v)) throw new UsageError(`--${option}: given more than once (${v.map((x) => `'${String(x)}'`).join(', ')}); give it once`);
  return v;
}

/** An option's number, NaN for no value: Number('') and Number(' ') are 0, which is not what was typed. */
function numberOf(v: unknown): number {
  return typeof v === 'boolean' || String(v).trim() === '' ? NaN : Number(v);
}

/** Coercers that turn bad numbers into one clear message naming the option. */
export function positiveInt(option: string, max = Number.MAX_SAFE_INTEGER) {
  return (v: unknown): number => {
    once(option, v);
    const n = numberOf(v);
    if (typeof v === 'boolean' || !Number.isInteger(n) || n <= 0 || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? '' : ` up to ${max.toLocaleString('en-US')}`;
      throw new UsageError(`--${option}: expected a positive whole number${range}, got '${String(v)}'`);
    }
    return n;
  };
}

/**
 * Largest generated workloads: sanity bounds against typos (a run of 1e20 tasks allocates until
 * it dies), far above the benchmarks (12,500 nodes, 2 M tasks; about 250 bytes a task in memory).
 */
export const MAX_NODES = 1_000_000;
export const MAX_TASKS = 100_000_000;

export function nonNegativeInt(option: string) {
  return (v: unknown): number => {
    once(option, v);
    const n = numberOf(v);
    if (typeof v === 'boolean' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
      throw new UsageError(`--${option}: expected a whole number from 0 to 4294967295, got '${String(v)}'`);
    }
    return n;
  };
}

export function positiveNumber(option: string, max = Number.MAX_VALUE) {
  return (v: unknown): number => {
    once(option, v);
    const n = numberOf(v);
    if (typeof v === 'boolean' || !Number.isFinite(n) || n <= 0 || n > max) {
      const range = max === Number.MAX_VALUE ? '' : ` up to ${max.toLocaleString('en-US')}`;
      throw new UsageError(`--${option}: expected a positive number${range}, got '${String(v)}'`);
    }
    return n;
  };
}

/** A path that must name an existing file (not a folder), checked before any work starts. */
export function existingFile(option: string) {
  return (v: unknown): string => {
    once(option, v);
    const p = String(v);
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UsageError(`--${option}: no such file '${p}'`);
    }
    if (!st.isFile()) throw new UsageError(`--${option}: expected a file, got '${p}' (${st.isDirectory() ? 'a folder' : 'not a regular file'})`);
    return p;
  };
}

/** A path given once and not empty (an empty path would be reported as a file named ''); `label` as in messages: '--workload', 'trace inspect <path>'. */
export function path(label: string) {
  return (v: unknown): string => {
    const p = String(once(label.replace(/^--/, ''), v));
    if (p.trim() === '') throw new UsageError(`${label}: expected a path, got '${p}'`);
    return p;
  };
}

/** --hours: from one second (a shorter window is below the model's time resolution for arrivals) to MAX_HOURS. */
export function hours(option: string) {
  return (v: unknown): number => {
    once(option, v);
    const n = numberOf(v);
    if (!(n >= 1 / 3600 && n <= MAX_HOURS)) {
      throw new UsageError(`--${option}: expected hours from 1 second (0.000278) up to ${MAX_HOURS.toLocaleString('en-US')} (100 years), got '${String(v)}'`);
    }
    return n;
  };
}

/**
 * Longest --hours: 100 years. Keeps simulated times exact in integer microseconds (far below
 * 2^53 µs, 285 years) — a bigger window is a typo, not a study.
 */
export const MAX_HOURS = 876_000;

export function fraction(option: string) {
  return (v: unknown): number => {
    once(option, v);
    const n = numberOf(v);
    if (typeof v === 'boolean' || !Number.isFinite(n) || n < 0 || n > 1) {
      throw new UsageError(`--${option}: expected a fraction between 0 and 1, got '${String(v)}'`);
    }
    return n;
  };
}

export function percentage(option: string) {
  return (v: unknown): number => {
    once(option, v);
    const n = numberOf(v);
    if (typeof v === 'boolean' || !Number.isFinite(n) || n <= 0 || n > 100) {
      throw new UsageError(`--${option}: expected a percentage in (0, 100], got '${String(v)}'`);
    }
    return n;
  };
}

/** `--force`, beside every `--out`: the only way to replace an earlier schedlab output (reports/output-target.ts). */
export const forceOption = {
  type: 'boolean',
  default: false,
  describe: 'replace an earlier schedlab output at --out (never anything schedlab did not write)',
} satisfies Options;

/** The defaults of --nodes, --tasks, --hours and --instance, which have no yargs default (so that giving one is seen). */
export const WORKLOAD_DEFAULTS = { nodes: 100, tasks: 20_000, hours: 24, instance: 'm5.2xlarge' } as const;

/** Options shared by replay and compare: what to replay and on what. */
export const workloadOptions = {
  workload: { type: 'string', default: 'synthetic', coerce: path('--workload'), describe: "'synthetic' (embedded Borg-like generator) or a trace path" },
  format: { type: 'string', choices: knownFormatNames(), describe: 'trace format, when auto-detection is not wanted' },
  seed: { type: 'string', default: '1', coerce: nonNegativeInt('seed'), describe: 'random seed (printed and stored with results)' },
  // No yargs defaults for these four: whether the user gave one is checked against the workload's
  // format (format-registry.ts OPTION_APPLICABILITY); specFromArgs fills the defaults.
  nodes: { type: 'string', coerce: positiveInt('nodes', MAX_NODES), describe: `number of nodes: synthetic, SWF (jobs as gangs), Azure hosts, manifests without Node objects (default ${WORKLOAD_DEFAULTS.nodes})` },
  tasks: { type: 'string', coerce: positiveInt('tasks', MAX_TASKS), describe: `synthetic: number of tasks (default ${WORKLOAD_DEFAULTS.tasks})` },
  hours: { type: 'string', coerce: hours('hours'), describe: `synthetic: arrival window and replay length, hours (default ${WORKLOAD_DEFAULTS.hours})` },
  instance: { type: 'string', describe: `instance type of the --nodes nodes (shape and price from the catalog; default ${WORKLOAD_DEFAULTS.instance})` },
  zones: { type: 'string', coerce: (v: unknown) => checkZones(positiveInt('zones')(v)), describe: 'generated nodes (synthetic, manifests without Node objects): zones to spread them over, round-robin (default 3: <region>a, b, c)' },
  catalog: { type: 'string', coerce: existingFile('catalog'), describe: 'instance catalog JSON (default: model/instance-catalog.json)' },
  'nodes-to-score': { type: 'string', coerce: percentage('nodes-to-score'), describe: "percentageOfNodesToScore for sampling policies (default: kube's adaptive rule; 100 = exact)" },
  'sample-seconds': { type: 'string', default: '300', coerce: positiveNumber('sample-seconds'), describe: 'usage sample period, seconds' },
  'scheduler-config': { type: 'string', coerce: existingFile('scheduler-config'), describe: 'KubeSchedulerConfiguration (YAML/JSON) or legacy Policy JSON: profile for --policy kube-framework or a schedulerName in the file' },
  queue: { type: 'string', choices: ['priority', 'fifo', 'sjf', 'drf'], default: 'priority', describe: 'pending-queue order: priority (FIFO within), fifo, sjf (shortest known run time), drf (fair across users)' },
  placement: { type: 'string', choices: ['policy', 'recorded'], default: 'policy', describe: "traces: 'policy' places tasks with --policy; 'recorded' follows the trace's own machine assignments" },
  'machine-scale': { type: 'string', describe: 'normalized traces (Google): real size of a 1.0 machine, e.g. cpu=32,mem=128GiB (default 32 cores, 128 GiB)' },
  'on-bad-row': { type: 'string', choices: ['fail', 'skip'], default: 'fail', describe: 'traces: stop at the first malformed row, or skip malformed rows and report counts by reason' },
  quiet: { type: 'boolean', default: false, describe: 'no progress on stderr' },
} satisfies Record<string, Options>;

export interface WorkloadArgs extends Omit<WorkloadSource, 'nodes' | 'tasks' | 'hours' | 'instance'> {
  nodes?: number;
  tasks?: number;
  hours?: number;
  instance?: string;
  'nodes-to-score'?: number;
  'sample-seconds': number;
  'scheduler-config'?: string;
  placement: 'policy' | 'recorded';
  queue: string;
  'machine-scale'?: string;
  'on-bad-row': 'fail' | 'skip';
  quiet: boolean;
}

export function specFromArgs(a: WorkloadArgs, policy: string): ReplaySpec {
  if (a.workload === 'synthetic' && a.format !== undefined) {
    throw new UsageError(`--format: applies to a trace (--workload PATH); 'synthetic' is generated (got '${a.format}')`);
  }
  return {
    workload: a.workload,
    format: a.format,
    policy,
    seed: a.seed,
    nodes: a.nodes ?? WORKLOAD_DEFAULTS.nodes,
    tasks: a.tasks ?? WORKLOAD_DEFAULTS.tasks,
    hours: a.hours ?? WORKLOAD_DEFAULTS.hours,
    instance: a.instance ?? WORKLOAD_DEFAULTS.instance,
    explicit: (['nodes', 'instance', 'tasks', 'hours'] as const).filter((k) => a[k] !== undefined),
    catalog: a.catalog,
    zones: a.zones,
    percentageOfNodesToScore: a['nodes-to-score'],
    sampleSeconds: a['sample-seconds'],
    schedulerConfig: a['scheduler-config'],
    placement: a.placement,
    queue: a.queue,
    machineScale: a['machine-scale'],
    onBadRow: a['on-bad-row'],
  };
}
