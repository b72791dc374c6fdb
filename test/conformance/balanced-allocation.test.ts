import { describe, expect, it } from 'vitest';
import { NodeResourcesBalancedAllocation } from '../../algorithms/kubernetes/node-resources-balanced-allocation.js';
import type { ResourceSpec } from '../../algorithms/kubernetes/resources.js';
import { KubeHarness, schema, type PodDef } from './helpers/kube-harness.js';

/**
 * Conformance with upstream kube-scheduler:
 * pkg/scheduler/framework/plugins/noderesources/balanced_allocation_test.go (kubernetes/kubernetes,
 * the stored version with ktesting.Init, the best-effort PreScore Skip and the DRA extended-resource
 * cases — v1.34/1.35 era), TestNodeResourcesBalancedAllocation: PreScore + Score. Nodes are
 * upstream's makeNode(name, milliCPU, memory, scalar resources).
 * Not ported: the two "include DRA resource on a node…" cases (DRA ResourceSlices and device
 * classes are not modelled) and TestBalancedAllocationSignPod (pod signatures for the scheduling
 * queue, not modelled).
 */
const GPU = 'nvidia.com/gpu';
const DEFAULT: ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
const WITH_GPU: ResourceSpec[] = [...DEFAULT, { name: GPU, weight: 1 }];
type Node = [string, number, number, number?];

// Upstream's pod specs: cpuOnly 1000m+2000m, memory 0; cpuAndMemory 1000m/2000 + 2000m/3000;
// cpuAndMemoryAndGPU the same plus nvidia.com/gpu 3.
const cpuOnly = { cpu: 3000, memory: 0 };
const cpuAndMemory = { cpu: 3000, memory: 5000 };
const cpuAndMemoryAndGpu = { cpu: 3000, memory: 5000, [GPU]: 3 };

function run(resources: ResourceSpec[], pod: PodDef['requests'], nodes: Node[], existing: PodDef[] = []) {
  const h = new KubeHarness(schema('cpu', 'memory', GPU), nodes.map(([name, cpu, memory, gpu]) => ({ name, allocatable: { cpu, memory, [GPU]: gpu ?? 0 } })), existing);
  return h.score(new NodeResourcesBalancedAllocation(resources), { requests: pod }, { normalize: false });
}

describe('noderesources/balanced_allocation_test.go TestNodeResourcesBalancedAllocation', () => {
  it('nothing scheduled, nothing requested, skip in PreScore', () => {
    // A pod without containers requests nothing: best effort, PreScore skips (every node 0).
    expect(run(DEFAULT, {}, [['node1', 4000, 10000], ['node2', 4000, 10000]]).constant).toBe(0);
  });
  it('nothing scheduled, resources requested, differently sized nodes', () => {
    expect(run(DEFAULT, cpuAndMemory, [['node1', 4000, 10000], ['node2', 6000, 10000]]).scores).toEqual({ node1: 87, node2: 100 });
  });
  const scheduled: PodDef[] = [{ node: 'node1', requests: cpuOnly }, { node: 'node2', requests: cpuAndMemory }];
  it('resources requested, pods scheduled with resources', () => {
    expect(run(DEFAULT, cpuAndMemory, [['node1', 10000, 20000], ['node2', 10000, 20000]], scheduled).scores).toEqual({ node1: 82, node2: 95 });
  });
  it('resources requested, pods scheduled with resources, differently sized nodes', () => {
    expect(run(DEFAULT, cpuAndMemory, [['node1', 10000, 20000], ['node2', 10000, 50000]], scheduled).scores).toEqual({ node1: 82, node2: 80 });
  });
  it('requested resources at node capacity', () => {
    expect(run(DEFAULT, cpuOnly, [['node1', 6000, 10000], ['node2', 6000, 10000]], scheduled).scores).toEqual({ node1: 50, node2: 75 });
  });
  it('include scalar resource on a node for balanced resource allocation', () => {
    // The pod asks memory 0 and one GPU (no CPU); node1 runs the GPU pod, node2 the CPU+memory one.
    const existing: PodDef[] = [{ node: 'node2', requests: cpuAndMemory }, { node: 'node1', requests: cpuAndMemoryAndGpu }];
    expect(run(WITH_GPU, { memory: 0, [GPU]: 1 }, [['node1', 3500, 40000, 8], ['node2', 3500, 40000, 8]], existing).scores).toEqual({ node1: 70, node2: 65 });
  });
  it('node without the scalar resource should skip the scalar resource', () => {
    expect(run(WITH_GPU, cpuAndMemory, [['node1', 3500, 40000, 8], ['node2', 3500, 40000]]).scores).toEqual({ node1: 63, node2: 63 });
  });
  it('resources requested, pods scheduled with resources if PreScore not called', () => {
    // schedlab always runs PreScore; the scores are those of the PreScore case.
    expect(run(DEFAULT, cpuAndMemory, [['node1', 10000, 20000], ['node2', 10000, 20000]], scheduled).scores).toEqual({ node1: 82, node2: 95 });
  });
});
