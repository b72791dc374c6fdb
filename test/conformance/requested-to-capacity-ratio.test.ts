import { describe, expect, it } from 'vitest';
import { NodeResourcesFit, brokenLinear, type ShapePoint } from '../../algorithms/kubernetes/node-resources-fit.js';
import type { ResourceSpec } from '../../algorithms/kubernetes/resources.js';
import { KubeHarness, Mi, cores, schema, type PodDef } from './helpers/kube-harness.js';

/**
 * Conformance with upstream kube-scheduler:
 * pkg/scheduler/framework/plugins/noderesources/requested_to_capacity_ratio_test.go
 * (kubernetes/kubernetes @ 00b9ead0): NodeResourcesFit with scoringStrategy
 * RequestedToCapacityRatio (shape scores 0–10, scaled ×10), Score per node; and
 * helper.BuildBrokenLinearFunction (TestBrokenLinearFunction, points unscaled).
 * CPU of `st.MakeNode().Capacity` is in cores as upstream's quantities; test_util.go's makeNode
 * takes millicores. `st.MakePod().Obj()` has no container: it requests nothing.
 */
const FOO = 'intel.com/foo';
const BAR = 'intel.com/bar';

function harness(nodes: Array<[string, Record<string, number>]>, existing: PodDef[] = []) {
  return new KubeHarness(
    schema('cpu', 'memory', FOO, BAR),
    nodes.map(([name, allocatable]) => ({ name, allocatable })),
    existing,
  );
}
function scores(h: KubeHarness, resources: ResourceSpec[], shape: ShapePoint[], pod: PodDef) {
  return h.score(new NodeResourcesFit({ type: 'RequestedToCapacityRatio', resources, shape }), pod, { normalize: false }).scores;
}

describe('noderesources/requested_to_capacity_ratio_test.go TestRequestedToCapacityRatioScoringStrategy', () => {
  const DEFAULT: ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
  const SHAPE: ShapePoint[] = [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }];
  const node = (name: string, cpu: number): [string, Record<string, number>] => [name, { cpu: cores(cpu), memory: 10000 }];
  it('nothing scheduled, nothing requested (default - least requested nodes have priority)', () => {
    const h = harness([node('node1', 4000), node('node2', 4000)], [{ node: 'node1' }, { node: 'node1' }]);
    expect(scores(h, DEFAULT, SHAPE, {})).toEqual({ node1: 100, node2: 100 });
  });
  it('nothing scheduled, resources requested, differently sized nodes (default - least requested nodes have priority)', () => {
    const h = harness([node('node1', 4000), node('node2', 6000)], [{ node: 'node1' }, { node: 'node1' }]);
    // two containers 1000/2000 and 2000/3000
    expect(scores(h, DEFAULT, SHAPE, { requests: { cpu: cores(3000), memory: 5000 } })).toEqual({ node1: 38, node2: 50 });
  });
  it('no resources requested, pods scheduled with resources (default - least requested nodes have priority)', () => {
    const running = (n: string): PodDef => ({ node: n, requests: { cpu: cores(3000), memory: 5000 } });
    const h = harness([node('node1', 4000), node('node2', 6000)], [running('node1'), running('node2')]);
    expect(scores(h, DEFAULT, SHAPE, {})).toEqual({ node1: 38, node2: 50 });
  });
});

describe('noderesources/requested_to_capacity_ratio_test.go TestBrokenLinearFunction', () => {
  const cases: Array<[ShapePoint[], Array<[number, number]>]> = [
    [
      [{ utilization: 10, score: 1 }, { utilization: 90, score: 9 }],
      [[-10, 1], [0, 1], [9, 1], [10, 1], [15, 1], [19, 1], [20, 2], [89, 8], [90, 9], [99, 9], [100, 9], [110, 9]],
    ],
    [
      [{ utilization: 0, score: 2 }, { utilization: 40, score: 10 }, { utilization: 100, score: 0 }],
      [[-10, 2], [0, 2], [20, 6], [30, 8], [40, 10], [70, 5], [100, 0], [110, 0]],
    ],
    [
      [{ utilization: 0, score: 2 }, { utilization: 40, score: 2 }, { utilization: 100, score: 2 }],
      [[-10, 2], [0, 2], [20, 2], [30, 2], [40, 2], [70, 2], [100, 2], [110, 2]],
    ],
  ];
  cases.forEach(([points, assertions], i) => {
    it(`case_${i}`, () => {
      expect(assertions.map(([p]) => [p, brokenLinear(points, p)])).toEqual(assertions);
    });
  });
});

