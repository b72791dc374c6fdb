import { UsageError } from '../../model/errors.js';
import { US_PER_SECOND } from '../../model/units.js';
import { QUANTITY_EXPECTED, quantityToUnits } from '../../workloads/kubernetes/quantity.js';
import { DURATION_EXPECTED, parseFlagMap, parseGoDuration, parsePercentage, parseSignedQuantity } from './quantity-flags.js';

/**
 * The kubelet's node-pressure settings (../shared/docs/models.md § Node pressure and eviction),
 * parsed from its own flags as upstream does: pkg/kubelet/eviction/helpers.go ParseThresholdConfig
 * (parseThresholdStatement, parseGracePeriods, parseMinimumReclaims), cmd/kubelet/app/server.go
 * parseResourceList (kube-reserved, system-reserved) and the Linux defaults of
 * pkg/kubelet/eviction/defaults_linux.go.
 */

/**
 * The eviction signals the kubelet accepts (eviction/api/types.go), less the derived ones it
 * computes itself (allocatableMemory.available, containerfs.*). `imagefs.inodesFree` is an additive
 * member next to the five the integration names.
 */
export type EvictionSignal =
  | 'memory.available'
  | 'nodefs.available'
  | 'nodefs.inodesFree'
  | 'imagefs.available'
  | 'imagefs.inodesFree'
  | 'pid.available';

export const EVICTION_SIGNALS: readonly EvictionSignal[] = [
  'memory.available',
  'nodefs.available',
  'nodefs.inodesFree',
  'imagefs.available',
  'imagefs.inodesFree',
  'pid.available',
];

export interface EvictionThreshold {
  signal: EvictionSignal;
  /** bytes, or */
  quantity?: number;
  /** fraction of capacity 0..1 (the kubelet's float32 value) */
  percentage?: number;
  /** µs; 0 = hard */
  gracePeriod: number;
  minimumReclaim?: { quantity?: number; percentage?: number };
}

export interface KubeletConfig {
  hard: EvictionThreshold[];
  soft: EvictionThreshold[];
  /** µs, default 5 m */
  pressureTransitionPeriod: number;
  /** µs, default 10 s */
  housekeepingPeriod: number;
  /** per workload dim, default 0 */
  kubeReserved: Float64Array;
  systemReserved: Float64Array;
  /**
   * What was accepted but has no effect in this workload, one line each, for the run's notes:
   * a threshold on a signal schedlab does not observe (inodes, PIDs; disk signals without a disk
   * dimension), a reservation of a resource the workload has no dimension for.
   */
  notes?: string[];
}

export interface KubeletFlags {
  evictionHard?: string;
  evictionSoft?: string;
  evictionSoftGracePeriod?: string;
  evictionMinimumReclaim?: string;
  evictionPressureTransitionPeriod?: string;
  kubeReserved?: string;
  systemReserved?: string;
  housekeepingSeconds?: number;
}

/** kubelet --eviction-pressure-transition-period default (KubeletConfiguration defaults). */
export const DEFAULT_PRESSURE_TRANSITION_PERIOD = 5 * 60 * US_PER_SECOND;
/** The eviction manager's monitoring interval (eviction_manager.go: `monitoringInterval` 10 s). */
export const DEFAULT_HOUSEKEEPING_PERIOD = 10 * US_PER_SECOND;

/**
 * The Linux default of --eviction-hard (defaults_linux.go DefaultEvictionHard):
 * `memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%,imagefs.available<15%`. The disk
 * entries apply only to a workload with a disk dimension; without one, only `memory.available<100Mi`.
 * Giving --eviction-hard replaces the whole default, as the kubelet's flag does (its map is cleared
 * on the first Set): signals left out have no hard threshold.
 */
export const DEFAULT_EVICTION_HARD = 'memory.available<100Mi';
export const DEFAULT_EVICTION_HARD_DISK = 'memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%,imagefs.available<15%';

/**
 * The disk dimension nodefs signals observe: `ephemeral-storage`, or schedlab's `disk` (the name
 * algorithms/kubernetes/resources.ts maps ephemeral-storage to); -1 when the workload has none.
 */
