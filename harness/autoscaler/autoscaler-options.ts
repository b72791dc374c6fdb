import { UsageError } from '../../model/errors.js';
import { DURATION_EXPECTED, parseGoDuration } from '../kubelet/quantity-flags.js';

export type AutoscalerMode = 'cluster-autoscaler' | 'karpenter';
export type ExpanderName = 'random' | 'most-pods' | 'least-waste' | 'price';
export const EXPANDERS: readonly ExpanderName[] = ['random', 'most-pods', 'least-waste', 'price'];

/**
 * The autoscaler's settings (`--autoscaler-options 'key=value,...'`), times in µs. Defaults are
 * upstream's:
 *
 * - cluster-autoscaler (kubernetes/autoscaler cluster-autoscaler/FAQ.md "What are the parameters
 *   to CA?"): expander random, scan-interval 10s, scale-down-utilization-threshold 0.5,
 *   scale-down-unneeded-time 10m, scale-down-unready-time 20m, scale-down-delay-after-add 10m,
 *   scale-down-delay-after-delete the scan interval (0s here: the next loop is the same instant),
 *   max-empty-bulk-delete 10, max-graceful-termination-sec 600,
 *   scale-down-non-empty-candidates-count 30, max-nodes-total 0 (no limit),
 *   expendable-pods-priority-cutoff -10, scale-down-enabled true.
 * - Karpenter (karpenter.sh docs: settings BATCH_IDLE_DURATION 1s, BATCH_MAX_DURATION 10s;
 *   concepts/disruption: consolidationPolicy WhenEmptyOrUnderutilized, budgets `nodes: 10%`):
 *   consolidateAfter is a required NodePool field with no API default; schedlab's default is 0s
 *   (consolidate as soon as a node qualifies, the most eager legal setting — give e.g.
 *   `consolidate-after=1m` to compare). Its disruption controller polls every 10 s (scan-interval).
 * - Both: provisioning-delay 2m, the time from a scale-up decision to a Ready node. It is the
 *   cloud's, not the autoscaler's (FAQ "How fast is HPA when combined with CA?": "on GCE it
 *   usually takes 3 to 4 minutes from CA request to when pods can be scheduled"); 2 minutes is a
 *   stated assumption for a modern instance boot.
 */
export interface AutoscalerOptions {
  mode: AutoscalerMode;
  scanInterval: number;
  provisioningDelay: number;
  expander: ExpanderName;
  maxNodesTotal: number;
  expendablePodsPriorityCutoff: number;
  scaleDownEnabled: boolean;
  scaleDownUtilizationThreshold: number;
  scaleDownUnneededTime: number;
  scaleDownUnreadyTime: number;
  scaleDownDelayAfterAdd: number;
  scaleDownDelayAfterDelete: number;
  maxEmptyBulkDelete: number;
  maxGracefulTermination: number;
  scaleDownNonEmptyCandidatesCount: number;
  consolidationPolicy: 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
  consolidateAfter: number;
  batchIdleDuration: number;
  batchMaxDuration: number;
  /** Karpenter's NodePool disruption budget: at most this many nodes of a pool disrupted at once (percent of the pool's nodes, rounded up, or a count). */
  disruptionBudget: { value: number; percent: boolean };
}

const S = 1e6;
const M = 60 * S;

type Kind = 'duration' | 'positive-duration' | 'fraction' | 'int' | 'count' | 'bool' | 'expander' | 'policy' | 'budget';
interface Key {
  kind: Kind;
  modes: readonly AutoscalerMode[];
  set: (o: AutoscalerOptions, v: never) => void;
}
const CA: readonly AutoscalerMode[] = ['cluster-autoscaler'];
const KA: readonly AutoscalerMode[] = ['karpenter'];
const BOTH: readonly AutoscalerMode[] = ['cluster-autoscaler', 'karpenter'];

