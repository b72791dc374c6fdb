import { describe, expect, it } from 'vitest';
import { UsageError } from '../model/errors.js';
import { GiB, MiB, US_PER_SECOND } from '../model/units.js';
import { nodeAllocatable, parseKubeletConfig, thresholdAmount, type KubeletFlags } from '../harness/kubelet/kubelet-config.js';
import { parseFlagMap, parseGoDuration, parsePercentage } from '../harness/kubelet/quantity-flags.js';

const CPU_MEM = ['cpu', 'memory'] as const;
const WITH_DISK = ['cpu', 'memory', 'ephemeral-storage'] as const;
const S = US_PER_SECOND;

/** The one-line UsageError a parse throws. */
function errorOf(flags: KubeletFlags, names: readonly string[] = CPU_MEM): string {
  try {
    parseKubeletConfig(flags, names);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const m = (e as Error).message;
    expect(m).not.toContain('\n');
    return m;
  }
  throw new Error('expected a UsageError');
}

describe('Go durations (time.ParseDuration)', () => {
  it.each([
    ['5m', 300 * S],
    ['1m30s', 90 * S],
    ['1h', 3600 * S],
    ['1.5h', 5400 * S],
    ['300ms', 300_000],
    ['10us', 10],
    ['10µs', 10],
    ['0', 0],
    ['+2s', 2 * S],
    ['-1m', -60 * S],
    ['.5s', 500_000],
    ['1h2m3s4ms', 3723 * S + 4000],
  ])('%s = %d µs', (text, us) => expect(parseGoDuration(text)).toBe(us));

  it.each(['', '5', '1x', 'm', '.s', '1m30', 'abc', '1 m', '1e3s'])('%j is not a duration', (text) =>
    expect(parseGoDuration(text)).toBeNull(),
  );
});

describe('kubelet flag maps and percentages', () => {
  it('splits on commas, skips empty pairs, trims, splits at the first separator', () => {
    const m = parseFlagMap('--eviction-hard', ' memory.available < 100Mi ,,nodefs.available<10%', '<', 'x');
    expect([...m]).toEqual([
      ['memory.available', '100Mi'],
      ['nodefs.available', '10%'],
    ]);
  });
  it('percentages are the kubelet float32 fraction', () => {
    expect(parsePercentage('10%')).toBe(Math.fround(Math.fround(10) / 100));
    expect(parsePercentage('10%')).not.toBe(0.1); // float32 0.1 is 0.100000001490116…
    expect(parsePercentage('7.5%')).toBe(Math.fround(0.075));
    expect(parsePercentage('abc%')).toBeNull();
  });
});

describe('parseKubeletConfig: defaults', () => {
  it('without flags: hard memory.available<100Mi only (no disk dimension), 5 m transition, 10 s housekeeping, no reserve', () => {
    const c = parseKubeletConfig({}, CPU_MEM);
    expect(c.hard).toEqual([{ signal: 'memory.available', quantity: 100 * MiB, gracePeriod: 0 }]);
    expect(c.soft).toEqual([]);
    expect(c.pressureTransitionPeriod).toBe(300 * S);
    expect(c.housekeepingPeriod).toBe(10 * S);
    expect([...c.kubeReserved]).toEqual([0, 0]);
    expect([...c.systemReserved]).toEqual([0, 0]);
    expect(c.notes).toEqual([]);
  });

  it('with a disk dimension the Linux default adds nodefs 10%, nodefs inodes 5%, imagefs 15% (inodes noted as not modeled)', () => {
    const c = parseKubeletConfig({}, WITH_DISK);
    expect(c.hard.map((t) => [t.signal, t.quantity ?? t.percentage])).toEqual([
      ['memory.available', 100 * MiB],
      ['nodefs.available', Math.fround(0.1)],
      ['nodefs.inodesFree', Math.fround(0.05)],
      ['imagefs.available', Math.fround(0.15)],
    ]);
    expect(c.notes).toHaveLength(1);
    expect(c.notes![0]).toContain('nodefs.inodesFree');
  });

  it('--eviction-hard replaces the whole default (as the kubelet flag clears its map)', () => {
    const c = parseKubeletConfig({ evictionHard: 'memory.available<1Gi' }, WITH_DISK);
    expect(c.hard).toEqual([{ signal: 'memory.available', quantity: GiB, gracePeriod: 0 }]);
  });

  it('0% and 100% switch a threshold off (ignored, as parseThresholdStatement does)', () => {
    expect(parseKubeletConfig({ evictionHard: 'memory.available<0%' }, CPU_MEM).hard).toEqual([]);
    expect(parseKubeletConfig({ evictionHard: 'memory.available<100%' }, CPU_MEM).hard).toEqual([]);
  });

  it('a disk signal without a disk dimension is accepted and noted as never met', () => {
    const c = parseKubeletConfig({ evictionHard: 'memory.available<100Mi,nodefs.available<10%' }, CPU_MEM);
    expect(c.hard).toHaveLength(2);
    expect(c.notes!.some((n) => n.includes('nodefs.available') && n.includes('no disk'))).toBe(true);
  });
});

