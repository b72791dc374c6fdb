import { describe, expect, it } from 'vitest';
import { InterPodAffinity, type InterPodAffinityArgs } from '../../algorithms/kubernetes/inter-pod-affinity.js';
import type { PodAffinityTerm } from '../../model/placement-constraints.js';
import { KubeHarness, schema } from './helpers/kube-harness.js';
import { In, podConstraints, type PodSpec } from './helpers/pod-affinity.js';

/**
 * Conformance with upstream kube-scheduler:
 * pkg/scheduler/framework/plugins/interpodaffinity/scoring_test.go (kubernetes/kubernetes @ 8a4d98ac),
 * TestPreferredAffinity and TestPreferredAffinityWithHardPodAffinitySymmetricWeight: PreScore,
 * Score per node, NormalizeScore. Upstream's Skip (nothing to score) is schedlab's constant 0
 * from PreScore: the plugin adds nothing to any node. Upstream's default namespace is ""; pods
 * without a namespace share schedlab's "default", except where a term names "" literally.
 */
interface Running extends PodSpec {
  node: string;
}
type Nodes = Array<[string, Record<string, string>]>;

function harness(running: Running[], nodes: Nodes) {
  return new KubeHarness(
    schema('cpu'),
    nodes.map(([name, labels]) => ({ name, labels })),
    running.map((p) => ({ node: p.node, constraints: podConstraints(p) })),
  );
}
function scores(pod: PodSpec, running: Running[], nodes: Nodes, args: Partial<InterPodAffinityArgs> = {}) {
  const plugin = new InterPodAffinity({ hardPodAffinityWeight: 1, ...args });
  return harness(running, nodes).score(plugin, { constraints: podConstraints(pod) });
}
/** Upstream's expectedList after NormalizeScore, or Skip (constant 0 here). */
const list = (pod: PodSpec, running: Running[], nodes: Nodes, args: Partial<InterPodAffinityArgs> = {}) => {
  const r = scores(pod, running, nodes, args);
  return r.constant === 0 ? 'Skip' : r.scores;
};

const rgChina = { region: 'China' };
const rgIndia = { region: 'India' };
const azAz1 = { az: 'az1' };
const azAz2 = { az: 'az2' };
const rgChinaAzAz1 = { region: 'China', az: 'az1' };
const S1 = { security: 'S1' };
const S2 = { security: 'S2' };

