import { describe, expect, it } from 'vitest';
import { NodeResourcesFit, type NodeResourcesFitArgs } from '../../algorithms/kubernetes/node-resources-fit.js';
import { FrameworkPolicy } from '../../algorithms/kubernetes/framework.js';
import { defaultProfile } from '../../algorithms/kubernetes/profile.js';
import { DEFAULT_SCORING_RESOURCES } from '../../algorithms/kubernetes/resources.js';
import { Rng } from '../../model/rng.js';
import { KubeHarness, cores, schema } from './helpers/kube-harness.js';

/**
 * Conformance with upstream kube-scheduler: pkg/scheduler/framework/plugins/noderesources/fit_test.go
 * (kubernetes/kubernetes @ 24fbb13e): TestEnoughRequests, TestNotEnoughRequests,
 * TestStorageRequests, TestRestartableInitContainers (SidecarContainers enabled) and TestFitScore.
 *
 * A schedlab pod is its effective request vector, computed from containers as the manifest reader
 * does (workloads/kubernetes/pod-resources.ts, kube's resource.PodRequests): app containers add
 * up, an init container runs alone (the maximum of the two counts), the pod overhead is added. The
 * comment of each case derives it from upstream's containers. Every pod takes one of the node's
 * `pods` (kube's allowedPodNumber check).
 * Not ported: TestPreFilterDisabled (framework wiring); the SidecarContainers-disabled case of
 * TestRestartableInitContainers (schedlab models the feature enabled, GA since 1.33); TestIsFit,
 * TestEventsToRegister, Test_isSchedulableAfterPodChange / NodeChange (queueing hints).
 */
const A = 'example.com/aaa';
const B = 'example.com/bbb';
const K8S_A = 'kubernetes.io/something';
const K8S_B = 'subdomain.kubernetes.io/something';
const HUGE = 'hugepages-2Mi';
const STORAGE = 'ephemeral-storage';
const RESOURCES = schema('cpu', 'memory', 'pods', A, B, K8S_A, K8S_B, HUGE, STORAGE);
type Req = Record<string, number>;
const LEAST: NodeResourcesFitArgs = { type: 'LeastAllocated', resources: [...DEFAULT_SCORING_RESOURCES] };

/** makeAllocatableResources(10, 20, 32, 5, 20, 5) of upstream's TestEnoughRequests. */
const NODE = { cpu: 10, memory: 20, pods: 32, [A]: 5, [STORAGE]: 20, [HUGE]: 5 };

function fits(pod: Req, existing: Req, opts: { node?: Req; args?: Partial<NodeResourcesFitArgs> } = {}): boolean {
  const h = new KubeHarness(RESOURCES, [{ name: 'n', allocatable: opts.node ?? NODE }], [{ node: 'n', requests: { ...existing, pods: 1 } }]);
  return h.filter(new NodeResourcesFit({ ...LEAST, ...opts.args }), { requests: { ...pod, pods: 1 } }).nodes.n;
}

