import { statSync } from 'node:fs';
import type { Options } from 'yargs';
import { UsageError } from '../model/errors.js';
import { checkZones } from '../workloads/generated-nodes.js';
import { knownFormatNames } from '../workloads/format-registry.js';
import type { ReplaySpec } from '../harness/replay-spec.js';
import type { DynamicsSpec } from '../harness/dynamics-spec.js';
import type { ReactionsSpec } from '../harness/reactions/reactions-spec.js';
import { SPREAD_CHOICES, type SpreadChoice } from '../harness/experiments/zone-spread-workload.js';
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

/** --standing: 'auto', 'none' or a whole number of tasks (0 = none) up to MAX_TASKS. */
export function standingOption(v: unknown): 'auto' | 'none' | number {
  once('standing', v);
  const s = String(v).trim();
  if (s === 'auto' || s === 'none') return s;
  const n = numberOf(v);
  if (typeof v === 'boolean' || !Number.isInteger(n) || n < 0 || n > MAX_TASKS) {
    throw new UsageError(`--standing: expected auto, none or a whole number of tasks from 0 to ${MAX_TASKS.toLocaleString('en-US')}, got '${String(v)}'`);
  }
  return n;
}

/** An on/off option, as a boolean. */
export function onOff(option: string) {
  return (v: unknown): boolean => {
    once(option, v);
    const s = String(v).trim();
    if (s === 'on') return true;
    if (s === 'off') return false;
    throw new UsageError(`--${option}: expected on or off, got '${String(v)}'`);
  };
}

/** The defaults of --nodes, --tasks, --hours and --instance, which have no yargs default (so that giving one is seen). */
export { WORKLOAD_DEFAULTS } from '../workloads/workload-source.js';
import { WORKLOAD_DEFAULTS } from '../workloads/workload-source.js';

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
  standing: { type: 'string', coerce: standingOption, describe: "synthetic: the tasks already running at t = 0: auto (the Google 2011 trace's 10.7 per node), none, or a task count (default auto for --hours >= 168, else none)" },
  diurnal: { type: 'string', coerce: onOff('diurnal'), describe: 'synthetic: daily cycle of the arrival rate, on or off (default on for --hours >= 168, else off)' },
  zones: { type: 'string', coerce: (v: unknown) => checkZones(positiveInt('zones')(v)), describe: 'generated nodes (synthetic, manifests without Node objects): zones to spread them over, round-robin (default 3: <region>a, b, c)' },
  catalog: { type: 'string', coerce: existingFile('catalog'), describe: 'instance catalog JSON (default: model/instance-catalog.json)' },
  'nodes-to-score': { type: 'string', coerce: percentage('nodes-to-score'), describe: "percentageOfNodesToScore for sampling policies (default: kube's adaptive rule; 100 = exact)" },
  'score-cache': { type: 'string', choices: ['on', 'off'], default: 'on', describe: "scoring policies: keep scores per request shape and rescore only changed nodes (same decisions; 'off' scores every sample afresh)" },
  'sample-seconds': { type: 'string', default: '300', coerce: positiveNumber('sample-seconds'), describe: 'usage sample period, seconds' },
  'retain-tasks': { type: 'string', choices: ['auto', 'all', 'live'], default: 'auto', describe: "memory: 'all' keeps every task's row to the end; 'live' lets finished tasks leave memory (rows stream to tasks.csv as tasks end; same results); 'auto' (default) is live above 5,000,000 tasks" },
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
  'score-cache': 'on' | 'off';
  'sample-seconds': number;
  'retain-tasks': 'auto' | 'all' | 'live';
  'scheduler-config'?: string;
  placement: 'policy' | 'recorded';
  queue: string;
  'machine-scale'?: string;
  'on-bad-row': 'fail' | 'skip';
  quiet: boolean;
}

