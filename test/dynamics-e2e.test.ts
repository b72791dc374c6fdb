import { describe, expect, it } from 'vitest';
import { runSpec, type ReplaySpec } from '../harness/replay-spec.js';
import { DynamicsCause, type DynamicsResults } from '../reports/replay-results.js';
import { QosClass } from '../model/qos-class.js';

// The default workload of `schedlab replay` (cli/options.ts WORKLOAD_DEFAULTS, policy kube-default).
const DEFAULT: ReplaySpec = { workload: 'synthetic', policy: 'kube-default', seed: 1, nodes: 100, tasks: 20_000, hours: 24, instance: 'm5.2xlarge' };

function evictionsByQos(qos: Uint8Array, d: DynamicsResults): number[] {
  const out = [0, 0, 0];
  const ev = d.events;
  for (let i = 0; i < ev.length; i++) if (ev.cause[i] === DynamicsCause.EvictionMemoryPressure) out[qos[ev.task[i]]]++;
  return out;
}

describe('node dynamics on the default workload', () => {
  it('memory overcommit evicts BestEffort before Burstable before Guaranteed, node by node', async () => {
    const out = await runSpec({ ...DEFAULT, dynamics: { enabled: true, overcommit: 'memory=1.5' } });
    const r = out.result;
    const d = r.dynamics!;
    const by = evictionsByQos(r.tasks.qos, d);
    // Overcommitting memory on this workload must cause kubelet evictions, of both classes that
    // can exceed their requests; Guaranteed pods (limit = request) are OOM-killed at the limit, not
    // evicted ahead of the others.
    expect(by[QosClass.BestEffort]).toBeGreaterThan(0);
    expect(by[QosClass.Burstable]).toBeGreaterThan(0);
    expect(by[QosClass.Guaranteed]).toBeLessThan(by[QosClass.Burstable]);
    // Within each pressure episode of a node (MemoryPressure on → off), the classes evicted come in
    // the order BestEffort, Burstable, Guaranteed. The one exception the kubelet's ranking allows:
    // a BestEffort pod that used nothing when a Burstable one went (its container down after an
    // OOM kill, or a zero step of its series) ranks with the pods within their requests, and can
    // be evicted later, once it uses memory again. Every exception must be a BestEffort pod, and
    // they must be rare.
    const ev = d.events;
    const lastQos = new Map<number, number>();
    let episodes = 0;
    let ordered = 0;
    let exceptions = 0;
    for (let i = 0; i < ev.length; i++) {
      const node = ev.node[i];
      const cause = ev.cause[i];
      if (cause === DynamicsCause.PressureOn) {
        episodes++;
        lastQos.set(node, -1);
      } else if (cause === DynamicsCause.PressureOff) {
        lastQos.delete(node);
      } else if (cause === DynamicsCause.EvictionMemoryPressure) {
        const rank = 2 - r.tasks.qos[ev.task[i]]; // BestEffort 0, Burstable 1, Guaranteed 2
        const prev = lastQos.get(node) ?? -1;
        if (rank >= prev) ordered++;
        else {
          exceptions++;
          expect(r.tasks.qos[ev.task[i]]).toBe(QosClass.BestEffort);
        }
        lastQos.set(node, Math.max(prev, rank));
      }
    }
    expect(episodes).toBeGreaterThan(0);
    expect(ordered).toBeGreaterThan(exceptions * 20);
  }, 120_000);

  it('is deterministic: the same seed gives the same events, bit for bit', async () => {
    const spec = { ...DEFAULT, tasks: 5000, dynamics: { enabled: true, overcommit: 'memory=1.5' } };
    const a = (await runSpec(spec)).result.dynamics!;
    const b = (await runSpec(spec)).result.dynamics!;
    expect(a.events.length).toBeGreaterThan(0);
    expect(b.events.length).toBe(a.events.length);
    for (const col of ['time', 'node', 'task', 'cause', 'memory', 'amount', 'duration'] as const) {
      expect(Buffer.from(b.events[col].buffer, 0, b.events.length * b.events[col].BYTES_PER_ELEMENT).equals(Buffer.from(a.events[col].buffer, 0, a.events.length * a.events[col].BYTES_PER_ELEMENT))).toBe(true);
    }
    expect(Array.from(b.throttledCpuSeconds)).toEqual(Array.from(a.throttledCpuSeconds));
  }, 120_000);

  it('more memory overcommit packs onto fewer resources and evicts more', async () => {
    const none = (await runSpec({ ...DEFAULT, dynamics: { enabled: true } })).result;
    const over = (await runSpec({ ...DEFAULT, dynamics: { enabled: true, overcommit: 'memory=2' } })).result;
    const ev = (r: typeof none): number => r.dynamics!.evictions.reduce((a, b) => a + b, 0);
    expect(over.pendingAtEnd).toBeLessThan(none.pendingAtEnd);
    expect(ev(over)).toBeGreaterThan(ev(none));
  }, 120_000);

  it('without dynamics nothing is evicted and no dynamics results are reported', async () => {
    const r = (await runSpec({ ...DEFAULT, tasks: 2000 })).result;
    expect(r.dynamics).toBeUndefined();
  });
});