describe('noderesources/fit_test.go TestEnoughRequests', () => {
  const cases: Array<[string, Req, Req, boolean, Partial<NodeResourcesFitArgs>?]> = [
    ['no resources requested always fits', {}, { cpu: 10, memory: 20 }, true],
    ['too many resources fails', { cpu: 1, memory: 1 }, { cpu: 10, memory: 20 }, false],
    // containers 1/1, init container 3/1 → max(1, 3) cpu, max(1, 1) memory
    ['too many resources fails due to init container cpu', { cpu: 3, memory: 1 }, { cpu: 8, memory: 19 }, false],
    // init containers 3/1 and 2/1 → the largest, 3/1
    ['too many resources fails due to highest init container cpu', { cpu: 3, memory: 1 }, { cpu: 8, memory: 19 }, false],
    ['too many resources fails due to init container memory', { cpu: 1, memory: 3 }, { cpu: 9, memory: 19 }, false],
    ['too many resources fails due to highest init container memory', { cpu: 1, memory: 3 }, { cpu: 9, memory: 19 }, false],
    ["init container fits because it's the max, not sum, of containers and init containers", { cpu: 1, memory: 1 }, { cpu: 9, memory: 19 }, true],
    ["multiple init containers fit because it's the max, not sum, of containers and init containers", { cpu: 1, memory: 1 }, { cpu: 9, memory: 19 }, true],
    ['both resources fit', { cpu: 1, memory: 1 }, { cpu: 5, memory: 5 }, true],
    ['one resource memory fits', { cpu: 2, memory: 1 }, { cpu: 9, memory: 5 }, false],
    ['one resource cpu fits', { cpu: 1, memory: 2 }, { cpu: 5, memory: 19 }, false],
    ['equal edge case', { cpu: 5, memory: 1 }, { cpu: 5, memory: 19 }, true],
    // container 4/1, init container 5/1 → 5/1
    ['equal edge case for init container', { cpu: 5, memory: 1 }, { cpu: 5, memory: 19 }, true],
    ['extended resource fits', { [A]: 1 }, {}, true],
    ['extended resource fits for init container', { [A]: 1 }, {}, true],
    ['extended resource capacity enforced', { cpu: 1, memory: 1, [A]: 10 }, { [A]: 0 }, false],
    ['extended resource capacity enforced for init container', { cpu: 1, memory: 1, [A]: 10 }, { [A]: 0 }, false],
    ['extended resource allocatable enforced', { cpu: 1, memory: 1, [A]: 1 }, { [A]: 5 }, false],
    ['extended resource allocatable enforced for init container', { cpu: 1, memory: 1, [A]: 1 }, { [A]: 5 }, false],
    // two containers of 1/1/A3 add up
    ['extended resource allocatable enforced for multiple containers', { cpu: 2, memory: 2, [A]: 6 }, { [A]: 2 }, false],
    // two init containers of 1/1/A3: the largest
    ['extended resource allocatable admits multiple init containers', { cpu: 1, memory: 1, [A]: 3 }, { [A]: 2 }, true],
    // init containers A6 and A3: the largest, 6
    ['extended resource allocatable enforced for multiple init containers', { cpu: 1, memory: 1, [A]: 6 }, { [A]: 2 }, false],
    ['extended resource allocatable enforced for unknown resource', { cpu: 1, memory: 1, [B]: 1 }, {}, false],
    ['extended resource allocatable enforced for unknown resource for init container', { cpu: 1, memory: 1, [B]: 1 }, {}, false],
    ['kubernetes.io resource capacity enforced', { cpu: 1, memory: 1, [K8S_A]: 10 }, {}, false],
    ['kubernetes.io resource capacity enforced for init container', { cpu: 1, memory: 1, [K8S_B]: 10 }, {}, false],
    ['hugepages resource capacity enforced', { cpu: 1, memory: 1, [HUGE]: 10 }, { [HUGE]: 0 }, false],
    ['hugepages resource capacity enforced for init container', { cpu: 1, memory: 1, [HUGE]: 10 }, { [HUGE]: 0 }, false],
    ['hugepages resource allocatable enforced for multiple containers', { cpu: 2, memory: 2, [HUGE]: 6 }, { [HUGE]: 2 }, false],
    ['skip checking ignored extended resource', { cpu: 1, memory: 1, [B]: 1 }, {}, true, { ignoredResources: [B] }],
    // requests 1/1 + overhead 3m/13
    ['resources + pod overhead fits', { cpu: 4, memory: 14 }, { cpu: 5, memory: 5 }, true],
    // requests 1/1 + overhead 1m/15
    ['requests + overhead does not fit for memory', { cpu: 2, memory: 16 }, { cpu: 5, memory: 5 }, false],
    // example.com/bbb is ignored by its group; kubernetes.io/something is not an extended resource
    ['skip checking ignored extended resource via resource groups', { cpu: 1, memory: 1, [B]: 1, [K8S_A]: 1 }, {}, false, { ignoredResourceGroups: ['example.com'] }],
    // the node already runs 6 of its 5 example.com/aaa; the pod asks for none of it
    ['skip checking extended resource request with quantity zero via resource groups', { cpu: 1, memory: 1, [A]: 0 }, { [A]: 6 }, true],
    // the node already runs 20 m / 30 B of its 10 m / 20 B; the pod asks only for example.com/aaa
    ['skip checking resource request with quantity zero', { [A]: 1 }, { cpu: 20, memory: 30, [A]: 1 }, true],
  ];
  for (const [name, pod, existing, want, args] of cases) {
    it(name, () => {
      expect(fits(pod, existing, { args })).toBe(want);
    });
  }

  it('the framework checks only requested resources too (over-committed node, feasibility index)', () => {
    // "skip checking resource request with quantity zero" through FrameworkPolicy: the node is
    // over-committed in CPU and memory, the pod asks for neither, so it is feasible.
    const h = new KubeHarness(RESOURCES, [{ name: 'n', allocatable: NODE }, { name: 'full', allocatable: { ...NODE, [A]: 0 } }]);
    const f = new FrameworkPolicy('conformance', defaultProfile(), { rng: new Rng(1), percentageOfNodesToScore: 100 });
    const running = h.pod({ node: 'n', requests: { cpu: 20, memory: 30, [A]: 1, pods: 1 } });
    h.cluster.bind(0, running.request);
    f.onBind(running, 0, h.cluster);
    const pod = h.pod({ requests: { [A]: 1, pods: 1 } });
    expect(f.explain(pod, h.cluster).feasible).toEqual([0]);
    // A pod that does ask for CPU finds no room on it.
    expect(f.explain(h.pod({ requests: { cpu: 1, pods: 1 } }), h.cluster).feasible).toEqual([1]);
  });
});