export function specFromArgs(a: WorkloadArgs, policy: string): ReplaySpec {
  for (const o of ['standing', 'diurnal'] as const) {
    if (a[o] !== undefined && a.workload !== 'synthetic') throw new UsageError(`--${o}: applies to the synthetic workload only (got --workload ${a.workload})`);
  }
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
    ...(a.standing !== undefined ? { standing: a.standing } : {}),
    ...(a.diurnal !== undefined ? { diurnal: a.diurnal } : {}),
    percentageOfNodesToScore: a['nodes-to-score'],
    scoreCache: a['score-cache'] === 'off' ? false : undefined,
    sampleSeconds: a['sample-seconds'],
    ...(a['retain-tasks'] === 'all' || a['retain-tasks'] === 'live' ? { retainTasks: a['retain-tasks'] } : {}),
    schedulerConfig: a['scheduler-config'],
    placement: a.placement,
    queue: a.queue,
    machineScale: a['machine-scale'],
    onBadRow: a['on-bad-row'],
  };
}

/** A folder that must exist, checked before any work starts. */
export function existingFolder(option: string) {
  return (v: unknown): string => {
    const p = path(`--${option}`)(v);
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UsageError(`--${option}: no such folder '${p}'`);
    }
    if (!st.isDirectory()) throw new UsageError(`--${option}: expected a folder, got '${p}' (a file)`);
    return p;
  };
}

/** A string option given once and not empty; its syntax is checked where it is parsed (the harness). */
export function text(option: string) {
  return (v: unknown): string => {
    const s = String(once(option, v));
    if (typeof v === 'boolean' || s.trim() === '') throw new UsageError(`--${option}: expected a value, got '${s}'`);
    return s;
  };
}

/**
 * Node-dynamics options shared by replay and compare (harness/dynamics-spec.ts DynamicsSpec). The
 * kubelet settings are passed as given, in the kubelet's own flag syntax, and parsed by the
 * harness, which names the option in any error. `--overcommit` is each command's own: one setting
 * on replay, a list (a dimension) on compare.
 */
export const dynamicsOptions = {
  // No yargs default: on unless --placement recorded (which replays the trace as it ran), so a given --dynamics is seen.
  dynamics: { type: 'boolean', describe: 'node dynamics: usage over time, QoS, kubelet eviction, OOM kills, CPU throttling (default on; off under --placement recorded). --no-dynamics: placed tasks hold their requests, nothing else happens' },
  usage: { type: 'string', choices: ['auto', 'trace', 'library', 'synthetic', 'flat'], describe: "where usage over time comes from: auto (the trace's, else synthetic), trace, library (--usage-library), synthetic, flat (default auto)" },
  'usage-library': { type: 'string', coerce: existingFolder('usage-library'), describe: 'usage library folder (the ../shared/data/usage layout): real per-job series assigned to tasks' },
  'usage-set': { type: 'string', choices: ['gcd', 'planetlab'], describe: 'which library series: gcd (Google 2011 jobs, CPU and memory) or planetlab (VM CPU)' },
  'housekeeping-seconds': { type: 'string', coerce: positiveNumber('housekeeping-seconds'), describe: "node evaluation period, seconds (default 10, the kubelet's housekeeping)" },
  'eviction-hard': { type: 'string', coerce: text('eviction-hard'), describe: "kubelet hard eviction thresholds, e.g. 'memory.available<100Mi,nodefs.available<10%' (default memory.available<100Mi)" },
  'eviction-soft': { type: 'string', coerce: text('eviction-soft'), describe: "kubelet soft eviction thresholds, e.g. 'memory.available<1.5Gi'" },
  'eviction-soft-grace-period': { type: 'string', coerce: text('eviction-soft-grace-period'), describe: "grace period per soft threshold, e.g. 'memory.available=1m30s'" },
  'eviction-minimum-reclaim': { type: 'string', coerce: text('eviction-minimum-reclaim'), describe: "memory to reclaim beyond the threshold, e.g. 'memory.available=500Mi'" },
  'eviction-pressure-transition-period': { type: 'string', coerce: text('eviction-pressure-transition-period'), describe: 'how long a node stays under pressure after the signal clears (default 5m)' },
  'kube-reserved': { type: 'string', coerce: text('kube-reserved'), describe: "reserved for Kubernetes daemons, e.g. 'cpu=100m,memory=1Gi' (feeds allocatable)" },
  'system-reserved': { type: 'string', coerce: text('system-reserved'), describe: "reserved for the OS, e.g. 'cpu=100m,memory=500Mi' (feeds allocatable)" },
} satisfies Record<string, Options>;