const KEYS: Record<string, Key> = {
  'scan-interval': { kind: 'positive-duration', modes: BOTH, set: (o, v: number) => (o.scanInterval = v) },
  'provisioning-delay': { kind: 'duration', modes: BOTH, set: (o, v: number) => (o.provisioningDelay = v) },
  expander: { kind: 'expander', modes: CA, set: (o, v: ExpanderName) => (o.expander = v) },
  'max-nodes-total': { kind: 'count', modes: CA, set: (o, v: number) => (o.maxNodesTotal = v) },
  'expendable-pods-priority-cutoff': { kind: 'int', modes: CA, set: (o, v: number) => (o.expendablePodsPriorityCutoff = v) },
  'scale-down-enabled': { kind: 'bool', modes: CA, set: (o, v: boolean) => (o.scaleDownEnabled = v) },
  'scale-down-utilization-threshold': { kind: 'fraction', modes: CA, set: (o, v: number) => (o.scaleDownUtilizationThreshold = v) },
  'scale-down-unneeded-time': { kind: 'duration', modes: CA, set: (o, v: number) => (o.scaleDownUnneededTime = v) },
  'scale-down-unready-time': { kind: 'duration', modes: CA, set: (o, v: number) => (o.scaleDownUnreadyTime = v) },
  'scale-down-delay-after-add': { kind: 'duration', modes: CA, set: (o, v: number) => (o.scaleDownDelayAfterAdd = v) },
  'scale-down-delay-after-delete': { kind: 'duration', modes: CA, set: (o, v: number) => (o.scaleDownDelayAfterDelete = v) },
  'max-empty-bulk-delete': { kind: 'count', modes: CA, set: (o, v: number) => (o.maxEmptyBulkDelete = v) },
  'max-graceful-termination-sec': { kind: 'count', modes: CA, set: (o, v: number) => (o.maxGracefulTermination = v * S) },
  'scale-down-non-empty-candidates-count': { kind: 'count', modes: CA, set: (o, v: number) => (o.scaleDownNonEmptyCandidatesCount = v) },
  'consolidation-policy': { kind: 'policy', modes: KA, set: (o, v: AutoscalerOptions['consolidationPolicy']) => (o.consolidationPolicy = v) },
  'consolidate-after': { kind: 'duration', modes: KA, set: (o, v: number) => (o.consolidateAfter = v) },
  'batch-idle-duration': { kind: 'positive-duration', modes: KA, set: (o, v: number) => (o.batchIdleDuration = v) },
  'batch-max-duration': { kind: 'positive-duration', modes: KA, set: (o, v: number) => (o.batchMaxDuration = v) },
  'disruption-budget': { kind: 'budget', modes: KA, set: (o, v: AutoscalerOptions['disruptionBudget']) => (o.disruptionBudget = v) },
};

export function defaultAutoscalerOptions(mode: AutoscalerMode): AutoscalerOptions {
  return {
    mode,
    scanInterval: 10 * S,
    provisioningDelay: 2 * M,
    expander: 'random',
    maxNodesTotal: 0,
    expendablePodsPriorityCutoff: -10,
    scaleDownEnabled: true,
    scaleDownUtilizationThreshold: 0.5,
    scaleDownUnneededTime: 10 * M,
    scaleDownUnreadyTime: 20 * M,
    scaleDownDelayAfterAdd: 10 * M,
    scaleDownDelayAfterDelete: 0,
    maxEmptyBulkDelete: 10,
    maxGracefulTermination: 600 * S,
    scaleDownNonEmptyCandidatesCount: 30,
    consolidationPolicy: 'WhenEmptyOrUnderutilized',
    consolidateAfter: 0,
    batchIdleDuration: 1 * S,
    batchMaxDuration: 10 * S,
    disruptionBudget: { value: 10, percent: true },
  };
}

/** The keys `mode` accepts, in the order above. */
export function autoscalerOptionKeys(mode: AutoscalerMode): string[] {
  return Object.keys(KEYS).filter((k) => KEYS[k].modes.includes(mode));
}

/**
 * Parses `--autoscaler-options` text for `mode`. An unknown key, a key of the other mode, a key
 * given twice or a bad value: a one-line UsageError naming the option and the key.
 */