describe('parseKubeletConfig: the kubelet syntax', () => {
  it('hard, soft with grace, minimum reclaim, transition period, reserves, housekeeping', () => {
    const c = parseKubeletConfig(
      {
        evictionHard: 'memory.available<100Mi,nodefs.available<10%',
        evictionSoft: 'memory.available<1.5Gi',
        evictionSoftGracePeriod: 'memory.available=1m30s',
        evictionMinimumReclaim: 'memory.available=500Mi,nodefs.available=5%',
        evictionPressureTransitionPeriod: '30s',
        kubeReserved: 'cpu=100m,memory=1Gi,ephemeral-storage=1Gi',
        systemReserved: 'cpu=0.5,memory=512Mi',
        housekeepingSeconds: 5,
      },
      WITH_DISK,
    );
    expect(c.hard).toEqual([
      { signal: 'memory.available', quantity: 100 * MiB, gracePeriod: 0, minimumReclaim: { quantity: 500 * MiB } },
      { signal: 'nodefs.available', percentage: Math.fround(0.1), gracePeriod: 0, minimumReclaim: { percentage: Math.fround(0.05) } },
    ]);
    expect(c.soft).toEqual([{ signal: 'memory.available', quantity: 1.5 * GiB, gracePeriod: 90 * S, minimumReclaim: { quantity: 500 * MiB } }]);
    expect(c.pressureTransitionPeriod).toBe(30 * S);
    expect(c.housekeepingPeriod).toBe(5 * S);
    expect([...c.kubeReserved]).toEqual([100, GiB, GiB]);
    expect([...c.systemReserved]).toEqual([500, 512 * MiB, 0]);
  });

  it('a reservation of a resource the workload lacks (pid, disk) is accepted and noted', () => {
    const c = parseKubeletConfig({ kubeReserved: 'pid=1000,ephemeral-storage=1Gi' }, CPU_MEM);
    expect([...c.kubeReserved]).toEqual([0, 0]);
    expect(c.notes).toHaveLength(2);
  });

  it('the disk dimension may be called disk (schedlab’s name for ephemeral-storage)', () => {
    const c = parseKubeletConfig({ systemReserved: 'ephemeral-storage=2Gi' }, ['cpu', 'memory', 'disk']);
    expect([...c.systemReserved]).toEqual([0, 0, 2 * GiB]);
    expect(c.hard.map((t) => t.signal)).toContain('nodefs.available');
  });
});