/** test_util.go makeNode(name, milliCPU, memory, extended). */
const makeNode = (name: string, extended: Record<string, number>): [string, Record<string, number>] => [
  name,
  { cpu: 4000, memory: 10000 * Mi, ...extended },
];
const BIN_SHAPE: ShapePoint[] = [{ utilization: 0, score: 0 }, { utilization: 100, score: 1 }];

describe('noderesources/requested_to_capacity_ratio_test.go TestResourceBinPackingSingleExtended', () => {
  const RES: ResourceSpec[] = [{ name: FOO, weight: 1 }];
  const nodes = () => [makeNode('node1', { [FOO]: 8 }), makeNode('node2', { [FOO]: 4 })];
  it('nothing scheduled, nothing requested', () => {
    expect(scores(harness(nodes()), RES, BIN_SHAPE, {})).toEqual({ node1: 0, node2: 0 });
  });
  it('resources requested, pods scheduled with less resources', () => {
    const h = harness(nodes(), [{ node: 'node1' }]);
    expect(scores(h, RES, BIN_SHAPE, { requests: { [FOO]: 2 } })).toEqual({ node1: 2, node2: 5 });
  });
  it('resources requested, pods scheduled with resources, on node with existing pod running ', () => {
    const h = harness(nodes(), [{ node: 'node2', requests: { [FOO]: 2 } }]);
    expect(scores(h, RES, BIN_SHAPE, { requests: { [FOO]: 2 } })).toEqual({ node1: 2, node2: 10 });
  });
  it('resources requested, pods scheduled with more resources', () => {
    const h = harness(nodes(), [{ node: 'node1' }]);
    expect(scores(h, RES, BIN_SHAPE, { requests: { [FOO]: 4 } })).toEqual({ node1: 5, node2: 10 });
  });
});

describe('noderesources/requested_to_capacity_ratio_test.go TestResourceBinPackingMultipleExtended', () => {
  const RES: ResourceSpec[] = [{ name: FOO, weight: 3 }, { name: BAR, weight: 5 }];
  const nodes = () => [makeNode('node1', { [FOO]: 8, [BAR]: 4 }), makeNode('node2', { [FOO]: 4, [BAR]: 8 })];
  const pod1 = { requests: { [FOO]: 2, [BAR]: 2 } };
  const pod2 = { requests: { [FOO]: 4, [BAR]: 2 } };
  it('nothing scheduled, nothing requested', () => {
    expect(scores(harness(nodes()), RES, BIN_SHAPE, {})).toEqual({ node1: 0, node2: 0 });
  });
  it('resources requested, pods scheduled with less resources', () => {
    expect(scores(harness(nodes(), [{ node: 'node1' }]), RES, BIN_SHAPE, pod1)).toEqual({ node1: 4, node2: 3 });
  });
  it('resources requested, pods scheduled with resources, on node with existing pod running ', () => {
    const h = harness(nodes(), [{ node: 'node2', ...pod2 }]);
    expect(scores(h, RES, BIN_SHAPE, pod1)).toEqual({ node1: 4, node2: 7 });
  });
  it('resources requested, pods scheduled with more resources', () => {
    expect(scores(harness(nodes(), [{ node: 'node1' }]), RES, BIN_SHAPE, pod2)).toEqual({ node1: 5, node2: 5 });
  });
});
