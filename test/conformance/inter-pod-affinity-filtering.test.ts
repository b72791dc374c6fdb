import { describe, expect, it } from 'vitest';
import { InterPodAffinity } from '../../algorithms/kubernetes/inter-pod-affinity.js';
import {
  REASON_EXISTING_ANTI_AFFINITY as EXISTING_ANTI,
  REASON_POD_AFFINITY as AFFINITY,
  REASON_POD_ANTI_AFFINITY as ANTI,
} from '../../algorithms/kubernetes/unschedulable-reasons.js';
import { KubeHarness, schema } from './helpers/kube-harness.js';
import { Exists, In, NotIn, expr, podConstraints, type PodSpec } from './helpers/pod-affinity.js';

/**
 * Conformance with upstream kube-scheduler:
 * pkg/scheduler/framework/plugins/interpodaffinity/filtering_test.go (kubernetes/kubernetes @ 072825f9),
 * TestRequiredAffinitySingleNode and TestRequiredAffinityMultipleNodes: InterPodAffinity PreFilter
 * + Filter. Each case gives PreFilter's outcome and, per node, `true` (passes) or the Filter's
 * reason (upstream's ErrReason* strings). Upstream's status codes (Unschedulable vs
 * UnschedulableAndUnresolvable) only steer preemption, which schedlab does not model.
 * Upstream's default namespace is ""; here pods without a namespace share schedlab's "default".
 * Not ported: TestPreFilterDisabled (schedlab's framework always runs PreFilter before Filter),
 * TestPreFilterStateAddRemovePod / TestPreFilterStateClone / TestGetTPMapMatchingIncomingAffinityAntiAffinity
 * (upstream's internal cycle-state maps; schedlab rebuilds its counts per decision).
 */
interface Running extends PodSpec {
  node: string;
}
type Nodes = Array<[string, Record<string, string>]>;

function run(pod: PodSpec, running: Running[], nodes: Nodes) {
  const h = new KubeHarness(
    schema('cpu'),
    nodes.map(([name, labels]) => ({ name, labels })),
    running.map((p) => ({ node: p.node, constraints: podConstraints(p) })),
  );
  return h.filter(new InterPodAffinity(), { constraints: podConstraints(pod) });
}