export interface DynamicsArgs {
  dynamics?: boolean;
  placement: 'policy' | 'recorded';
  usage?: string;
  'usage-library'?: string;
  'usage-set'?: string;
  'housekeeping-seconds'?: number;
  'eviction-hard'?: string;
  'eviction-soft'?: string;
  'eviction-soft-grace-period'?: string;
  'eviction-minimum-reclaim'?: string;
  'eviction-pressure-transition-period'?: string;
  'kube-reserved'?: string;
  'system-reserved'?: string;
}

/** The DynamicsSpec field each option fills. */
const DYNAMICS_FIELDS = {
  usage: 'usage',
  'usage-library': 'usageLibrary',
  'usage-set': 'usageLibrarySet',
  'housekeeping-seconds': 'housekeepingSeconds',
  'eviction-hard': 'evictionHard',
  'eviction-soft': 'evictionSoft',
  'eviction-soft-grace-period': 'evictionSoftGracePeriod',
  'eviction-minimum-reclaim': 'evictionMinimumReclaim',
  'eviction-pressure-transition-period': 'evictionPressureTransitionPeriod',
  'kube-reserved': 'kubeReserved',
  'system-reserved': 'systemReserved',
} as const satisfies Record<Exclude<keyof DynamicsArgs, 'dynamics' | 'placement'>, keyof DynamicsSpec>;

/**
 * The DynamicsSpec of the options given (only those, so run.json records what was asked and the
 * harness applies its defaults). Dynamics are on unless --no-dynamics or --placement recorded
 * (the trace decides where and when tasks run; harness/replay-spec.ts keeps them off). A dynamics
 * option while they are off would be ignored: refused.
 */
export function dynamicsSpecFromArgs(a: DynamicsArgs, overcommit?: string): DynamicsSpec {
  const recorded = a.placement === 'recorded';
  if (recorded && a.dynamics === true) throw new UsageError('--dynamics: does not apply with --placement recorded (the trace decides where and when tasks run)');
  const enabled = a.dynamics ?? !recorded;
  const off = recorded ? 'are off under --placement recorded' : '--no-dynamics turns off';
  const spec: DynamicsSpec = { enabled };
  for (const [option, field] of Object.entries(DYNAMICS_FIELDS) as Array<[keyof typeof DYNAMICS_FIELDS, keyof DynamicsSpec]>) {
    const v = a[option];
    if (v === undefined) continue;
    if (!enabled) throw new UsageError(`--${option}: applies to node dynamics, which ${off}`);
    (spec as unknown as Record<string, unknown>)[field] = v;
  }
  if (overcommit !== undefined) {
    if (!enabled) throw new UsageError(`--overcommit: applies to node dynamics, which ${off}`);
    spec.overcommit = overcommit;
  }
  return spec;
}

/**
 * The cluster's reactions, shared by replay and compare (harness/reactions/reactions-spec.ts): each
 * option's text goes to its model as given, which parses it and names the option in any error.
 */