describe('parseKubeletConfig: errors name the flag and what was expected', () => {
  it.each<[string, KubeletFlags, RegExp]>([
    ['not a quantity', { evictionHard: 'memory.available<abc' }, /^--eviction-hard: memory\.available<abc: expected a percentage such as 10% or a quantity such as 100Mi/],
    ['percentage over 100', { evictionHard: 'memory.available<150%' }, /^--eviction-hard: .*must be <= 100%/],
    ['negative percentage', { evictionHard: 'memory.available<-5%' }, /^--eviction-hard: .*must be >= 0%/],
    ['zero quantity', { evictionHard: 'memory.available<0' }, /^--eviction-hard: .*must be positive/],
    ['negative quantity', { evictionHard: 'memory.available<-1Gi' }, /^--eviction-hard: .*must be positive/],
    ['unknown signal', { evictionHard: 'memory.availabel<100Mi' }, /^--eviction-hard: unknown eviction signal "memory\.availabel", expected one of memory\.available/],
    ['> instead of <', { evictionHard: 'memory.available>100Mi' }, /^--eviction-hard: malformed pair "memory\.available>100Mi", expected key<value .*use "<"/],
    ['soft without grace', { evictionSoft: 'memory.available<1Gi' }, /^--eviction-soft: memory\.available needs a grace period in --eviction-soft-grace-period/],
    [
      'grace without soft',
      { evictionSoft: 'memory.available<1Gi', evictionSoftGracePeriod: 'memory.available=1m,nodefs.available=2m' },
      /^--eviction-soft-grace-period: nodefs\.available has no soft threshold/,
    ],
    ['grace not a duration', { evictionSoft: 'memory.available<1Gi', evictionSoftGracePeriod: 'memory.available=90' }, /^--eviction-soft-grace-period: memory\.available=90: expected a duration/],
    ['negative grace', { evictionSoft: 'memory.available<1Gi', evictionSoftGracePeriod: 'memory.available=-1m' }, /^--eviction-soft-grace-period: .*must not be negative/],
    ['grace for unknown signal', { evictionSoft: 'memory.available<1Gi', evictionSoftGracePeriod: 'mem=1m' }, /^--eviction-soft-grace-period: unknown eviction signal "mem"/],
    ['negative reserve', { kubeReserved: 'memory=-1Gi' }, /^--kube-reserved: memory=-1Gi: a reservation must not be negative/],
    ['unknown resource', { systemReserved: 'gpu=1' }, /^--system-reserved: cannot reserve "gpu", expected one of cpu, memory, ephemeral-storage, pid/],
    ['reserve not a quantity', { systemReserved: 'cpu=lots' }, /^--system-reserved: cpu=lots: expected a Kubernetes quantity/],
    ['reserve without =', { kubeReserved: 'cpu:100m' }, /^--kube-reserved: malformed pair "cpu:100m", expected key=value/],
    ['reclaim without threshold', { evictionMinimumReclaim: 'nodefs.available=1Gi' }, /^--eviction-minimum-reclaim: nodefs\.available has no threshold/],
    ['negative reclaim', { evictionMinimumReclaim: 'memory.available=-1Gi' }, /^--eviction-minimum-reclaim: .*must not be negative/],
    ['reclaim not a quantity', { evictionMinimumReclaim: 'memory.available=lots' }, /^--eviction-minimum-reclaim: memory\.available=lots: expected a percentage such as 5% or a quantity/],
    ['percentage not a number', { evictionHard: 'memory.available<ten%' }, /^--eviction-hard: memory\.available<ten%: expected a percentage/],
    ['zero percent reclaim', { evictionMinimumReclaim: 'memory.available=0%' }, /^--eviction-minimum-reclaim: .*must be positive/],
    ['transition not a duration', { evictionPressureTransitionPeriod: '5 minutes' }, /^--eviction-pressure-transition-period: "5 minutes": expected a duration/],
    ['negative transition', { evictionPressureTransitionPeriod: '-5m' }, /^--eviction-pressure-transition-period: .*must not be negative/],
    ['signal twice', { evictionHard: 'memory.available<1Gi,memory.available<2Gi' }, /^--eviction-hard: memory\.available is given twice/],
    ['housekeeping 0', { housekeepingSeconds: 0 }, /^--housekeeping-seconds: expected a positive number/],
  ])('%s', (_name, flags, message) => {
    expect(errorOf(flags)).toMatch(message);
  });
});

describe('thresholds and allocatable', () => {
  it('a percentage threshold is the truncated share of capacity, a quantity is itself', () => {
    expect(thresholdAmount({ quantity: 100 * MiB }, 32 * GiB)).toBe(100 * MiB);
    // 10% of 1000 bytes with the kubelet's float32 0.1: 1000 × 0.100000001490116 = 100.0000015 → 100
    expect(thresholdAmount({ percentage: parsePercentage('10%')! }, 1000)).toBe(100);
    expect(thresholdAmount({ percentage: 0.15 }, 999)).toBe(149);
  });

  it('allocatable = capacity − kube-reserved − system-reserved − hard eviction threshold (memory, nodefs on disk)', () => {
    const cfg = parseKubeletConfig(
      {
        evictionHard: 'memory.available<500Mi,nodefs.available<10%,imagefs.available<15%',
        evictionSoft: 'memory.available<2Gi',
        evictionSoftGracePeriod: 'memory.available=1m',
        kubeReserved: 'cpu=100m,memory=1Gi,ephemeral-storage=1Gi',
        systemReserved: 'cpu=200m,memory=512Mi',
      },
      WITH_DISK,
    );
    const capacity = new Float64Array([0, 0, 0, 8000, 32 * GiB, 100 * GiB]);
    const out = new Float64Array(4).fill(-7);
    nodeAllocatable(capacity, 3, cfg, WITH_DISK, out, 1);
    expect(out[0]).toBe(-7); // nothing written before the offset
    expect(out[1]).toBe(8000 - 100 - 200);
    // Soft thresholds do not count; imagefs does not (hardEvictionReservation: memory and nodefs only).
    expect(out[2]).toBe(32 * GiB - GiB - 512 * MiB - 500 * MiB);
    expect(out[3]).toBe(100 * GiB - GiB - Math.trunc(100 * GiB * Math.fround(0.1)));
  });

  it('reservations beyond capacity give 0, not a negative allocatable', () => {
    const cfg = parseKubeletConfig({ kubeReserved: 'memory=3Gi' }, CPU_MEM);
    const out = new Float64Array(2);
    nodeAllocatable(new Float64Array([4000, 2 * GiB]), 0, cfg, CPU_MEM, out, 0);
    expect([...out]).toEqual([4000, 0]);
  });
});
