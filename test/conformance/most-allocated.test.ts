import { describe, expect, it } from 'vitest';
import { NodeResourcesFit } from '../../algorithms/kubernetes/node-resources-fit.js';
import type { ResourceSpec } from '../../algorithms/kubernetes/resources.js';
import { KubeHarness, Mi, configArgs, cores, schema, type PodDef } from './helpers/kube-harness.js';

/**
 * Conformance with upstream kube-scheduler:
 * pkg/scheduler/framework/plugins/noderesources/most_allocated_test.go (kubernetes/kubernetes @ 072825f9),
 * TestMostAllocatedScoringStrategy: NodeResourcesFit with scoringStrategy MostAllocated, PreScore +
 * Score. CPU in cores as upstream's quantities; `st.MakePod().Obj()` has no container (requests
 * nothing, no defaults), `.Container("container")` is a container without requests (kube's
 * non-zero defaults 100 m / 200 MiB, for the incoming pod and the running ones).
 */
const XYZ = 'abc.com/xyz';
const DEFAULT: ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
const EXTENDED: ResourceSpec[] = [...DEFAULT, { name: XYZ, weight: 1 }];
type Node = [string, number, number, number?];

function scores(resources: ResourceSpec[], pod: PodDef, nodes: Node[], existing: PodDef[] = [], milli = false) {
  const h = new KubeHarness(
    schema('cpu', 'memory', XYZ),
    nodes.map(([name, cpu, memory, xyz]) => ({ name, allocatable: { cpu: milli ? cpu : cores(cpu), memory, [XYZ]: xyz ?? 0 } })),
    existing,
  );
  return h.score(new NodeResourcesFit({ type: 'MostAllocated', resources }), pod, { normalize: false }).scores;
}
const on = (node: string, cpu: number, memory: number): PodDef => ({ node, requests: { cpu: cores(cpu), memory } });
const req = (cpu: number, memory: number, xyz?: number): PodDef => ({ requests: { cpu: cores(cpu), memory, ...(xyz ? { [XYZ]: xyz } : {}) } });

describe('noderesources/most_allocated_test.go TestMostAllocatedScoringStrategy', () => {
  it('nothing scheduled, nothing requested', () => {
    expect(scores(DEFAULT, {}, [['node1', 4000, 10000], ['node2', 4000, 10000]])).toEqual({ node1: 0, node2: 0 });
  });
  it('nothing scheduled, resources requested, differently sized nodes', () => {
    expect(scores(DEFAULT, req(3000, 5000), [['node1', 4000, 10000], ['node2', 6000, 10000]])).toEqual({ node1: 62, node2: 50 });
  });
  it('Resources not set, pods scheduled with error', () => {
    // kube's Score errors with MinNodeScore; schedlab refuses empty resources in a configuration.
    expect(() => configArgs('NodeResourcesFit', { scoringStrategy: { type: 'MostAllocated', resources: [] } })).toThrow(/at least one resource/);
    expect(scores([], req(3000, 5000), [['node1', 4000, 10000], ['node2', 6000, 10000]])).toEqual({ node1: 0, node2: 0 });
  });
  it('no resources requested, pods scheduled with resources', () => {
    const existing = [on('node1', 3000, 0), on('node1', 3000, 0), on('node2', 3000, 0), on('node2', 3000, 5000)];
    expect(scores(DEFAULT, {}, [['node1', 10000, 20000], ['node2', 10000, 20000]], existing)).toEqual({ node1: 30, node2: 42 });
  });
  it('resources requested, pods scheduled with resources', () => {
    const existing = [on('node1', 3000, 0), on('node2', 3000, 5000)];
    expect(scores(DEFAULT, req(3000, 5000), [['node1', 10000, 20000], ['node2', 10000, 20000]], existing)).toEqual({ node1: 42, node2: 55 });
  });
  it('resources requested equal node capacity', () => {
    // two containers 2000/4000 and 3000/5000
    expect(scores(DEFAULT, req(5000, 9000), [['node1', 5000, 10000], ['node2', 10000, 9000]])).toEqual({ node1: 95, node2: 75 });
  });
  it('nothing scheduled, resources requested, differently sized nodes', () => {
    // (upstream repeats this name for the weighted case: memory 2, cpu 1)
    const weighted = [{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }];
    expect(scores(weighted, req(3000, 5000), [['node1', 4000, 10000], ['node2', 6000, 10000]])).toEqual({ node1: 58, node2: 50 });
  });
  it('no resources requested, pods scheduled, nonzero request for resource', () => {
    // Containers without requests: 100 m / 200 MiB each. node1 runs two: CPU 300/250 → 100, memory 600/1000 MiB → 60.
    const existing: PodDef[] = [{ node: 'node1', missing: true }, { node: 'node1', missing: true }];
    const nodes: Node[] = [['node1', 250, 1000 * Mi], ['node2', 250, 1000 * Mi]];
    expect(scores(DEFAULT, { missing: true }, nodes, existing, true)).toEqual({ node1: 80, node2: 30 });
  });
  const badWeight = (resources: ResourceSpec[]) => () => configArgs('NodeResourcesFit', { scoringStrategy: { type: 'MostAllocated', resources } });
  it('resource with negative weight', () => {
    expect(badWeight([{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }])).toThrow(/scoringStrategy\.resources\[0\]\.weight/);
  });
  it('resource with zero weight', () => {
    expect(badWeight([{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 0 }])).toThrow(/scoringStrategy\.resources\[1\]\.weight/);
  });
  it('resource weight larger than MaxNodeScore', () => {
    expect(badWeight([{ name: 'memory', weight: 101 }])).toThrow(/scoringStrategy\.resources\[0\]\.weight/);
  });
  it('bypass extended resource if the pod does not request', () => {
    expect(scores(EXTENDED, req(3000, 5000), [['node1', 6000, 10000], ['node2', 6000, 10000, 4]])).toEqual({ node1: 50, node2: 50 });
  });
  it('honor extended resource if the pod request', () => {
    expect(scores(EXTENDED, req(3000, 5000, 2), [['node1', 6000, 10000, 4], ['node2', 6000, 10000, 10]])).toEqual({ node1: 50, node2: 40 });
  });
  it("if the node doesn't have a resource", () => {
    const withXyz = [{ name: XYZ, weight: 2 }, { name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
    expect(scores(withXyz, req(3000, 4000), [['node1', 6000, 10000], ['node2', 6000, 10000, 4]])).toEqual({ node1: 45, node2: 45 });
  });
});