export const reactionsOptions = {
  preemption: { type: 'string', choices: ['auto', 'kube', 'borg', 'none'], describe: 'priority preemption: kube (DefaultPreemption: PDBs, graceful termination), borg (bands: production never preempted), none (default auto: kube for Kubernetes workloads, borg otherwise)' },
  controllers: { type: 'boolean', describe: 'workload controllers recreate lost pods, Jobs honour backoffLimit and deadlines, availability is reported (default on). --no-controllers: lost tasks are simply requeued' },
  failures: { type: 'string', coerce: text('failures'), describe: "a seeded node failure model, e.g. 'mtbf=720h,mttr=2h' or 'mtbf=720h,mttr=2h,dist=weibull,shape=0.7,scope=rack'" },
  'zone-outage': { type: 'string', array: true, coerce: (v: string[]) => v.map((x) => text('zone-outage')(x)), describe: "a zone (or rack) outage, repeatable: 'zone=us-east-1a,at=2h,for=30m'" },
  'node-lifecycle': { type: 'string', coerce: text('node-lifecycle'), describe: "the node lifecycle controller, e.g. 'grace=50s,toleration=300s,rate=0.1,secondary-rate=0.01,large-cluster=50,unhealthy-threshold=0.55' (these are the defaults)" },
  topology: { type: 'string', coerce: text('topology'), describe: "zones and racks for nodes without zone labels, e.g. 'zones=3,racks-per-zone=8'" },
  'node-groups': { type: 'string', coerce: text('node-groups'), describe: "autoscaling node groups: a YAML/JSON file, or inline 'name=a,instance=m5.2xlarge,min=0,max=20,zone=us-east-1a;...'" },
  autoscaler: { type: 'string', choices: ['cluster-autoscaler', 'karpenter'], describe: 'how the node groups scale: cluster-autoscaler (default) or karpenter (cheapest fitting instance types, consolidation)' },
  'autoscaler-options': { type: 'string', coerce: text('autoscaler-options'), describe: "e.g. 'expander=least-waste,scale-down-utilization-threshold=0.5,scale-down-unneeded-time=10m,provisioning-delay=2m'" },
  quota: { type: 'string', coerce: text('quota'), describe: 'a quota file: Kubernetes ResourceQuotas per namespace and/or Borg quotas per user and priority band' },
  'min-replicas': { type: 'string', coerce: positiveInt('min-replicas'), describe: 'what-if: every Deployment, ReplicaSet, ReplicationController and StatefulSet runs at least N replicas' },
  spread: { type: 'string', coerce: text('spread'), describe: "what-if (kube-framework policies): 'zone' adds a hard zone spread (maxSkew 1, DoNotSchedule) to every replicated workload, 'zone-soft' the same with ScheduleAnyway, 'none' = as written (compare: a list, e.g. none,zone,zone-soft)" },
} satisfies Record<string, Options>;

export interface ReactionsArgs {
  'min-replicas'?: number;
  spread?: string;
  preemption?: 'auto' | 'kube' | 'borg' | 'none';
  controllers?: boolean;
  failures?: string;
  'zone-outage'?: string[];
  'node-lifecycle'?: string;
  topology?: string;
  'node-groups'?: string;
  autoscaler?: 'cluster-autoscaler' | 'karpenter';
  'autoscaler-options'?: string;
  quota?: string;
}

/** replay's what-ifs on the workload (--min-replicas, --spread), as ReplaySpec fields. */
export function whatIf(a: ReactionsArgs): { minReplicas?: number; spread?: SpreadChoice } {
  const out: { minReplicas?: number; spread?: SpreadChoice } = {};
  if (a['min-replicas'] !== undefined) out.minReplicas = a['min-replicas'];
  const s = spreadChoices(a.spread, false);
  if (s.length === 1) out.spread = s[0];
  return out;
}

/** `--spread`: none, zone or zone-soft; a list on compare (a dimension). */
export function spreadChoices(value: string | undefined, list: boolean): SpreadChoice[] {
  if (value === undefined) return [];
  const items = value.split(',').map((x) => x.trim()).filter(Boolean);
  const known = SPREAD_CHOICES.join(', ');
  if (items.length === 0 || (!list && items.length > 1)) throw new UsageError(`--spread: expected ${list ? 'a comma-separated list of' : 'one of'} ${known}, got '${value}'`);
  for (const x of items) if (!(SPREAD_CHOICES as readonly string[]).includes(x)) throw new UsageError(`--spread: expected one of ${known}, got '${x}'`);
  return items as SpreadChoice[];
}

