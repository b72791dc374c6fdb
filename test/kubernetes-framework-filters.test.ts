import { describe, expect, it } from 'vitest';
import { GiB, cluster, feasibleIds, framework, node, pod, run } from './fixtures/kubernetes-framework/helpers.js';
import { numFeasibleNodesToFind } from '../algorithms/nodes-to-score.js';
import type { PlacementConstraints } from '../model/placement-constraints.js';

const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z });

describe('kube framework filters', () => {
  it('NodeResourcesFit: only nodes with room for the request', () => {
    const c = cluster([node('n0'), node('n1', { capacity: [500, 8 * GiB, 0] }), node('n2')]);
    const f = framework();
    run(c, f, pod(9, undefined, 3500), 'n2'); // n2 keeps 500 mc
    expect(feasibleIds(c, f, pod(0))).toEqual(['n0']);
  });

  it('NodeName: only the named node; an unknown name fits nowhere', () => {
    const c = cluster([node('n0'), node('n1'), node('n2')]);
    const f = framework();
    expect(feasibleIds(c, f, pod(0, { nodeName: 'n1' }))).toEqual(['n1']);
    expect(f.select(pod(0, { nodeName: 'n1' }), c)).toBe(1);
    expect(f.select(pod(0, { nodeName: 'nope' }), c)).toBe(-1);
    // Pinned to a node without room: pending.
    run(c, f, pod(9, undefined, 3500), 'n1');
    expect(f.select(pod(0, { nodeName: 'n1' }), c)).toBe(-1);
  });

  it('NodeUnschedulable: a cordoned node takes only pods tolerating node.kubernetes.io/unschedulable', () => {
    const c = cluster([node('n0', { unschedulable: true }), node('n1')]);
    const f = framework();
    expect(feasibleIds(c, f, pod(0))).toEqual(['n1']);
    const tolerant: PlacementConstraints = { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] };
    expect(feasibleIds(c, f, pod(1, tolerant))).toEqual(['n0', 'n1']);
  });

  it('NodeAffinity: nodeSelector and required terms (ANDed requirements, ORed terms)', () => {
    const c = cluster([
      node('n0', { labels: { disk: 'ssd', gen: '5', ...zone('a') } }),
      node('n1', { labels: { disk: 'hdd', gen: '3', ...zone('a') } }),
      node('n2', { labels: { disk: 'ssd', gen: '2', ...zone('b') } }),
      node('n3', { labels: {} }),
    ]);
    const f = framework();
    expect(feasibleIds(c, f, pod(0, { nodeSelector: { disk: 'ssd' } }))).toEqual(['n0', 'n2']);
    expect(feasibleIds(c, f, pod(1, { nodeSelector: { disk: 'ssd', 'topology.kubernetes.io/zone': 'b' } }))).toEqual(['n2']);
    // gen > 2 AND zone In [a]  OR  disk DoesNotExist
    const req: PlacementConstraints = {
      requiredNodeAffinity: [
        { matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['2'] }, { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }] },
        { matchExpressions: [{ key: 'disk', operator: 'DoesNotExist' }] },
      ],
    };
    expect(feasibleIds(c, f, pod(2, req))).toEqual(['n0', 'n1', 'n3']);
    // NotIn matches nodes without the label; Lt needs the label and an integer.
    expect(feasibleIds(c, f, pod(3, { requiredNodeAffinity: [{ matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['hdd'] }] }] }))).toEqual(['n0', 'n2', 'n3']);
    expect(feasibleIds(c, f, pod(4, { requiredNodeAffinity: [{ matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['4'] }] }] }))).toEqual(['n1', 'n2']);
    // A term without requirements matches nothing.
    expect(feasibleIds(c, f, pod(5, { requiredNodeAffinity: [{ matchExpressions: [] }] }))).toEqual([]);
  });

  it('TaintToleration: NoSchedule / NoExecute taints must be tolerated; PreferNoSchedule does not filter', () => {
    const c = cluster([
      node('n0', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
      node('n1', { taints: [{ key: 'maint', effect: 'NoExecute' }] }),
      node('n2', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }),
      node('n3'),
    ]);
    const f = framework();
    expect(feasibleIds(c, f, pod(0))).toEqual(['n2', 'n3']);
    expect(feasibleIds(c, f, pod(1, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }))).toEqual(['n0', 'n2', 'n3']);
    // Wrong value: not tolerated. Exists without key: tolerates everything.
    expect(feasibleIds(c, f, pod(2, { tolerations: [{ key: 'dedicated', value: 'cpu' }] }))).toEqual(['n2', 'n3']);
    expect(feasibleIds(c, f, pod(3, { tolerations: [{ operator: 'Exists' }] }))).toEqual(['n0', 'n1', 'n2', 'n3']);
    // An effect-restricted toleration does not cover the other effect.
    expect(feasibleIds(c, f, pod(4, { tolerations: [{ key: 'maint', operator: 'Exists', effect: 'NoSchedule' }] }))).toEqual(['n2', 'n3']);
  });

  it('NodePorts: a host port in use blocks the node until the pod leaves', () => {
    const c = cluster([node('n0'), node('n1')]);
    const f = framework();
    const web: PlacementConstraints = { hostPorts: [8080] };
    const first = pod(0, web);
    run(c, f, first, 'n0');
    expect(feasibleIds(c, f, pod(0, web))).toEqual(['n1']);
    expect(feasibleIds(c, f, pod(1, { hostPorts: [9090] }))).toEqual(['n0', 'n1']);
    c.unbind(0, first.request);
    f.onUnbind(first, 0, c);
    expect(feasibleIds(c, f, pod(0, web))).toEqual(['n0', 'n1']);
  });

  describe('InterPodAffinity', () => {
    const nodes = () => cluster([node('n0', { labels: zone('a') }), node('n1', { labels: zone('a') }), node('n2', { labels: zone('b') }), node('n3', { labels: zone('c') })]);
    const webAnti: PlacementConstraints = {
      labels: { app: 'web' },
      podAntiAffinity: { required: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] },
    };

    it('required anti-affinity on hostname: one replica per node', () => {
      const c = nodes();
      const f = framework();
      run(c, f, pod(0, webAnti), 'n0');
      run(c, f, pod(0, webAnti), 'n2');
      expect(feasibleIds(c, f, pod(0, webAnti))).toEqual(['n1', 'n3']);
    });

    it("existing pods' required anti-affinity is symmetric and namespaced", () => {
      const c = nodes();
      const f = framework();
      // A pod in zone a that refuses app=web anywhere in its zone.
      const loner: PlacementConstraints = {
        labels: { app: 'batch' },
        podAntiAffinity: { required: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'topology.kubernetes.io/zone' }] },
      };
      run(c, f, pod(5, loner), 'n0');
      expect(feasibleIds(c, f, pod(1, { labels: { app: 'web' } }))).toEqual(['n2', 'n3']);
      // Same labels in another namespace: the term (namespace of its owner, "default") does not match.
      expect(feasibleIds(c, f, pod(2, { labels: { app: 'web' }, namespace: 'other' }))).toEqual(['n0', 'n1', 'n2', 'n3']);
      // Pods without labels are not matched by a non-empty selector.
      expect(feasibleIds(c, f, pod(3))).toEqual(['n0', 'n1', 'n2', 'n3']);
    });

    it('required affinity: a matching pod in the same zone; the first of a self-affine group may go anywhere', () => {
      const c = nodes();
      const f = framework();
      const nearDb: PlacementConstraints = {
        labels: { app: 'api' },
        podAffinity: { required: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'topology.kubernetes.io/zone' }] },
      };
      expect(feasibleIds(c, f, pod(1, nearDb))).toEqual([]); // no db pod anywhere, and api does not match db
      run(c, f, pod(2, { labels: { app: 'db' } }), 'n2');
      expect(feasibleIds(c, f, pod(1, nearDb))).toEqual(['n2']);

      const group: PlacementConstraints = {
        labels: { app: 'cache' },
        podAffinity: { required: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'topology.kubernetes.io/zone' }] },
      };
      expect(feasibleIds(c, f, pod(3, group))).toEqual(['n0', 'n1', 'n2', 'n3']);
      run(c, f, pod(3, group), 'n1');
      expect(feasibleIds(c, f, pod(3, group))).toEqual(['n0', 'n1']);
    });
  });

  describe('PodTopologySpread (DoNotSchedule)', () => {
    const spread = (maxSkew: number): PlacementConstraints => ({
      labels: { app: 'web' },
      topologySpread: [{ maxSkew, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
    });

    it('keeps count(zone) + 1 − min ≤ maxSkew; nodes without the key never pass', () => {
      const c = cluster([node('n0', { labels: zone('a') }), node('n1', { labels: zone('a') }), node('n2', { labels: zone('b') }), node('n3')]);
      const f = framework();
      run(c, f, pod(0, spread(1)), 'n0');
      run(c, f, pod(0, spread(1)), 'n1');
      // zone a: 2, zone b: 0 → min 0; a: 2 + 1 − 0 = 3 > 1; b: 0 + 1 − 0 = 1 ok; n3 has no zone.
      expect(feasibleIds(c, f, pod(0, spread(1)))).toEqual(['n2']);
      // maxSkew 3 admits zone a again.
      expect(feasibleIds(c, f, pod(0, spread(3)))).toEqual(['n0', 'n1', 'n2']);
    });

    it('counts only nodes the pod may use (nodeAffinityPolicy Honor) and only matching pods in its namespace', () => {
      const c = cluster([node('n0', { labels: { ...zone('a'), pool: 'x' } }), node('n1', { labels: { ...zone('b'), pool: 'x' } }), node('n2', { labels: zone('c') })]);
      const f = framework();
      const p: PlacementConstraints = { ...spread(1), nodeSelector: { pool: 'x' } };
      run(c, f, pod(0, p), 'n0');
      run(c, f, pod(7, { labels: { app: 'web' }, namespace: 'other' }), 'n1'); // other namespace: not counted
      // Zone c is not eligible (pool), so min over {a:1, b:0} = 0: only b passes.
      expect(feasibleIds(c, f, pod(0, p))).toEqual(['n1']);
      run(c, f, pod(0, p), 'n1');
      // a:1, b:1 → min 1: both pass (1 + 1 − 1 = 1).
      expect(feasibleIds(c, f, pod(0, p))).toEqual(['n0', 'n1']);
    });
  });

  it('NodeConditions: MemoryPressure blocks BestEffort pods only; DiskPressure blocks all', () => {
    const c = cluster([node('n0', { conditions: { memoryPressure: true } }), node('n1', { conditions: { diskPressure: true } }), node('n2')]);
    const f = framework();
    expect(feasibleIds(c, f, pod(0, undefined, 500, GiB))).toEqual(['n0', 'n2']); // Burstable-ish: requests something
    expect(feasibleIds(c, f, pod(1, undefined, 0, 0))).toEqual(['n2']); // requests nothing: BestEffort
    expect(feasibleIds(c, f, pod(2, { qos: 'BestEffort' }, 500, GiB))).toEqual(['n2']); // as the source says
    expect(feasibleIds(c, f, pod(3, { tolerations: [{ key: 'node.kubernetes.io/disk-pressure', operator: 'Exists' }] }))).toEqual(['n0', 'n1', 'n2']);
  });

  it('stops after numFeasibleNodesToFind nodes that pass every filter, resuming where it stopped', () => {
    // 300 nodes, every other one tainted: the search must skip those without scanning the cluster.
    const specs = Array.from({ length: 300 }, (_, i) => node(`n${i}`, i % 2 === 1 ? { taints: [{ key: 'x', effect: 'NoSchedule' }] } : {}));
    const c = cluster(specs);
    const f = framework(undefined, null); // adaptive percentage
    const want = numFeasibleNodesToFind(300); // max(100, 300 · 48 / 100 = 144) = 144
    expect(want).toBe(144);
    const first = f.explain(pod(0), c).feasible;
    expect(first.length).toBe(want);
    expect(first.every((n) => n % 2 === 0)).toBe(true);
    expect(first[0]).toBe(0);
    expect(first[want - 1]).toBe(286); // the 144th even node
    // Next search starts after node 286 and wraps: 288..298 then 0..
    const second = f.explain(pod(0), c).feasible;
    expect(second.slice(0, 7)).toEqual([288, 290, 292, 294, 296, 298, 0]);
    expect(second.length).toBe(want);
    // Fewer passing nodes than wanted: every node is tried once, no duplicates.
    const pinned = f.explain(pod(1, { nodeSelector: { 'kubernetes.io/hostname': 'n4' } }), c).feasible;
    expect(pinned).toEqual([4]);
  });
});