export function diskDimension(resourceNames: readonly string[]): number {
  const i = resourceNames.indexOf('ephemeral-storage');
  return i >= 0 ? i : resourceNames.indexOf('disk');
}

/** Signals whose observation schedlab has: memory always, the disk signals (one filesystem) where a disk dimension exists. */
export function isObservedSignal(signal: EvictionSignal, resourceNames: readonly string[]): boolean {
  if (signal === 'memory.available') return true;
  if (signal === 'nodefs.available' || signal === 'imagefs.available') return diskDimension(resourceNames) >= 0;
  return false;
}

const SIGNAL_LIST = EVICTION_SIGNALS.join(', ');

function signalOf(flag: string, key: string): EvictionSignal {
  if ((EVICTION_SIGNALS as readonly string[]).includes(key)) return key as EvictionSignal;
  throw new UsageError(`${flag}: unknown eviction signal ${JSON.stringify(key)}, expected one of ${SIGNAL_LIST}`);
}

/**
 * One `signal<value` statement (parseThresholdStatement): a percentage in (0, 100] of capacity — `0%`
 * and `100%` are ignored (the kubelet's way to switch a threshold off; null here) — or a positive
 * quantity.
 */
function thresholdValue(flag: string, signal: EvictionSignal, value: string): { quantity?: number; percentage?: number } | null {
  if (value.endsWith('%')) {
    if (value === '0%' || value === '100%') return null;
    const p = parsePercentage(value);
    if (p === null) throw new UsageError(`${flag}: ${signal}<${value}: expected a percentage such as 10% or a quantity such as 100Mi, 1Gi or 500M`);
    if (p < 0) throw new UsageError(`${flag}: ${signal}<${value}: a percentage threshold must be >= 0%`);
    if (p > 1) throw new UsageError(`${flag}: ${signal}<${value}: a percentage threshold must be <= 100%`);
    return { percentage: p };
  }
  const q = parseSignedQuantity(value);
  if (q === null) throw new UsageError(`${flag}: ${signal}<${value}: expected a percentage such as 10% or a quantity such as 100Mi, 1Gi or 500M`);
  const amount = quantityToUnits(q.quantity, 1);
  if (q.negative || amount === 0) throw new UsageError(`${flag}: ${signal}<${value}: an eviction threshold must be positive`);
  return { quantity: amount };
}

function parseThresholds(flag: string, text: string): EvictionThreshold[] {
  const out: EvictionThreshold[] = [];
  for (const [key, value] of parseFlagMap(flag, text, '<', 'memory.available<100Mi,nodefs.available<10%')) {
    const signal = signalOf(flag, key);
    const v = thresholdValue(flag, signal, value);
    if (v !== null) out.push({ signal, ...v, gracePeriod: 0 });
  }
  return out;
}

function nonNegativeDuration(flag: string, key: string, value: string): number {
  const us = parseGoDuration(value);
  const what = key === '' ? JSON.stringify(value) : `${key}=${value}`;
  if (us === null) throw new UsageError(`${flag}: ${what}: expected ${DURATION_EXPECTED}`);
  if (us < 0) throw new UsageError(`${flag}: ${what}: a period must not be negative`);
  return us;
}

/** A minimum reclaim (parseMinimumReclaims): a positive percentage, or a non-negative quantity. */
function reclaimValue(flag: string, signal: EvictionSignal, value: string): { quantity?: number; percentage?: number } {
  if (value.endsWith('%')) {
    const p = parsePercentage(value);
    if (p === null) throw new UsageError(`${flag}: ${signal}=${value}: expected a percentage such as 5% or a quantity such as 500Mi`);
    if (p <= 0) throw new UsageError(`${flag}: ${signal}=${value}: a percentage minimum reclaim must be positive`);
    // The kubelet does not bound it; reclaiming more than the capacity can never be satisfied.
    if (p > 1) throw new UsageError(`${flag}: ${signal}=${value}: a percentage minimum reclaim must be <= 100%`);
    return { percentage: p };
  }
  const q = parseSignedQuantity(value);
  if (q === null) throw new UsageError(`${flag}: ${signal}=${value}: expected a percentage such as 5% or a quantity such as 500Mi or 1Gi`);
  if (q.negative) throw new UsageError(`${flag}: ${signal}=${value}: a minimum reclaim must not be negative`);
  return { quantity: quantityToUnits(q.quantity, 1) };
}

