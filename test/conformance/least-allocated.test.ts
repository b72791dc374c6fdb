import { describe, expect, it } from 'vitest';
import { NodeResourcesFit } from '../../algorithms/kubernetes/node-resources-fit.js';
import type { ResourceSpec } from '../../algorithms/kubernetes/resources.js';
import { KubeHarness, configArgs, cores, schema, type PodDef } from './helpers/kube-harness.js';

/**
 * Conformance with upstream kube-scheduler:
 * pkg/scheduler/framework/plugins/noderesources/least_allocated_test.go (kubernetes/kubernetes @ 8519d339),
 * TestLeastAllocatedScoringStrategy: NodeResourcesFit with scoringStrategy LeastAllocated, PreScore
 * + Score. Node and pod CPU are given in cores as upstream's quantities ("4000" = 4000 cores).
 * `st.MakePod().Obj()` has no container, so it requests nothing and gets no non-zero defaults.
 * Argument-validation cases go through schedlab's KubeSchedulerConfiguration reader.
 */
const XYZ = 'abc.com/xyz';
const DEFAULT: ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
const EXTENDED: ResourceSpec[] = [...DEFAULT, { name: XYZ, weight: 1 }];
type Node = [string, number, number, number?];

function scores(resources: ResourceSpec[], pod: PodDef['requests'], nodes: Node[], existing: PodDef[] = []) {
  const h = new KubeHarness(
    schema('cpu', 'memory', XYZ),
    nodes.map(([name, cpu, memory, xyz]) => ({ name, allocatable: { cpu: cores(cpu), memory, [XYZ]: xyz ?? 0 } })),
    existing,
  );
  return h.score(new NodeResourcesFit({ type: 'LeastAllocated', resources }), { requests: pod }, { normalize: false }).scores;
}
const on = (node: string, cpu: number, memory: number): PodDef => ({ node, requests: { cpu: cores(cpu), memory } });

describe('noderesources/least_allocated_test.go TestLeastAllocatedScoringStrategy', () => {
  it('nothing scheduled, nothing requested', () => {
    expect(scores(DEFAULT, {}, [['node1', 4000, 10000], ['node2', 4000, 10000]])).toEqual({ node1: 100, node2: 100 });
  });
  it('nothing scheduled, resources requested, differently sized nodes', () => {
    // two containers 1000/2000 and 2000/3000
    expect(scores(DEFAULT, { cpu: cores(3000), memory: 5000 }, [['node1', 4000, 10000], ['node2', 6000, 10000]])).toEqual({ node1: 37, node2: 50 });
  });
  it('Resources not set, pods scheduled with error', () => {
    // kube's Score errors and gives MinNodeScore; schedlab refuses such args when reading a
    // configuration, and a plugin built with no resources scores every node 0.
    expect(() => configArgs('NodeResourcesFit', { scoringStrategy: { type: 'LeastAllocated', resources: [] } })).toThrow(/resources.*at least one resource/);
    expect(scores([], { cpu: cores(3000), memory: 5000 }, [['node1', 4000, 10000], ['node2', 6000, 10000]])).toEqual({ node1: 0, node2: 0 });
  });
  it('no resources requested, pods scheduled', () => {
    const existing: PodDef[] = [{ node: 'node1' }, { node: 'node1' }, { node: 'node2' }, { node: 'node2' }];
    expect(scores(DEFAULT, {}, [['node1', 4000, 10000], ['node2', 4000, 10000]], existing)).toEqual({ node1: 100, node2: 100 });
  });
  it('no resources requested, pods scheduled with resources', () => {
    const existing = [on('node1', 3000, 0), on('node1', 3000, 0), on('node2', 3000, 0), on('node2', 3000, 5000)];
    expect(scores(DEFAULT, {}, [['node1', 10000, 20000], ['node2', 10000, 20000]], existing)).toEqual({ node1: 70, node2: 57 });
  });
  it('resources requested, pods scheduled with resources', () => {
    const existing = [on('node1', 3000, 0), on('node2', 3000, 5000)];
    expect(scores(DEFAULT, { cpu: cores(3000), memory: 5000 }, [['node1', 10000, 20000], ['node2', 10000, 20000]], existing)).toEqual({ node1: 57, node2: 45 });
  });
  it('resources requested, pods scheduled with resources, differently sized nodes', () => {
    const existing = [on('node1', 3000, 0), on('node2', 3000, 5000)];
    expect(scores(DEFAULT, { cpu: cores(3000), memory: 5000 }, [['node1', 10000, 20000], ['node2', 10000, 50000]], existing)).toEqual({ node1: 57, node2: 60 });
  });
  it('requested resources exceed node capacity', () => {
    const existing = [on('node1', 3000, 0), on('node2', 3000, 5000)];
    expect(scores(DEFAULT, { cpu: cores(3000), memory: 0 }, [['node1', 4000, 10000], ['node2', 4000, 10000]], existing)).toEqual({ node1: 50, node2: 25 });
  });
  it('zero node resources, pods scheduled with resources', () => {
    const existing = [on('node1', 3000, 0), on('node2', 3000, 5000)];
    expect(scores(DEFAULT, {}, [['node1', 0, 0], ['node2', 0, 0]], existing)).toEqual({ node1: 0, node2: 0 });
  });
  it('nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes', () => {
    const weighted = [{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }];
    expect(scores(weighted, { cpu: cores(3000), memory: 5000 }, [['node1', 4000, 10000], ['node2', 6000, 10000]])).toEqual({ node1: 41, node2: 50 });
  });
  const badWeight = (resources: ResourceSpec[]) => () => configArgs('NodeResourcesFit', { scoringStrategy: { type: 'LeastAllocated', resources } });
  it('resource with negative weight', () => {
    expect(badWeight([{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }])).toThrow(/scoringStrategy\.resources\[0\]\.weight/);
  });
  it('resource with zero weight', () => {
    expect(badWeight([{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 0 }])).toThrow(/scoringStrategy\.resources\[1\]\.weight/);
  });
  it('resource weight larger than MaxNodeScore', () => {
    expect(badWeight([{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 101 }])).toThrow(/scoringStrategy\.resources\[1\]\.weight/);
  });
  it('bypass extended resource if the pod does not request', () => {
    expect(scores(EXTENDED, { cpu: cores(3000), memory: 5000 }, [['node1', 6000, 10000], ['node2', 6000, 10000, 4]])).toEqual({ node1: 50, node2: 50 });
  });
  it('honor extended resource if the pod requests', () => {
    expect(scores(EXTENDED, { cpu: cores(3000), memory: 5000, [XYZ]: 2 }, [['node1', 6000, 10000, 4], ['node2', 6000, 10000, 10]])).toEqual({ node1: 50, node2: 60 });
  });
  it("if the node doesn't have a resource", () => {
    const withXyz = [{ name: XYZ, weight: 2 }, { name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
    expect(scores(withXyz, { cpu: cores(3000), memory: 4000 }, [['node1', 6000, 10000], ['node2', 6000, 10000, 4]])).toEqual({ node1: 55, node2: 55 });
  });
});
