import { describe, expect, it } from 'vitest';
import { GiB, cluster, framework, node, pod, run, scoresOf, totalsOf } from './fixtures/kubernetes-framework/helpers.js';
import { binpackProfile, defaultProfile, type Profile } from '../algorithms/kubernetes/profile.js';
import { brokenLinear } from '../algorithms/kubernetes/node-resources-fit.js';
import type { PlacementConstraints } from '../model/placement-constraints.js';

const MB = 1024 * 1024;
const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z });

function withFit(args: Profile['args']['NodeResourcesFit']): Profile {
  const p = defaultProfile();
  p.args.NodeResourcesFit = args;
  return p;
}

describe('kube framework score plugins', () => {
  // n0 already runs 1000 mc / 0 B; n1 is empty. The pod asks 1000 mc / 2 GiB. Nodes: 4000 mc / 8 GiB.
  const resourceCluster = () => {
    const c = cluster([node('n0'), node('n1')]);
    c.bind(0, new Float64Array([1000, 0, 0]));
    return c;
  };
  const p = () => pod(0, undefined, 1000, 2 * GiB);

  it('NodeResourcesFit LeastAllocated: mean of (alloc − requested) · 100 / alloc', () => {
    // n0: cpu (4000 − 2000)·100/4000 = 50, mem (8 − 2)/8 → 75 → (50 + 75)/2 = 62 (integer)
    // n1: cpu 75, mem 75 → 75
    expect(scoresOf(resourceCluster(), framework(), p(), 'NodeResourcesFit')).toEqual({ n0: 62, n1: 75 });
  });

  it('NodeResourcesFit MostAllocated: mean of requested · 100 / alloc', () => {
    // n0: cpu 50, mem 25 → 37; n1: cpu 25, mem 25 → 25
    expect(scoresOf(resourceCluster(), framework(binpackProfile()), p(), 'NodeResourcesFit')).toEqual({ n0: 37, n1: 25 });
  });

  it('a missing request scores as 100 mc / 200 MB (scoring only)', () => {
    // n1 empty: cpu (4000 − 100)·100/4000 = 97; mem (8 GiB − 200 MiB)·100/8 GiB = 97.5 → 97 → 97
    const s = scoresOf(resourceCluster(), framework(), pod(0, undefined, 0, 0, true), 'NodeResourcesFit');
    expect(s.n1).toBe(97);
  });

  it('NodeResourcesFit RequestedToCapacityRatio: piecewise-linear shape (scores × 10), weighted, rounded', () => {
    const shape = [
      { utilization: 0, score: 0 },
      { utilization: 100, score: 10 },
    ];
    expect(brokenLinear([{ utilization: 0, score: 0 }, { utilization: 50, score: 100 }, { utilization: 100, score: 0 }], 75)).toBe(50);
    // cpu weight 3, memory weight 1. n0: cpu 50 % → 50, mem 25 % → 25 → (150 + 25)/4 = 43.75 → 44.
    // n1: cpu 25, mem 25 → 25.
    const prof = withFit({ type: 'RequestedToCapacityRatio', resources: [{ name: 'cpu', weight: 3 }, { name: 'memory', weight: 1 }], shape });
    expect(scoresOf(resourceCluster(), framework(prof), p(), 'NodeResourcesFit')).toEqual({ n0: 44, n1: 25 });
  });

  it('NodeResourcesBalancedAllocation: 100 · (1 − std of requested fractions)', () => {
    // n0: cpu 2000/4000 = 0.5, mem 2/8 = 0.25 → std 0.125 → 87.5 → 87; n1: 0.25, 0.25 → 100
    expect(scoresOf(resourceCluster(), framework(), p(), 'NodeResourcesBalancedAllocation')).toEqual({ n0: 87, n1: 100 });
  });

  it('NodeAffinity: preferred term weights, normalized by the best node', () => {
    const c = cluster([
      node('n0', { labels: { ...zone('a'), disk: 'ssd' } }),
      node('n1', { labels: zone('a') }),
      node('n2', { labels: { disk: 'ssd' } }),
      node('n3'),
    ]);
    const t = pod(0, {
      preferredNodeAffinity: [
        { weight: 5, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }] } },
        { weight: 3, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
      ],
    });
    // raw 8, 5, 3, 0 → 100·s/8: 100, 62, 37, 0
    expect(scoresOf(c, framework(), t, 'NodeAffinity')).toEqual({ n0: 100, n1: 62, n2: 37, n3: 0 });
    // No preferred terms: 0 everywhere.
    expect(scoresOf(c, framework(), pod(1), 'NodeAffinity')).toEqual({ n0: 0, n1: 0, n2: 0, n3: 0 });
  });

  it('TaintToleration: intolerable PreferNoSchedule taints, reverse-normalized', () => {
    const c = cluster([
      node('n0', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }, { key: 'old', effect: 'PreferNoSchedule' }] }),
      node('n1', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }),
      node('n2'),
    ]);
    // counts 2, 1, 0 → 100 − 100·c/2: 0, 50, 100
    expect(scoresOf(c, framework(), pod(0), 'TaintToleration')).toEqual({ n0: 0, n1: 50, n2: 100 });
    // Tolerating "spot": counts 1, 0, 0 → 0, 100, 100. A NoSchedule-only toleration does not count.
    expect(scoresOf(c, framework(), pod(1, { tolerations: [{ key: 'spot', operator: 'Exists' }] }), 'TaintToleration')).toEqual({ n0: 0, n1: 100, n2: 100 });
    expect(scoresOf(c, framework(), pod(2, { tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }] }), 'TaintToleration')).toEqual({ n0: 0, n1: 50, n2: 100 });
  });

  it('InterPodAffinity: preferred terms both ways, min–max normalized', () => {
    const c = cluster([node('n0', { labels: zone('a') }), node('n1', { labels: zone('a') }), node('n2', { labels: zone('b') })]);
    const f = framework();
    run(c, f, pod(1, { labels: { app: 'cache' } }), 'n0');
    run(c, f, pod(2, { labels: { app: 'web' } }), 'n1');
    const t = pod(0, {
      labels: { app: 'api' },
      podAffinity: { preferred: [{ weight: 10, podAffinityTerm: { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'topology.kubernetes.io/zone' } }] },
      podAntiAffinity: { preferred: [{ weight: 4, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } }] },
    });
    // raw: n0 +10 (zone a has cache) = 10; n1 +10 − 4 (web on n1) = 6; n2 0 → (s − 0)·100/10: 100, 60, 0
    expect(scoresOf(c, f, t, 'InterPodAffinity')).toEqual({ n0: 100, n1: 60, n2: 0 });
    // Symmetric: an existing pod's preferred anti-affinity against "api" in zone b pushes api away from n2.
    run(c, f, pod(3, { labels: { app: 'x' }, podAntiAffinity: { preferred: [{ weight: 20, podAffinityTerm: { labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'topology.kubernetes.io/zone' } }] } }), 'n2');
    // raw: 10, 6, −20 → min −20, range 30: (30/30)·100 = 100, (26/30)·100 = 86.67 → 86, 0
    expect(scoresOf(c, f, t, 'InterPodAffinity')).toEqual({ n0: 100, n1: 86, n2: 0 });
    // Existing required affinity toward the pod counts hardPodAffinityWeight (1).
    const g = framework();
    const c2 = cluster([node('m0', { labels: zone('a') }), node('m1', { labels: zone('b') })]);
    run(c2, g, pod(4, { labels: { app: 'w' }, podAffinity: { required: [{ labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'topology.kubernetes.io/zone' }] } }), 'm1');
    expect(scoresOf(c2, g, pod(0, { labels: { app: 'api' } }), 'InterPodAffinity')).toEqual({ m0: 0, m1: 100 });
  });

  it('PodTopologySpread (ScheduleAnyway): count · ln(domains + 2) + maxSkew − 1, inverted', () => {
    const c = cluster([node('n0', { labels: zone('a') }), node('n1', { labels: zone('a') }), node('n2', { labels: zone('b') }), node('n3', { labels: zone('c') })]);
    const f = framework();
    const web: PlacementConstraints = {
      labels: { app: 'web' },
      topologySpread: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }],
    };
    run(c, f, pod(0, web), 'n0');
    run(c, f, pod(0, web), 'n0');
    run(c, f, pod(0, web), 'n2');
    // 3 zones → weight ln 5 = 1.609. raw: a: 2·1.609 = 3.22 → 3 (n0, n1); b: 1.609 → 2; c: 0.
    // normalized 100·(max + min − s)/max with max 3, min 0: 0, 0, 33, 100
    expect(scoresOf(c, f, pod(0, web), 'PodTopologySpread')).toEqual({ n0: 0, n1: 0, n2: 33, n3: 100 });
  });

  it('PodTopologySpread system defaults spread a labelled job by host (skew 3) and zone (skew 5)', () => {
    const c = cluster([node('n0'), node('n1')]);
    const f = framework();
    const rs: PlacementConstraints = { labels: { app: 'rs' } };
    run(c, f, pod(0, rs), 'n0');
    // No zone labels: only the hostname default applies (system defaults do not require every key).
    // host size 2 → ln 4 = 1.386; n0: 1·1.386 + 2 = 3.39 → 3; n1: 0 + 2 = 2 → 100·(3 + 2 − s)/3: 66, 100
    expect(scoresOf(c, f, pod(0, rs), 'PodTopologySpread')).toEqual({ n0: 66, n1: 100 });
    // A Borg-style task without labels gets no default constraints.
    expect(scoresOf(c, f, pod(1), 'PodTopologySpread')).toEqual({ n0: 0, n1: 0 });
  });

  it('ImageLocality: image sizes present, scaled by spread, clamped to [23 MB, 1000 MB × containers]', () => {
    const c = cluster([
      node('n0', { images: [{ names: ['nginx'], sizeBytes: 500 * MB }, { names: ['big:1'], sizeBytes: 2000 * MB }] }),
      node('n1', { images: [{ names: ['docker.io/nginx:latest', 'nginx:latest'], sizeBytes: 500 * MB }] }),
      node('n2'),
      node('n3'),
    ]);
    // nginx (→ nginx:latest) on 2 of 4 nodes: 250 MB; big:1 on 1 of 4: 500 MB.
    // n0: 750 MB, max 2 × 1000 MB → (750 − 23)·100/(2000 − 23) = 36.8 → 36; n1: (250 − 23)·100/1977 = 11.5 → 11
    expect(scoresOf(c, framework(), pod(0, { images: ['nginx', 'big:1'] }), 'ImageLocality')).toEqual({ n0: 36, n1: 11, n2: 0, n3: 0 });
    // One image: n0 and n1: (250 − 23)·100/(1000 − 23) = 23.2 → 23
    expect(scoresOf(c, framework(), pod(1, { images: ['nginx:latest'] }), 'ImageLocality')).toEqual({ n0: 23, n1: 23, n2: 0, n3: 0 });
  });

  it('weighted sum with the default weights (TaintToleration 3, NodeAffinity 2, Fit 1, Balanced 1...)', () => {
    const c = resourceCluster();
    // n0: taint 100·3 + fit 62 + balanced 87 = 449; n1: 300 + 75 + 100 = 475 (other plugins 0)
    expect(totalsOf(c, framework(), p())).toEqual({ n0: 449, n1: 475 });
    expect(framework().select(p(), c)).toBe(1);
  });

  it('legacy profiles score 0–10 per plugin and break ties round robin', () => {
    const prof = defaultProfile();
    prof.maxScore = 10;
    prof.tieBreak = 'round-robin';
    prof.scores = [{ name: 'NodeResourcesFit', weight: 2 }];
    const c = resourceCluster();
    // fit 62 → 6, 75 → 7; × 2 = 12, 14
    expect(totalsOf(c, framework(prof), p())).toEqual({ n0: 12, n1: 14 });
    // Three equal empty nodes: round robin visits them in turn.
    const e = cluster([node('a'), node('b'), node('c')]);
    const f = framework(prof);
    expect([0, 1, 2, 3].map(() => f.select(p(), e))).toEqual([0, 1, 2, 0]);
  });
});