export function parseAutoscalerOptions(text: string | undefined, mode: AutoscalerMode): AutoscalerOptions {
  const o = defaultAutoscalerOptions(mode);
  if (text === undefined || text.trim() === '') return o;
  const seen = new Set<string>();
  for (const raw of text.split(',')) {
    const pair = raw.trim();
    if (pair === '') continue;
    const at = pair.indexOf('=');
    if (at < 0) throw new UsageError(`--autoscaler-options: malformed pair '${pair}', expected key=value such as scan-interval=10s`);
    const key = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    const k = KEYS[key];
    if (!k) throw new UsageError(`--autoscaler-options: unknown key '${key}'; ${mode} takes ${autoscalerOptionKeys(mode).join(', ')}`);
    if (!k.modes.includes(mode)) throw new UsageError(`--autoscaler-options: ${key} applies to --autoscaler ${k.modes[0]}, not ${mode}; ${mode} takes ${autoscalerOptionKeys(mode).join(', ')}`);
    if (seen.has(key)) throw new UsageError(`--autoscaler-options: ${key} is given twice`);
    seen.add(key);
    k.set(o, parseValue(key, k.kind, value) as never);
  }
  if (o.batchIdleDuration > o.batchMaxDuration) {
    throw new UsageError(`--autoscaler-options: batch-idle-duration (${o.batchIdleDuration / S} s) is longer than batch-max-duration (${o.batchMaxDuration / S} s)`);
  }
  return o;
}

function parseValue(key: string, kind: Kind, value: string): unknown {
  const fail = (expected: string): never => {
    throw new UsageError(`--autoscaler-options: ${key}: expected ${expected}, got '${value}'`);
  };
  switch (kind) {
    case 'duration':
    case 'positive-duration': {
      const us = parseGoDuration(value);
      if (us === null) fail(DURATION_EXPECTED);
      if (us! < 0) fail('a duration that is not negative');
      if (kind === 'positive-duration' && us! <= 0) fail('a positive duration such as 10s');
      return us;
    }
    case 'fraction': {
      const x = /^(\d+\.?\d*|\.\d+)$/.test(value) ? Number(value) : NaN;
      if (!(x >= 0 && x <= 1)) fail('a number from 0 to 1');
      return x;
    }
    case 'int':
      if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) fail('a whole number');
      return Number(value);
    case 'count':
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) fail('a whole number ≥ 0');
      return Number(value);
    case 'bool':
      if (value !== 'true' && value !== 'false') fail('true or false');
      return value === 'true';
    case 'expander':
      if (!(EXPANDERS as readonly string[]).includes(value)) fail(`one of ${EXPANDERS.join(', ')}`);
      return value;
    case 'policy':
      if (value !== 'WhenEmpty' && value !== 'WhenEmptyOrUnderutilized') fail('WhenEmpty or WhenEmptyOrUnderutilized');
      return value;
    case 'budget': {
      const m = /^(\d+)(%?)$/.exec(value);
      if (!m) fail(`a node count or a percentage such as 10%`);
      const n = Number(m![1]);
      if (m![2] === '%' && n > 100) fail('a percentage from 0% to 100%');
      return { value: n, percent: m![2] === '%' };
    }
  }
}

/** One line for the run's settings. */
export function describeAutoscalerOptions(o: AutoscalerOptions): string {
  const s = (us: number): string => `${us / S}s`;
  if (o.mode === 'karpenter') {
    return `karpenter: batch ${s(o.batchIdleDuration)} idle / ${s(o.batchMaxDuration)} max, provisioning delay ${s(o.provisioningDelay)}, consolidation ${o.consolidationPolicy} after ${s(o.consolidateAfter)}, disruption budget ${o.disruptionBudget.value}${o.disruptionBudget.percent ? '%' : ''} of a pool's nodes, every ${s(o.scanInterval)}`;
  }
  return (
    `cluster-autoscaler: expander ${o.expander}, scan every ${s(o.scanInterval)}, provisioning delay ${s(o.provisioningDelay)}` +
    (o.maxNodesTotal > 0 ? `, at most ${o.maxNodesTotal} nodes` : '') +
    (o.scaleDownEnabled
      ? `, scale-down below ${o.scaleDownUtilizationThreshold} requested for ${s(o.scaleDownUnneededTime)} (unready ${s(o.scaleDownUnreadyTime)}), not within ${s(o.scaleDownDelayAfterAdd)} of a scale-up`
      : ', scale-down off') +
    `, expendable below priority ${o.expendablePodsPriorityCutoff}`
  );
}
