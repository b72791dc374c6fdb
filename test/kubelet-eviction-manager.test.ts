import { describe, expect, it } from 'vitest';
import { GiB, MiB, US_PER_SECOND } from '../model/units.js';
import { EvictionManager, EvictionNeed } from '../harness/kubelet/eviction-manager.js';
import { parseKubeletConfig, type KubeletFlags } from '../harness/kubelet/kubelet-config.js';

const S = US_PER_SECOND;
const CAP = 16 * GiB;
const names = ['cpu', 'memory'];
const manager = (flags: KubeletFlags, resourceNames: readonly string[] = names) => new EvictionManager(parseKubeletConfig(flags, resourceNames));

describe('EvictionManager: hard thresholds', () => {
  it('a hard threshold acts on the first pass below it, with the node condition at once', () => {
    const em = manager({});
    expect(em.synchronize(0, 0, 200 * MiB, CAP)).toBe(EvictionNeed.None);
    expect(em.memoryPressure(0)).toBe(false);
    expect(em.needsAttention(0)).toBe(false);
    expect(em.synchronize(0, 10 * S, 60 * MiB, CAP)).toBe(EvictionNeed.Memory);
    expect(em.reclaimNeeded(0, EvictionNeed.Memory)).toBe(40 * MiB); // 100Mi − 60Mi
    expect(em.memoryPressure(0)).toBe(true);
    expect(em.diskPressure(0)).toBe(false);
    expect(em.needsAttention(0)).toBe(true);
  });

  it('exactly at the threshold is not below it (threshold > available)', () => {
    const em = manager({});
    expect(em.synchronize(0, 0, 100 * MiB, CAP)).toBe(EvictionNeed.None);
    expect(em.synchronize(0, 10 * S, 100 * MiB - 1, CAP)).toBe(EvictionNeed.Memory);
  });

  it('a percentage threshold is taken of the observed capacity', () => {
    const em = manager({ evictionHard: 'memory.available<10%' });
    // 10% (float32) of 1000 MiB = 100 MiB (+ a few bytes, truncated)
    const cap = 1000 * MiB;
    expect(em.synchronize(0, 0, 100 * MiB + 100, cap)).toBe(EvictionNeed.None);
    expect(em.synchronize(0, 1, 99 * MiB, cap)).toBe(EvictionNeed.Memory);
    expect(em.synchronize(1, 1, 99 * MiB, 10_000 * MiB)).toBe(EvictionNeed.Memory);
    expect(em.synchronize(2, 1, 99 * MiB, 900 * MiB)).toBe(EvictionNeed.None); // 90 MiB threshold
  });
});

describe('EvictionManager: soft thresholds and grace periods', () => {
  const flags: KubeletFlags = { evictionSoft: 'memory.available<1Gi', evictionSoftGracePeriod: 'memory.available=1m30s' };

  it('waits its grace period, met continuously; the condition is on from the first pass', () => {
    const em = manager(flags);
    expect(em.synchronize(0, 0, 512 * MiB, CAP)).toBe(EvictionNeed.None);
    expect(em.memoryPressure(0)).toBe(true); // conditions come from thresholds met, before grace
    expect(em.needsAttention(0)).toBe(true); // grace running
    expect(em.synchronize(0, 80 * S, 512 * MiB, CAP)).toBe(EvictionNeed.None);
    expect(em.synchronize(0, 90 * S, 512 * MiB, CAP)).toBe(EvictionNeed.Memory); // 90 s ≥ grace
    expect(em.reclaimNeeded(0, EvictionNeed.Memory)).toBe(512 * MiB);
  });

  it('restarts the grace period when the signal recovers in between', () => {
    const em = manager(flags);
    em.synchronize(0, 0, 512 * MiB, CAP);
    em.synchronize(0, 60 * S, 2 * GiB, CAP); // recovered: leaves the set
    expect(em.synchronize(0, 70 * S, 512 * MiB, CAP)).toBe(EvictionNeed.None); // first observed again at 70 s
    expect(em.synchronize(0, 150 * S, 512 * MiB, CAP)).toBe(EvictionNeed.None); // 80 s < 90 s
    expect(em.synchronize(0, 160 * S, 512 * MiB, CAP)).toBe(EvictionNeed.Memory);
  });

  it('a hard threshold below the soft one still acts at once', () => {
    const em = manager({ ...flags, evictionHard: 'memory.available<100Mi' });
    expect(em.synchronize(0, 0, 50 * MiB, CAP)).toBe(EvictionNeed.Memory);
    // the soft one is met too but still in grace; the need is the hard one's
    expect(em.reclaimNeeded(0, EvictionNeed.Memory)).toBe(50 * MiB);
    expect(em.synchronize(0, 90 * S, 50 * MiB, CAP)).toBe(EvictionNeed.Memory);
    expect(em.reclaimNeeded(0, EvictionNeed.Memory)).toBe(GiB - 50 * MiB); // both acting: the larger
  });
});