describe('interpodaffinity/filtering_test.go TestRequiredAffinitySingleNode', () => {
  const podLabel = { service: 'securityscan' };
  const podLabel2 = { security: 'S1' };
  const node1: Nodes = [['node1', { region: 'r1', zone: 'z11' }]];
  // st.MakePod().Labels(podLabel).Node("node1")
  const pod: Running = { node: 'node1', labels: podLabel };
  const single = (incoming: PodSpec, running: Running[]) => {
    const r = run(incoming, running, node1);
    return { preFilter: r.preFilter, node1: r.status.node1 };
  };

  it('A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods', () => {
    expect(single({}, [])).toEqual({ preFilter: 'skip', node1: true });
  });
  it('satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod', () => {
    expect(single({ labels: podLabel2, aff: [In('service', 'region', ['securityscan', 'value2'])] }, [pod])).toEqual({ preFilter: 'active', node1: true });
  });
  it('satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod', () => {
    expect(single({ labels: podLabel2, aff: [NotIn('service', 'region', ['securityscan3', 'value3'])] }, [pod])).toEqual({ preFilter: 'active', node1: true });
  });
  it('Does not satisfy the PodAffinity with labelSelector because of diff Namespace', () => {
    const incoming: PodSpec = {
      labels: podLabel2,
      aff: [{ labelSelector: expr('service', 'In', ['securityscan', 'value2']), topologyKey: '', namespaces: ['DiffNameSpace'] }],
    };
    expect(single(incoming, [{ node: 'node1', ns: 'ns', labels: { service: 'securityscan' } }])).toEqual({ preFilter: 'active', node1: AFFINITY });
  });
  it("Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod", () => {
    expect(single({ labels: podLabel, aff: [In('service', '', ['antivirusscan', 'value2'])] }, [pod])).toEqual({ preFilter: 'active', node1: AFFINITY });
  });
  it('satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution ', () => {
    const incoming: PodSpec = {
      labels: podLabel2,
      aff: [
        { labelSelector: { matchExpressions: [{ key: 'service', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }, topologyKey: 'region' },
        { labelSelector: { matchExpressions: [{ key: 'service', operator: 'In', values: ['securityscan'] }, { key: 'service', operator: 'NotIn', values: ['WrongValue'] }] }, topologyKey: 'region' },
      ],
    };
    expect(single(incoming, [pod])).toEqual({ preFilter: 'active', node1: true });
  });
  it("The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item don't match.", () => {
    const incoming: PodSpec = {
      labels: podLabel2,
      aff: [
        { labelSelector: { matchExpressions: [{ key: 'service', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }, topologyKey: 'region' },
        { labelSelector: { matchExpressions: [{ key: 'service', operator: 'In', values: ['securityscan2'] }, { key: 'service', operator: 'NotIn', values: ['WrongValue'] }] }, topologyKey: 'region' },
      ],
    };
    expect(single(incoming, [pod])).toEqual({ preFilter: 'active', node1: AFFINITY });
  });
  it('satisfies the PodAffinity and PodAntiAffinity with the existing pod', () => {
    const incoming: PodSpec = {
      labels: podLabel2,
      aff: [In('service', 'region', ['securityscan', 'value2'])],
      anti: [In('service', 'node', ['antivirusscan', 'value2'])],
    };
    expect(single(incoming, [pod])).toEqual({ preFilter: 'active', node1: true });
  });
  it('satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod', () => {
    const incoming: PodSpec = {
      labels: podLabel2,
      aff: [In('service', 'region', ['securityscan', 'value2'])],
      anti: [In('service', 'node', ['antivirusscan', 'value2'])],
    };
    const existing: Running = { node: 'node1', labels: podLabel, anti: [In('service', 'node', ['antivirusscan', 'value2'])] };
    expect(single(incoming, [existing])).toEqual({ preFilter: 'active', node1: true });
  });
  it("satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod", () => {
    const incoming: PodSpec = {
      labels: podLabel2,
      aff: [In('service', 'region', ['securityscan', 'value2'])],
      anti: [In('service', 'zone', ['securityscan', 'value2'])],
    };
    expect(single(incoming, [pod])).toEqual({ preFilter: 'active', node1: ANTI });
  });
  it("satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod", () => {
    const incoming: PodSpec = {
      labels: podLabel,
      aff: [In('service', 'region', ['securityscan', 'value2'])],
      anti: [In('service', 'node', ['antivirusscan', 'value2'])],
    };
    const existing: Running = { node: 'node1', labels: podLabel, anti: [In('service', 'zone', ['securityscan', 'value2'])] };
    expect(single(incoming, [existing])).toEqual({ preFilter: 'active', node1: EXISTING_ANTI });
  });
  it('pod matches its own Label in PodAffinity and that matches the existing pod Labels', () => {
    // Upstream's existing pod runs on node2, which is not in the snapshot: it counts nowhere.
    expect(single({ labels: podLabel, aff: [NotIn('service', 'region', ['securityscan', 'value2'])] }, [])).toEqual({ preFilter: 'active', node1: AFFINITY });
  });
  it("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod", () => {
    const existing: Running = { node: 'node1', labels: podLabel, anti: [In('service', 'zone', ['securityscan', 'value2'])] };
    expect(single({ labels: podLabel }, [existing])).toEqual({ preFilter: 'active', node1: EXISTING_ANTI });
  });
  it('verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod', () => {
    const existing: Running = { node: 'node1', labels: podLabel, anti: [NotIn('service', 'zone', ['securityscan', 'value2'])] };
    expect(single({ labels: podLabel }, [existing])).toEqual({ preFilter: 'skip', node1: true });
  });
  it("satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod", () => {
    const incoming: PodSpec = { labels: podLabel, anti: [Exists('service', 'region'), Exists('security', 'region')] };
    const existing: Running = { node: 'node1', labels: podLabel2, anti: [Exists('security', 'zone')] };
    expect(single(incoming, [existing])).toEqual({ preFilter: 'active', node1: ANTI });
  });
  it('PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms', () => {
    const incoming: PodSpec = { labels: podLabel, anti: [Exists('service', 'zone'), Exists('security', 'zone')] };
    const existing: Running = { node: 'node1', labels: podLabel2, anti: [Exists('security', 'zone')] };
    expect(single(incoming, [existing])).toEqual({ preFilter: 'active', node1: ANTI });
  });
  it('PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms', () => {
    const incoming: PodSpec = { labels: podLabel2, anti: [Exists('security', 'zone')] };
    const existing: Running = { node: 'node1', labels: podLabel, anti: [Exists('service', 'zone'), Exists('security', 'zone')] };
    expect(single(incoming, [existing])).toEqual({ preFilter: 'active', node1: EXISTING_ANTI });
  });
  it('PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms', () => {
    const incoming: PodSpec = { labels: { abc: '', xyz: '' }, anti: [Exists('abc', 'zone'), Exists('def', 'zone')] };
    const existing: Running = { node: 'node1', labels: { def: '', xyz: '' }, anti: [Exists('abc', 'zone'), Exists('def', 'zone')] };
    expect(single(incoming, [existing])).toEqual({ preFilter: 'active', node1: ANTI });
  });
  it('PodAntiAffinity symmetry check b2: incoming pod and existing pod partially match each other on AffinityTerms', () => {
    const incoming: PodSpec = { labels: { def: '', xyz: '' }, anti: [Exists('abc', 'zone'), Exists('def', 'zone')] };
    const existing: Running = { node: 'node1', labels: { abc: '', xyz: '' }, anti: [Exists('abc', 'zone'), Exists('def', 'zone')] };
    expect(single(incoming, [existing])).toEqual({ preFilter: 'active', node1: ANTI });
  });
  it('PodAffinity fails PreFilter with an invalid affinity label syntax', () => {
    const incoming: PodSpec = { labels: podLabel, aff: [In('service', 'region', ['{{.bad-value.}}']), In('service', 'node', ['antivirusscan', 'value2'])] };
    expect(single(incoming, [])).toEqual({ preFilter: 'reject', node1: 'PreFilter' });
  });
  it('PodAntiAffinity fails PreFilter with an invalid antiaffinity label syntax', () => {
    const incoming: PodSpec = { labels: podLabel, aff: [In('service', 'region', ['foo']), In('service', 'node', ['{{.bad-value.}}'])] };
    expect(single(incoming, [])).toEqual({ preFilter: 'reject', node1: 'PreFilter' });
  });
  const team1 = { matchExpressions: [{ key: 'team', operator: 'In' as const, values: ['team1'] }] };
  const securityscan = expr('service', 'In', ['securityscan', 'value2']);
  it('affinity with NamespaceSelector', () => {
    const incoming: PodSpec = { labels: podLabel2, aff: [{ labelSelector: securityscan, namespaceSelector: team1, topologyKey: 'region' }] };
    expect(single(incoming, [{ node: 'node1', ns: 'subteam1.team1', labels: podLabel }])).toEqual({ preFilter: 'active', node1: true });
  });
  it('affinity with non-matching NamespaceSelector', () => {
    const incoming: PodSpec = { labels: podLabel2, aff: [{ labelSelector: securityscan, namespaceSelector: team1, topologyKey: 'region' }] };
    expect(single(incoming, [{ node: 'node1', ns: 'subteam1.team2', labels: podLabel }])).toEqual({ preFilter: 'active', node1: AFFINITY });
  });
  it('anti-affinity with matching NamespaceSelector', () => {
    const incoming: PodSpec = { ns: 'subteam1.team1', labels: podLabel2, anti: [{ labelSelector: securityscan, namespaceSelector: team1, topologyKey: 'zone' }] };
    expect(single(incoming, [{ node: 'node1', ns: 'subteam2.team1', labels: podLabel }])).toEqual({ preFilter: 'active', node1: ANTI });
  });
  it('anti-affinity with matching all NamespaceSelector', () => {
    const incoming: PodSpec = { ns: 'subteam1.team1', labels: podLabel2, anti: [{ labelSelector: securityscan, namespaceSelector: {}, topologyKey: 'zone' }] };
    expect(single(incoming, [{ node: 'node1', ns: 'subteam2.team1', labels: podLabel }])).toEqual({ preFilter: 'active', node1: ANTI });
  });
  it('anti-affinity with non-matching NamespaceSelector', () => {
    const incoming: PodSpec = { ns: 'subteam1.team1', labels: podLabel2, anti: [{ labelSelector: securityscan, namespaceSelector: team1, topologyKey: 'zone' }] };
    expect(single(incoming, [{ node: 'node1', ns: 'subteam1.team2', labels: podLabel }])).toEqual({ preFilter: 'active', node1: true });
  });
});

describe('interpodaffinity/filtering_test.go TestRequiredAffinityMultipleNodes', () => {
  const rgChina = { region: 'China' };
  const rgChinaAzAz1 = { region: 'China', az: 'az1' };
  const rgIndia = { region: 'India' };
  const abc: Nodes = [['nodeA', rgChina], ['nodeB', rgChinaAzAz1], ['nodeC', rgIndia]];
  const zones = (a: string, b: string): Nodes => [
    ['nodeA', { region: 'r1', zone: a, hostname: 'nodeA' }],
    ['nodeB', { region: 'r1', zone: b, hostname: 'nodeB' }],
  ];
  const statuses = (pod: PodSpec, running: Running[], nodes: Nodes) => {
    const r = run(pod, running, nodes);
    return { preFilter: r.preFilter, nodes: r.status };
  };
  const active = (nodes: Record<string, true | string>) => ({ preFilter: 'active', nodes });

  it('A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an existing pod that matches the affinity rules', () => {
    const nodes: Nodes = [['node1', rgChina], ['node2', rgChinaAzAz1], ['node3', rgIndia]];
    expect(statuses({ aff: [In('foo', 'region', ['bar'])] }, [{ node: 'node1', labels: { foo: 'bar' } }], nodes)).toEqual(
      active({ node1: true, node2: true, node3: AFFINITY }),
    );
  });
  const collection: PodSpec = { labels: { foo: 'bar', service: 'securityscan' }, aff: [In('foo', 'zone', ['bar']), In('service', 'zone', ['securityscan'])] };
  it(
    'The affinity rule is to schedule all of the pods of this collection to the same zone. The first pod of the collection ' +
      "should not be blocked from being scheduled onto any node, even there's no existing pod that matches the rule anywhere.",
    () => {
      const nodes: Nodes = [['nodeA', { zone: 'az1', hostname: 'h1' }], ['nodeB', { zone: 'az2', hostname: 'h2' }]];
      expect(statuses(collection, [{ node: 'nodeA', labels: { foo: 'bar' } }], nodes)).toEqual(active({ nodeA: true, nodeB: true }));
    },
  );
  it('The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys', () => {
    const nodes: Nodes = [['nodeA', { zoneLabel: 'az1', hostname: 'h1' }], ['nodeB', { zoneLabel: 'az2', hostname: 'h2' }]];
    expect(statuses(collection, [{ node: 'nodeA', labels: { foo: 'bar' } }], nodes)).toEqual(active({ nodeA: AFFINITY, nodeB: AFFINITY }));
  });
  it('NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB.', () => {
    const nodes: Nodes = [['nodeA', { region: 'r1', hostname: 'nodeA' }], ['nodeB', { region: 'r1', hostname: 'nodeB' }]];
    expect(statuses({ anti: [In('foo', 'region', ['abc'])] }, [{ node: 'nodeA', labels: { foo: 'abc' } }], nodes)).toEqual(active({ nodeA: ANTI, nodeB: ANTI }));
  });
  it('This test ensures that anti-affinity matches a pod when any term of the anti-affinity rule matches a pod.', () => {
    const pod: PodSpec = { anti: [In('foo', 'region', ['abc']), In('service', 'zone', ['securityscan'])] };
    const nodes: Nodes = [['nodeA', { region: 'r1', zone: 'z1', hostname: 'nodeA' }], ['nodeB', { region: 'r1', zone: 'z2', hostname: 'nodeB' }]];
    expect(statuses(pod, [{ node: 'nodeA', labels: { foo: 'abc', service: 'securityscan' } }], nodes)).toEqual(active({ nodeA: ANTI, nodeB: ANTI }));
  });
  it('NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB but can be scheduled onto nodeC', () => {
    expect(statuses({ anti: [In('foo', 'region', ['abc'])] }, [{ node: 'nodeA', labels: { foo: 'abc' } }], abc)).toEqual(
      active({ nodeA: ANTI, nodeB: ANTI, nodeC: true }),
    );
  });
  it('NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA, nodeB, but can be scheduled onto nodeC (NodeC has an existing pod that match the inter pod affinity rule but in different namespace)', () => {
    const pod: PodSpec = { ns: 'NS1', labels: { foo: '123' }, anti: [In('foo', 'region', ['bar'])] };
    const running: Running[] = [
      { node: 'nodeA', ns: 'NS1', labels: { foo: 'bar' } },
      { node: 'nodeC', ns: 'NS2', anti: [In('foo', 'region', ['123'])] },
    ];
    expect(statuses(pod, running, abc)).toEqual(active({ nodeA: ANTI, nodeB: ANTI, nodeC: true }));
  });
  it("Test existing pod's anti-affinity: if an existing pod has a term with invalid topologyKey, labelSelector of the term is firstly checked, and then topologyKey of the term is also checked", () => {
    const r = statuses({ labels: { foo: '' } }, [{ node: 'nodeA', anti: [Exists('foo', 'invalid-node-label')] }], zones('z1', 'z1'));
    expect(r).toEqual({ preFilter: 'skip', nodes: { nodeA: true, nodeB: true } });
  });
  it("Test incoming pod's anti-affinity: even if labelSelector matches, we still check if topologyKey matches", () => {
    // Upstream's incoming pod also carries .Node("nodeA"), which InterPodAffinity does not read.
    const r = statuses({ anti: [Exists('foo', 'invalid-node-label')] }, [{ node: 'nodeA', labels: { foo: '' } }], zones('z1', 'z1'));
    expect(r).toEqual(active({ nodeA: true, nodeB: true }));
  });
  it("Test existing pod's anti-affinity: incoming pod wouldn't considered as a fit as it violates each existingPod's terms on all nodes", () => {
    const running: Running[] = [
      { node: 'nodeA', anti: [Exists('foo', 'zone')] },
      { node: 'nodeA', anti: [Exists('bar', 'region')] },
    ];
    expect(statuses({ labels: { foo: '', bar: '' } }, running, zones('z1', 'z2'))).toEqual(active({ nodeA: EXISTING_ANTI, nodeB: EXISTING_ANTI }));
  });
  it("Test incoming pod's anti-affinity: incoming pod wouldn't considered as a fit as it at least violates one anti-affinity rule of existingPod", () => {
    const running: Running[] = [
      { node: 'nodeA', labels: { foo: '' } },
      { node: 'nodeB', labels: { bar: '' } },
    ];
    expect(statuses({ anti: [Exists('foo', 'zone'), Exists('bar', 'region')] }, running, zones('z1', 'z2'))).toEqual(active({ nodeA: ANTI, nodeB: ANTI }));
  });
  it("Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey", () => {
    const running: Running[] = [{ node: 'nodeA', anti: [Exists('foo', 'invalid-node-label'), Exists('bar', 'zone')] }];
    expect(statuses({ labels: { foo: '', bar: '' } }, running, zones('z1', 'z2'))).toEqual(active({ nodeA: EXISTING_ANTI, nodeB: true }));
  });
  it("Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey", () => {
    const pod: PodSpec = { anti: [Exists('foo', 'invalid-node-label'), Exists('bar', 'zone')] };
    expect(statuses(pod, [{ node: 'nodeA', labels: { foo: '', bar: '' } }], zones('z1', 'z2'))).toEqual(active({ nodeA: ANTI, nodeB: true }));
  });
  it("Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when all terms have valid topologyKey", () => {
    const running: Running[] = [{ node: 'nodeA', anti: [Exists('foo', 'region'), Exists('bar', 'zone')] }];
    expect(statuses({ labels: { foo: '', bar: '' } }, running, zones('z1', 'z2'))).toEqual(active({ nodeA: EXISTING_ANTI, nodeB: EXISTING_ANTI }));
  });
  it("Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when all terms have valid topologyKey", () => {
    const pod: PodSpec = { anti: [Exists('foo', 'region'), Exists('bar', 'zone')] };
    expect(statuses(pod, [{ node: 'nodeA', labels: { foo: '', bar: '' } }], zones('z1', 'z2'))).toEqual(active({ nodeA: ANTI, nodeB: ANTI }));
  });
  it("Test existing pod's anti-affinity: existingPod on nodeA and nodeB has at least one anti-affinity term matches incoming pod, so incoming pod can only be scheduled to nodeC", () => {
    const running: Running[] = [
      { node: 'nodeA', anti: [Exists('foo', 'zone'), Exists('labelA', 'zone')] },
      { node: 'nodeB', anti: [Exists('bar', 'zone'), Exists('labelB', 'zone')] },
    ];
    const nodes: Nodes = [...zones('z1', 'z2'), ['nodeC', { region: 'r1', zone: 'z3', hostname: 'nodeC' }]];
    expect(statuses({ labels: { foo: '', bar: '' } }, running, nodes)).toEqual(active({ nodeA: EXISTING_ANTI, nodeB: EXISTING_ANTI, nodeC: true }));
  });
  it("Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match", () => {
    const pod: PodSpec = { aff: [Exists('foo', 'region'), Exists('bar', 'zone')] };
    expect(statuses(pod, [{ node: 'nodeA', labels: { foo: '', bar: '' } }], zones('z1', 'z1'))).toEqual(active({ nodeA: true, nodeB: true }));
  });
  it("Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match, and the match logic should be satisfied on the same pod", () => {
    const pod: PodSpec = { aff: [Exists('foo', 'region'), Exists('bar', 'zone')] };
    const running: Running[] = [
      { node: 'nodeA', labels: { foo: '' } },
      { node: 'nodeB', labels: { bar: '' } },
    ];
    expect(statuses(pod, running, zones('z1', 'z2'))).toEqual(active({ nodeA: AFFINITY, nodeB: AFFINITY }));
  });
});