/** Resources the kubelet lets one reserve (parseResourceList), and the schedlab dimension each maps to. */
const RESERVABLE = ['cpu', 'memory', 'ephemeral-storage', 'pid'] as const;

function parseReserved(flag: string, text: string | undefined, resourceNames: readonly string[], notes: string[]): Float64Array {
  const out = new Float64Array(resourceNames.length);
  if (text === undefined) return out;
  for (const [key, value] of parseFlagMap(flag, text, '=', 'cpu=100m,memory=1Gi,ephemeral-storage=1Gi')) {
    if (!(RESERVABLE as readonly string[]).includes(key)) {
      throw new UsageError(`${flag}: cannot reserve ${JSON.stringify(key)}, expected one of ${RESERVABLE.join(', ')}`);
    }
    const q = parseSignedQuantity(value);
    if (q === null) throw new UsageError(`${flag}: ${key}=${value}: expected ${QUANTITY_EXPECTED}`);
    if (q.negative) throw new UsageError(`${flag}: ${key}=${value}: a reservation must not be negative`);
    const d = key === 'ephemeral-storage' ? diskDimension(resourceNames) : key === 'pid' ? -1 : resourceNames.indexOf(key);
    if (d < 0) {
      notes.push(`${flag} ${key}=${value}: this workload has no ${key} dimension, so the reservation has no effect`);
      continue;
    }
    // CPU in millicores, memory and storage in bytes (model/resources.ts), rounded up as Quantity.MilliValue()/Value().
    out[d] = quantityToUnits(q.quantity, key === 'cpu' ? 1000 : 1);
  }
  return out;
}

/**
 * The kubelet settings from its flags; see each part's doc comment for the rule and its source.
 * Checks beyond the kubelet's (all reported as one-line UsageErrors naming the flag): a signal or
 * reserved resource given twice, a grace period for a signal without a soft threshold, a minimum
 * reclaim for a signal without any threshold (the kubelet ignores both silently), a minimum reclaim
 * percentage over 100%.
 */