describe('EvictionManager: minimum reclaim', () => {
  it('keeps acting until available ≥ threshold + minimum reclaim, then stops', () => {
    const em = manager({ evictionHard: 'memory.available<100Mi', evictionMinimumReclaim: 'memory.available=500Mi' });
    expect(em.synchronize(0, 0, 50 * MiB, CAP)).toBe(EvictionNeed.Memory);
    expect(em.reclaimNeeded(0, EvictionNeed.Memory)).toBe(550 * MiB); // 100 + 500 − 50
    expect(em.synchronize(0, 10 * S, 300 * MiB, CAP)).toBe(EvictionNeed.Memory); // above 100Mi, below 600Mi
    expect(em.reclaimNeeded(0, EvictionNeed.Memory)).toBe(300 * MiB);
    expect(em.synchronize(0, 20 * S, 600 * MiB, CAP)).toBe(EvictionNeed.None); // resolved
    // Not acting any more: 300 MiB is above the bare threshold, so it does not start again.
    expect(em.synchronize(0, 30 * S, 300 * MiB, CAP)).toBe(EvictionNeed.None);
  });

  it('a threshold never met does not act just for being under threshold + reclaim', () => {
    const em = manager({ evictionHard: 'memory.available<100Mi', evictionMinimumReclaim: 'memory.available=500Mi' });
    expect(em.synchronize(0, 0, 300 * MiB, CAP)).toBe(EvictionNeed.None);
    expect(em.memoryPressure(0)).toBe(false);
  });

  it('a percentage minimum reclaim is of capacity', () => {
    const em = manager({ evictionHard: 'memory.available<100Mi', evictionMinimumReclaim: 'memory.available=5%' });
    em.synchronize(0, 0, 0, 1000 * MiB);
    expect(em.reclaimNeeded(0, EvictionNeed.Memory)).toBe(100 * MiB + Math.trunc(1000 * MiB * Math.fround(0.05)));
  });
});

describe('EvictionManager: pressure transition period', () => {
  it('holds the condition for the transition period after the last threshold met, then clears it', () => {
    const em = manager({ evictionPressureTransitionPeriod: '5m' });
    em.synchronize(0, 0, 50 * MiB, CAP);
    expect(em.memoryPressure(0)).toBe(true);
    expect(em.synchronize(0, 10 * S, GiB, CAP)).toBe(EvictionNeed.None);
    expect(em.memoryPressure(0)).toBe(true); // held
    expect(em.needsAttention(0)).toBe(true); // must be re-evaluated for the condition to clear
    em.synchronize(0, 299 * S, GiB, CAP);
    expect(em.memoryPressure(0)).toBe(true); // 299 s < 300 s since last met (t = 0)
    em.synchronize(0, 300 * S, GiB, CAP);
    expect(em.memoryPressure(0)).toBe(false);
    expect(em.needsAttention(0)).toBe(false);
  });

  it('a new threshold met during the hold restarts it', () => {
    const em = manager({ evictionPressureTransitionPeriod: '1m' });
    em.synchronize(0, 0, 50 * MiB, CAP);
    em.synchronize(0, 30 * S, GiB, CAP);
    em.synchronize(0, 50 * S, 50 * MiB, CAP);
    em.synchronize(0, 100 * S, GiB, CAP);
    expect(em.memoryPressure(0)).toBe(true); // 50 s since t = 50 s
    em.synchronize(0, 110 * S, GiB, CAP);
    expect(em.memoryPressure(0)).toBe(false);
  });
});

describe('EvictionManager: transition period 0', () => {
  it('evicts but never reports the condition (nodeConditionsObservedSince: duration < period)', () => {
    const em = manager({ evictionPressureTransitionPeriod: '0s' });
    expect(em.synchronize(0, 0, 50 * MiB, CAP)).toBe(EvictionNeed.Memory);
    expect(em.memoryPressure(0)).toBe(false);
  });
});

describe('EvictionManager: disk, unmodeled signals, nodes', () => {
  it('nodefs below its threshold is a disk need and DiskPressure; memory ranks first when both act', () => {
    const em = manager({}, ['cpu', 'memory', 'ephemeral-storage']); // defaults: nodefs<10%, imagefs<15%
    const disk = 100 * GiB;
    expect(em.synchronize(0, 0, GiB, CAP, 50 * GiB, disk)).toBe(EvictionNeed.None);
    // 12% free: imagefs<15% (same filesystem) is met, nodefs<10% is not
    expect(em.synchronize(0, 10 * S, GiB, CAP, 12 * GiB, disk)).toBe(EvictionNeed.Disk);
    expect(em.diskPressure(0)).toBe(true);
    expect(em.memoryPressure(0)).toBe(false);
    expect(em.reclaimNeeded(0, EvictionNeed.Disk)).toBe(Math.trunc(disk * Math.fround(0.15)) - 12 * GiB);
    expect(em.synchronize(0, 20 * S, 10 * MiB, CAP, 12 * GiB, disk)).toBe(EvictionNeed.Memory);
    expect(em.reclaimNeeded(0, EvictionNeed.Disk)).toBeGreaterThan(0); // disk still acting, reported after memory
  });

  it('a signal observed as NaN never meets its threshold', () => {
    const em = manager({ evictionHard: 'memory.available<100Mi,nodefs.available<10%' });
    expect(em.synchronize(0, 0, GiB, CAP)).toBe(EvictionNeed.None);
    expect(em.diskPressure(0)).toBe(false);
    expect(em.needsAttention(0)).toBe(false);
  });

  it('nodes are independent, numbers grow on demand, reset forgets a node', () => {
    const em = manager({ evictionSoft: 'memory.available<1Gi', evictionSoftGracePeriod: 'memory.available=1m' });
    expect(em.memoryPressure(5000)).toBe(false); // never seen
    em.synchronize(5000, 0, 512 * MiB, CAP);
    em.synchronize(3, 0, 4 * GiB, CAP);
    expect(em.memoryPressure(5000)).toBe(true);
    expect(em.memoryPressure(3)).toBe(false);
    em.reset(5000);
    expect(em.memoryPressure(5000)).toBe(false);
    expect(em.needsAttention(5000)).toBe(false);
    // the grace period starts over after the reset
    expect(em.synchronize(5000, 60 * S, 512 * MiB, CAP)).toBe(EvictionNeed.None);
    expect(em.synchronize(5000, 120 * S, 512 * MiB, CAP)).toBe(EvictionNeed.Memory);
  });
});