describe('noderesources/fit_test.go TestNotEnoughRequests', () => {
  // makeAllocatableResources(10, 20, 1, 0, 0, 0): room for one pod, which already runs.
  const node = { cpu: 10, memory: 20, pods: 1 };
  const cases: Array<[string, Req, Req]> = [
    ["even without specified resources, predicate fails when there's no space for additional pod", {}, { cpu: 10, memory: 20 }],
    ["even if both resources fit, predicate fails when there's no space for additional pod", { cpu: 1, memory: 1 }, { cpu: 5, memory: 5 }],
    ["even for equal edge case, predicate fails when there's no space for additional pod", { cpu: 5, memory: 1 }, { cpu: 5, memory: 19 }],
    // container 5/1, init container 5/1 → 5/1
    ["even for equal edge case, predicate fails when there's no space for additional pod due to init container", { cpu: 5, memory: 1 }, { cpu: 5, memory: 19 }],
  ];
  for (const [name, pod, existing] of cases) {
    it(name, () => {
      expect(fits(pod, existing, { node })).toBe(false);
    });
  }
});

describe('noderesources/fit_test.go TestStorageRequests', () => {
  const cases: Array<[string, Req, Req, boolean]> = [
    ['empty storage requested, and pod fits', { cpu: 1, memory: 1 }, { cpu: 2, memory: 10 }, true],
    ['storage ephemeral local storage request exceeds allocatable', { [STORAGE]: 25 }, { cpu: 2, memory: 2 }, false],
    ['ephemeral local storage is sufficient', { [STORAGE]: 5 }, { cpu: 2, memory: 2, [STORAGE]: 10 }, true],
    ['pod fits', { [STORAGE]: 10 }, { cpu: 2, memory: 2 }, true],
  ];
  for (const [name, pod, existing, want] of cases) {
    it(name, () => {
      expect(fits(pod, existing)).toBe(want);
    });
  }
});

describe('noderesources/fit_test.go TestRestartableInitContainers', () => {
  // A node with room for one pod and no CPU or memory; the pods request nothing (a sidecar
  // without requests adds nothing to the effective request).
  const empty = (): boolean => {
    const h = new KubeHarness(RESOURCES, [{ name: 'n', allocatable: { pods: 1 } }]);
    return h.filter(new NodeResourcesFit(LEAST), { requests: { pods: 1 } }).nodes.n;
  };
  it('allow pod without restartable init containers if sidecar containers is disabled', () => {
    expect(empty()).toBe(true);
  });
  it('allow pod without restartable init containers if sidecar containers is enabled', () => {
    expect(empty()).toBe(true);
  });
  it('allow pod with restartable init containers if sidecar containers is enabled', () => {
    expect(empty()).toBe(true);
  });
});

describe('noderesources/fit_test.go TestFitScore', () => {
  // node1 4000 / 10000 running 2000 / 4000; node2 6000 / 10000 running 1000 / 2000 (CPU in cores).
  const score = (args: NodeResourcesFitArgs, pod: Req) => {
    const h = new KubeHarness(schema('cpu', 'memory'), [
      { name: 'node1', allocatable: { cpu: cores(4000), memory: 10000 } },
      { name: 'node2', allocatable: { cpu: cores(6000), memory: 10000 } },
    ], [
      { node: 'node1', requests: { cpu: cores(2000), memory: 4000 } },
      { node: 'node2', requests: { cpu: cores(1000), memory: 2000 } },
    ]);
    return h.score(new NodeResourcesFit(args), { requests: pod }, { normalize: false }).scores;
  };
  const rtcr = (shape: Array<[number, number]>): NodeResourcesFitArgs => ({
    type: 'RequestedToCapacityRatio',
    resources: [...DEFAULT_SCORING_RESOURCES],
    shape: shape.map(([utilization, s]) => ({ utilization, score: s })),
  });
  const big = { cpu: cores(3000), memory: 5000 };
  const small = { cpu: cores(1000), memory: 2000 };
  // schedlab always runs PreScore before Score; the "if PreScore is not called" cases assert the same result.
  for (const suffix of ['', ' if PreScore is not called']) {
    it(`test case for ScoringStrategy RequestedToCapacityRatio case1${suffix}`, () => {
      expect(score(rtcr([[0, 10], [100, 0]]), big)).toEqual({ node1: 10, node2: 32 });
    });
    if (suffix === '') {
      it('test case for ScoringStrategy RequestedToCapacityRatio case2', () => {
        expect(score(rtcr([[0, 0], [100, 10]]), big)).toEqual({ node1: 95, node2: 68 });
      });
    }
    it(`test case for ScoringStrategy MostAllocated${suffix}`, () => {
      expect(score({ type: 'MostAllocated', resources: [...DEFAULT_SCORING_RESOURCES] }, small)).toEqual({ node1: 67, node2: 36 });
    });
    it(`test case for ScoringStrategy LeastAllocated${suffix}`, () => {
      expect(score(LEAST, small)).toEqual({ node1: 32, node2: 63 });
    });
  }
});