/** The ReactionsSpec of the options given (only those: run.json records what was asked). */
export function reactionsSpecFromArgs(a: ReactionsArgs): ReactionsSpec {
  const spec: ReactionsSpec = {};
  if (a.preemption !== undefined) spec.preemption = a.preemption;
  if (a.controllers !== undefined) spec.controllers = a.controllers;
  if (a.failures !== undefined) spec.failures = a.failures;
  if (a['zone-outage'] !== undefined && a['zone-outage'].length > 0) spec.zoneOutages = a['zone-outage'];
  if (a['node-lifecycle'] !== undefined) spec.nodeLifecycle = a['node-lifecycle'];
  if (a.topology !== undefined) spec.topology = a.topology;
  if (a['node-groups'] !== undefined) spec.nodeGroups = a['node-groups'];
  if (a.autoscaler !== undefined) {
    if (a['node-groups'] === undefined) throw new UsageError('--autoscaler: needs --node-groups (the groups it scales)');
    spec.autoscaler = a.autoscaler;
  }
  if (a['autoscaler-options'] !== undefined) {
    if (a['node-groups'] === undefined) throw new UsageError('--autoscaler-options: needs --node-groups (the groups it scales)');
    spec.autoscalerOptions = a['autoscaler-options'];
  }
  if (a.quota !== undefined) spec.quota = a.quota;
  return spec;
}

/** One compare run's overcommit: the label the table shows and the setting the harness reads. */
export interface OvercommitChoice {
  label: string;
  setting: string;
}

/**
 * compare's overcommit dimension. `--overcommit` is a comma-separated list of settings, each as
 * `--overcommit` takes it on replay (a bare number is the ratio for CPU and memory; the harness,
 * algorithms/overcommit/load-overcommit.ts, parses and checks each). A `key=value` item continues
 * the setting before it when that one has key=value parts, so ratios and settings lists keep their
 * commas: `1,1.5,cpu=2,memory=1.2,koordinator:cpu=60,memory=65,peak:max` is five settings. `;`
 * also separates settings (`cpu=2;cpu=3`). `--overcommit-predictors a,b` adds `peak:a`, `peak:b`
 * (a predictor's own settings follow the same rule: `max:p=95,n=3,oracle`). Empty when neither is
 * given; a setting given twice is an error.
 */
export function overcommitChoices(overcommit: string | undefined, predictors: string | undefined): OvercommitChoice[] {
  const out: OvercommitChoice[] = [];
  if (overcommit !== undefined) {
    for (const item of settingsList(overcommit, '--overcommit')) out.push({ label: item, setting: item });
  }
  if (predictors !== undefined) {
    for (const name of settingsList(predictors, '--overcommit-predictors')) out.push({ label: `peak:${name}`, setting: `peak:${name}` });
  }
  const seen = new Set<string>();
  for (const c of out) {
    if (seen.has(c.label)) throw new UsageError(`--overcommit: '${c.label}' given twice; each setting is one column`);
    seen.add(c.label);
  }
  return out;
}

/** `memory=1.2`, `n=3`: one key=value part of a ratio or settings list. */
const KEY_VALUE = /^[a-z][\w.\-]*=[^=,:]*$/i;

/** Splits a list of settings at `;` and at commas that do not continue a key=value list. */
function settingsList(text: string, option: string): string[] {
  const items: string[] = [];
  for (const group of text.split(';')) {
    const start = items.length;
    for (const raw of group.split(',')) {
      const item = raw.trim();
      if (item === '') throw new UsageError(`${option}: an empty item in '${text}'; separate settings with single commas`);
      const previous = items.length > start ? items[items.length - 1] : undefined;
      if (KEY_VALUE.test(item) && previous !== undefined && previous.includes('=')) items[items.length - 1] = `${previous},${item}`;
      else items.push(item);
    }
  }
  return items;
}