export function parseKubeletConfig(flags: KubeletFlags, resourceNames: readonly string[]): KubeletConfig {
  const notes: string[] = [];
  const hasDisk = diskDimension(resourceNames) >= 0;
  const hard = parseThresholds('--eviction-hard', flags.evictionHard ?? (hasDisk ? DEFAULT_EVICTION_HARD_DISK : DEFAULT_EVICTION_HARD));
  const soft = flags.evictionSoft === undefined ? [] : parseThresholds('--eviction-soft', flags.evictionSoft);

  // Grace periods: every soft threshold needs one ("grace period must be specified for the soft
  // eviction threshold"); each must be a Go duration >= 0.
  const grace = new Map<EvictionSignal, number>();
  if (flags.evictionSoftGracePeriod !== undefined) {
    const flag = '--eviction-soft-grace-period';
    for (const [key, value] of parseFlagMap(flag, flags.evictionSoftGracePeriod, '=', 'memory.available=1m30s')) {
      const signal = signalOf(flag, key);
      grace.set(signal, nonNegativeDuration(flag, key, value));
      if (!soft.some((t) => t.signal === signal)) {
        throw new UsageError(`${flag}: ${key} has no soft threshold in --eviction-soft, so its grace period would never apply`);
      }
    }
  }
  for (const t of soft) {
    const g = grace.get(t.signal);
    if (g === undefined) {
      throw new UsageError(`--eviction-soft: ${t.signal} needs a grace period in --eviction-soft-grace-period, e.g. ${t.signal}=1m30s`);
    }
    t.gracePeriod = g;
  }

  // Minimum reclaim applies to every threshold (hard and soft) of its signal.
  if (flags.evictionMinimumReclaim !== undefined) {
    const flag = '--eviction-minimum-reclaim';
    for (const [key, value] of parseFlagMap(flag, flags.evictionMinimumReclaim, '=', 'memory.available=500Mi')) {
      const signal = signalOf(flag, key);
      const r = reclaimValue(flag, signal, value);
      const targets = [...hard, ...soft].filter((t) => t.signal === signal);
      if (targets.length === 0) throw new UsageError(`${flag}: ${key} has no threshold in --eviction-hard or --eviction-soft`);
      for (const t of targets) t.minimumReclaim = { ...r };
    }
  }

  const pressureTransitionPeriod =
    flags.evictionPressureTransitionPeriod === undefined
      ? DEFAULT_PRESSURE_TRANSITION_PERIOD
      : nonNegativeDuration('--eviction-pressure-transition-period', '', flags.evictionPressureTransitionPeriod);

  const hk = flags.housekeepingSeconds;
  if (hk !== undefined && !(Number.isFinite(hk) && hk > 0)) {
    throw new UsageError(`--housekeeping-seconds: expected a positive number of seconds (kubelet default 10), got ${hk}`);
  }
  const housekeepingPeriod = hk === undefined ? DEFAULT_HOUSEKEEPING_PERIOD : Math.max(1, Math.round(hk * US_PER_SECOND));

  const kubeReserved = parseReserved('--kube-reserved', flags.kubeReserved, resourceNames, notes);
  const systemReserved = parseReserved('--system-reserved', flags.systemReserved, resourceNames, notes);

  for (const t of [...hard, ...soft]) {
    if (!isObservedSignal(t.signal, resourceNames)) {
      const why = t.signal.endsWith('inodesFree') ? 'schedlab does not model inodes' : t.signal === 'pid.available' ? 'schedlab does not model process counts' : 'this workload has no disk (ephemeral-storage) dimension';
      notes.push(`eviction threshold ${t.signal} (${t.gracePeriod === 0 ? 'hard' : 'soft'}) is never met: ${why}`);
    }
  }
  return { hard, soft, pressureTransitionPeriod, housekeepingPeriod, kubeReserved, systemReserved, notes };
}

/**
 * The threshold in bytes for a signal of the given capacity (eviction/api GetThresholdQuantity):
 * the quantity, else `int64(capacity × percentage)` (truncated, as the kubelet's conversion).
 */
export function thresholdAmount(t: { quantity?: number; percentage?: number }, capacity: number): number {
  if (t.quantity !== undefined) return t.quantity;
  if (t.percentage !== undefined) return Math.trunc(capacity * t.percentage);
  return 0;
}

/**
 * Node allocatable (pkg/kubelet/cm GetNodeAllocatableReservation, hardEvictionReservation;
 * ../shared/docs/models.md): per dimension `capacity − kube-reserved − system-reserved − hard
 * eviction threshold`, the threshold being `memory.available` on memory and `nodefs.available` on
 * the disk dimension (ephemeral-storage) if the workload has one; only hard thresholds count (the
 * kubelet parses --eviction-hard alone for this); a negative result is 0. Writes
 * `resourceNames.length` values at `out[outOffset..]`.
 */
export function nodeAllocatable(
  capacity: Float64Array,
  capOffset: number,
  cfg: KubeletConfig,
  resourceNames: readonly string[],
  out: Float64Array,
  outOffset: number,
): void {
  const dims = resourceNames.length;
  const memory = resourceNames.indexOf('memory');
  const disk = diskDimension(resourceNames);
  for (let d = 0; d < dims; d++) {
    const cap = capacity[capOffset + d];
    let v = cap - cfg.kubeReserved[d] - cfg.systemReserved[d];
    if (d === memory || d === disk) {
      const signal: EvictionSignal = d === memory ? 'memory.available' : 'nodefs.available';
      for (const t of cfg.hard) if (t.signal === signal && t.gracePeriod === 0) v -= thresholdAmount(t, cap);
    }
    out[outOffset + d] = v > 0 ? v : v === v ? 0 : v;
  }
}