describe('interpodaffinity/scoring_test.go TestPreferredAffinity', () => {
  const stayWithS1InRegion: PodSpec = { prefAff: [[5, In('security', 'region', ['S1'])]] };
  const stayWithS2InRegion: PodSpec = { prefAff: [[6, In('security', 'region', ['S2'])]] };
  const affinity3: PodSpec = {
    prefAff: [
      [8, { labelSelector: { matchExpressions: [{ key: 'security', operator: 'NotIn', values: ['S1'] }, { key: 'security', operator: 'In', values: ['S2'] }] }, topologyKey: 'region' }],
      [2, { labelSelector: { matchExpressions: [{ key: 'security', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }, topologyKey: 'region' }],
    ],
  };
  const hardAffinity: PodSpec = {
    aff: [
      In('security', 'region', ['S1', 'value2']),
      { labelSelector: { matchExpressions: [{ key: 'security', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }, topologyKey: 'region' },
    ],
  };
  const awayFromS1InAz: PodSpec = { prefAnti: [[5, In('security', 'az', ['S1'])]] };
  const awayFromS2InAz: PodSpec = { prefAnti: [[5, In('security', 'az', ['S2'])]] };
  const stayWithS1InRegionAwayFromS2InAz: PodSpec = { prefAff: [[8, In('security', 'region', ['S1'])]], prefAnti: [[5, In('security', 'az', ['S2'])]] };
  const team1 = { matchExpressions: [{ key: 'team', operator: 'In' as const, values: ['team1'] }] };
  const nsTerm: PodAffinityTerm = { ...In('security', 'region', ['S1']), namespaces: ['subteam2.team2'], namespaceSelector: team1 };
  const affinityNamespaceSelector: PodSpec = { prefAff: [[5, nsTerm]] };
  const antiAffinityNamespaceSelector: PodSpec = { prefAnti: [[5, nsTerm]] };
  const invalidAffinityLabels: PodSpec = { prefAff: [[8, In('security', 'region', ['{{.bad-value.}}'])]] };
  const invalidAntiAffinityLabels: PodSpec = { prefAnti: [[5, In('security', 'az', ['{{.bad-value.}}'])]] };
  const threeNodes: Nodes = [['node1', rgChina], ['node2', rgIndia], ['node3', azAz1]];

  it('all nodes are same priority as Affinity is nil', () => {
    expect(list({ labels: S1 }, [], threeNodes)).toBe('Skip');
  });
  it('Affinity: pod that matches topology key & pods in nodes will get high score comparing to otherswhich doesn\'t match either pods in nodes or in topology key', () => {
    const running: Running[] = [{ node: 'node1', labels: S1 }, { node: 'node2', labels: S2 }, { node: 'node3', labels: S1 }];
    expect(list({ ...stayWithS1InRegion, labels: S1 }, running, threeNodes)).toEqual({ node1: 100, node2: 0, node3: 0 });
  });
  it('All the nodes that have the same topology key & label value with one of them has an existing pod that match the affinity rules, have the same score', () => {
    const nodes: Nodes = [['node1', rgChina], ['node2', rgChinaAzAz1], ['node3', rgIndia]];
    expect(list(stayWithS1InRegion, [{ node: 'node1', labels: S1 }], nodes)).toEqual({ node1: 100, node2: 100, node3: 0 });
  });
  it('Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score', () => {
    const running: Running[] = ['node1', 'node1', 'node2', 'node3', 'node4', 'node5'].map((node) => ({ node, labels: S2 }));
    const nodes: Nodes = [['node1', rgChina], ['node2', rgIndia], ['node3', rgChina], ['node4', rgChina], ['node5', rgIndia]];
    expect(list({ ...stayWithS2InRegion, labels: S1 }, running, nodes)).toEqual({ node1: 100, node2: 0, node3: 100, node4: 100, node5: 0 });
  });
  it('Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures ', () => {
    const running: Running[] = [{ node: 'node1', labels: S1 }, { node: 'node2', labels: S2 }, { node: 'node3', labels: S1 }];
    expect(list({ ...affinity3, labels: S1 }, running, threeNodes)).toEqual({ node1: 20, node2: 100, node3: 0 });
  });
  it('Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry', () => {
    const running: Running[] = [{ node: 'node1', ...stayWithS1InRegion, labels: S1 }, { node: 'node2', ...stayWithS2InRegion, labels: S2 }];
    expect(list({ labels: S2 }, running, threeNodes)).toEqual({ node1: 0, node2: 100, node3: 0 });
  });
  it('Affinity symmetry with namespace selector', () => {
    const running: Running[] = [{ node: 'node1', ...affinityNamespaceSelector, labels: S1 }, { node: 'node2', ...stayWithS2InRegion, labels: S2 }];
    expect(list({ ns: 'subteam1.team1', labels: S1 }, running, threeNodes)).toEqual({ node1: 100, node2: 0, node3: 0 });
  });
  it('AntiAffinity symmetry with namespace selector', () => {
    const running: Running[] = [{ node: 'node1', ...antiAffinityNamespaceSelector, labels: S1 }, { node: 'node2', ...stayWithS2InRegion, labels: S2 }];
    expect(list({ ns: 'subteam1.team1', labels: S1 }, running, threeNodes)).toEqual({ node1: 0, node2: 100, node3: 100 });
  });
  it('Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry', () => {
    const running: Running[] = [{ node: 'node1', ...hardAffinity, labels: S1 }, { node: 'node2', ...hardAffinity, labels: S2 }];
    expect(list({ labels: S1 }, running, threeNodes)).toEqual({ node1: 100, node2: 100, node3: 0 });
  });
  it('Anti Affinity: pod that does not match existing pods in node will get high score ', () => {
    const running: Running[] = [{ node: 'node1', labels: S1 }, { node: 'node2', labels: S2 }];
    expect(list({ ...awayFromS1InAz, labels: S1 }, running, [['node1', azAz1], ['node2', rgChina]])).toEqual({ node1: 0, node2: 100 });
  });
  it('Anti Affinity: pod that does not match topology key & match the pods in nodes will get higher score comparing to others ', () => {
    const running: Running[] = [{ node: 'node1', labels: S1 }, { node: 'node2', labels: S1 }];
    expect(list({ ...awayFromS1InAz, labels: S1 }, running, [['node1', azAz1], ['node2', rgChina]])).toEqual({ node1: 0, node2: 100 });
  });
  it('Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches will get high score', () => {
    const running: Running[] = [{ node: 'node1', labels: S1 }, { node: 'node1', labels: S1 }, { node: 'node2', labels: S2 }];
    expect(list({ ...awayFromS1InAz, labels: S1 }, running, [['node1', azAz1], ['node2', rgIndia]])).toEqual({ node1: 0, node2: 100 });
  });
  it('Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score', () => {
    const running: Running[] = [{ node: 'node1', ...awayFromS2InAz, labels: S1 }, { node: 'node2', ...awayFromS1InAz, labels: S2 }];
    expect(list({ labels: S2 }, running, [['node1', azAz1], ['node2', azAz2]])).toEqual({ node1: 0, node2: 100 });
  });
  it('Affinity and Anti Affinity: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity', () => {
    const running: Running[] = [{ node: 'node1', labels: S1 }, { node: 'node2', labels: S1 }];
    expect(list({ ...stayWithS1InRegionAwayFromS2InAz, labels: S1 }, running, [['node1', rgChina], ['node2', azAz1]])).toEqual({ node1: 100, node2: 0 });
  });
  it('Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods have the same labels', () => {
    const running: Running[] = ['node1', 'node1', 'node2', 'node3', 'node3', 'node4', 'node5'].map((node) => ({ node, labels: S1 }));
    const nodes: Nodes = [['node1', rgChinaAzAz1], ['node2', rgIndia], ['node3', rgChina], ['node4', rgChina], ['node5', rgIndia]];
    expect(list({ ...stayWithS1InRegionAwayFromS2InAz, labels: S1 }, running, nodes)).toEqual({ node1: 100, node2: 0, node3: 100, node4: 100, node5: 0 });
  });
  it('Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry', () => {
    const running: Running[] = [
      { node: 'node1', labels: S1 },
      { node: 'node2', labels: S2 },
      { node: 'node3', ...stayWithS1InRegionAwayFromS2InAz },
      { node: 'node4', ...awayFromS1InAz },
    ];
    const nodes: Nodes = [['node1', rgChina], ['node2', azAz1], ['node3', rgIndia], ['node4', azAz2]];
    expect(list({ ...stayWithS1InRegionAwayFromS2InAz, labels: S1 }, running, nodes)).toEqual({ node1: 100, node2: 0, node3: 100, node4: 0 });
  });
  it("Avoid panic when partial nodes in a topology don't have pods with affinity", () => {
    const running: Running[] = [{ node: 'node1', labels: S1 }, { node: 'node2', ...stayWithS1InRegionAwayFromS2InAz }];
    expect(list({ labels: S1 }, running, [['node1', rgChina], ['node2', rgChina]])).toEqual({ node1: 0, node2: 0 });
  });
  // Upstream's PreScore errors on an unparsable term; schedlab's PreFilter already rejects such a
  // pod (as upstream's PreFilter does, from the same PodInfo parse error), so it is never scored.
  it('invalid Affinity fails PreScore', () => {
    const h = harness([], [['node1', rgChina], ['node2', rgChina]]);
    expect(h.filter(new InterPodAffinity(), { constraints: podConstraints(invalidAffinityLabels) }).preFilter).toBe('reject');
  });
  it('invalid AntiAffinity fails PreScore', () => {
    const h = harness([], [['node1', rgChina], ['node2', rgChina]]);
    expect(h.filter(new InterPodAffinity(), { constraints: podConstraints(invalidAntiAffinityLabels) }).preFilter).toBe('reject');
  });
  const nsPods = (third: string): Running[] => [
    { node: 'node1', ns: 'subteam1.team1', labels: S1 },
    { node: 'node1', ns: 'subteam1.team1', labels: S1 },
    { node: 'node1', ns: third, labels: S1 },
    { node: 'node2', ns: 'subteam2.team1', labels: S1 },
  ];
  const twoRegions: Nodes = [['node1', rgChina], ['node2', rgIndia]];
  it('Affinity with pods matching NamespaceSelector', () => {
    expect(list({ ...affinityNamespaceSelector, ns: 'subteam1.team1', labels: S1 }, nsPods('subteam1.team2'), twoRegions)).toEqual({ node1: 100, node2: 0 });
  });
  it('Affinity with pods matching both NamespaceSelector and Namespaces fields', () => {
    expect(list({ ...affinityNamespaceSelector, ns: 'subteam1.team1', labels: S1 }, nsPods('subteam2.team2'), twoRegions)).toEqual({ node1: 100, node2: 0 });
  });
  it('Affinity with pods matching NamespaceSelector', () => {
    expect(list({ ...antiAffinityNamespaceSelector, ns: 'subteam1.team1', labels: S1 }, nsPods('subteam1.team2'), twoRegions)).toEqual({ node1: 0, node2: 100 });
  });
  it('Affinity with pods matching both NamespaceSelector and Namespaces fields', () => {
    expect(list({ ...antiAffinityNamespaceSelector, ns: 'subteam1.team1', labels: S1 }, nsPods('subteam2.team2'), twoRegions)).toEqual({ node1: 0, node2: 100 });
  });
  const existingPrefs: Running[] = [
    { node: 'node1', ...stayWithS1InRegionAwayFromS2InAz, labels: S1 },
    { node: 'node2', ...stayWithS2InRegion, labels: S2 },
  ];
  it('Ignore preferred terms of existing pods', () => {
    expect(list({ labels: S2 }, existingPrefs, twoRegions, { ignorePreferredTermsOfExistingPods: true })).toBe('Skip');
  });
  it('Do not ignore preferred terms of existing pods', () => {
    expect(list({ labels: S2 }, existingPrefs, twoRegions, { ignorePreferredTermsOfExistingPods: false })).toEqual({ node1: 0, node2: 100 });
  });
  it('No nodes to score', () => {
    expect(list({ labels: S2 }, [], [])).toBe('Skip');
  });
});

describe('interpodaffinity/scoring_test.go TestPreferredAffinityWithHardPodAffinitySymmetricWeight', () => {
  const S = { service: 'S1' };
  // Namespaces ["", "subteam2.team2"] name upstream's default namespace "" literally; the pods of
  // the first two cases are put in namespace "" here so the literal matches.
  const hardPodAffinity: PodSpec = {
    aff: [
      {
        ...In('service', 'region', ['S1']),
        namespaces: ['', 'subteam2.team2'],
        namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['team1'] }] },
      },
    ],
  };
  const running: Running[] = [{ node: 'node1', ns: '', ...hardPodAffinity }, { node: 'node2', ns: '', ...hardPodAffinity }];
  const nodes: Nodes = [['node1', rgChina], ['node2', rgIndia], ['node3', azAz1]];
  it('with default weight', () => {
    expect(list({ ns: '', labels: S }, running, nodes, { hardPodAffinityWeight: 1 })).toEqual({ node1: 100, node2: 100, node3: 0 });
  });
  it('with zero weight', () => {
    expect(list({ ns: '', labels: S }, running, nodes, { hardPodAffinityWeight: 0 })).toBe('Skip');
  });
  it('with no matching namespace', () => {
    expect(list({ ns: 'subteam1.team2', labels: S }, running, nodes, { hardPodAffinityWeight: 1 })).toBe('Skip');
  });
  it('with matching NamespaceSelector', () => {
    expect(list({ ns: 'subteam1.team1', labels: S }, running, nodes, { hardPodAffinityWeight: 1 })).toEqual({ node1: 100, node2: 100, node3: 0 });
  });
  it('with matching Namespaces', () => {
    expect(list({ ns: 'subteam2.team2', labels: S }, running, nodes, { hardPodAffinityWeight: 1 })).toEqual({ node1: 100, node2: 100, node3: 0 });
  });
});
