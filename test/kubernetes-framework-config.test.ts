import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { cluster, framework, node, pod, scoresOf, totalsOf } from './fixtures/kubernetes-framework/helpers.js';
import { loadSchedulerConfig, pickProfile } from '../algorithms/kubernetes/scheduler-config.js';
import { configuredPolicy } from '../algorithms/kubernetes/policies.js';
import { DEFAULT_FILTERS, DEFAULT_SCORES } from '../algorithms/kubernetes/profile.js';
import { InputError } from '../model/errors.js';
import { runSpec } from '../harness/replay-spec.js';

const fx = (f: string) => resolve(__dirname, 'fixtures/kubernetes-framework', f);

function loadError(file: string): InputError {
  try {
    loadSchedulerConfig(fx(file));
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`${file} loaded without error`);
}

describe('kube scheduler configuration files', () => {
  it('reads KubeSchedulerConfiguration profiles: plugin sets merged onto the defaults, args, percentages', () => {
    const cfg = loadSchedulerConfig(fx('profiles.yaml'));
    expect(cfg.kind).toBe('KubeSchedulerConfiguration');
    expect(cfg.profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler', 'bin-packer', 'ratio']);
    const [dflt, packer, ratio] = cfg.profiles;
    expect(dflt.filters).toEqual(DEFAULT_FILTERS);
    expect(dflt.scores).toEqual(DEFAULT_SCORES);
    expect(dflt.percentageOfNodesToScore).toBe(30); // top-level value
    expect(packer.percentageOfNodesToScore).toBe(100); // profile value wins
    expect(packer.scores).toEqual([{ name: 'NodeResourcesFit', weight: 5 }]);
    expect(packer.filters).toEqual(DEFAULT_FILTERS.filter((f) => f !== 'NodePorts'));
    expect(packer.args.NodeResourcesFit?.type).toBe('MostAllocated');
    expect(packer.notes.join(' ')).toMatch(/postBind accepted but not modeled/);
    // multiPoint re-enables a default score plugin with a new weight, in place.
    expect(ratio.scores.find((s) => s.name === 'ImageLocality')?.weight).toBe(4);
    expect(ratio.scores.length).toBe(DEFAULT_SCORES.length);
    expect(ratio.args.NodeResourcesFit).toEqual({
      type: 'RequestedToCapacityRatio',
      resources: [{ name: 'cpu', weight: 3 }, { name: 'memory', weight: 1 }],
      shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }],
    });
  });

  it('runs a loaded profile: the bin packer prefers the fuller node, score = 5 × MostAllocated', () => {
    const packer = pickProfile(loadSchedulerConfig(fx('profiles.yaml')), 'bin-packer')!;
    const c = cluster([node('n0'), node('n1')]);
    c.bind(0, new Float64Array([2000, 4 * 1024 ** 3, 0]));
    // pod 1000 mc / 1 GiB. n0: cpu 75, mem 62.5 → 62 → (75 + 62)/2 = 68 → ×5 = 340. n1: 25, 12 → 18 → 90.
    const t = pod(0);
    expect(totalsOf(c, framework(packer), t)).toEqual({ n0: 340, n1: 90 });
    expect(framework(packer).select(t, c)).toBe(0);
  });

  it('reads a legacy Policy: predicates and priorities mapped to plugins, 0–10 scores, round-robin ties', () => {
    const cfg = loadSchedulerConfig(fx('legacy-policy.json'));
    expect(cfg.kind).toBe('Policy');
    const p = cfg.profiles[0];
    expect(p.filters).toEqual(['NodeResourcesFit', 'NodePorts', 'NodeName', 'NodeAffinity', 'VolumeRestrictions', 'NodeConditions']);
    expect(p.scores).toEqual([
      { name: 'NodeResourcesFit', weight: 1 },
      { name: 'NodeResourcesBalancedAllocation', weight: 1 },
      { name: 'PodTopologySpread', weight: 1 },
      { name: 'NodeAffinity', weight: 1 },
      { name: 'ImageLocality', weight: 1 },
    ]);
    expect(p.maxScore).toBe(10);
    expect(p.tieBreak).toBe('round-robin');
    // A tainted node is not filtered: the file lists no PodToleratesNodeTaints.
    const c = cluster([node('n0', { taints: [{ key: 'k', effect: 'NoSchedule' }] }), node('n1', { conditions: { diskPressure: true } })]);
    c.bind(0, new Float64Array([1000, 0, 0]));
    // n0: fit cpu (4000 − 2000)/4000 → 50, mem (8 − 1)/8 → 87 → 68 → 6; balanced |0.5 − 0.125|/2 = 0.1875 → 81 → 8 → 14
    expect(totalsOf(c, framework(p), pod(0))).toEqual({ n0: 14 });
  });

  it('configuredPolicy: kube-framework or a schedulerName in the file selects a profile; other names load as usual', () => {
    const file = fx('profiles.yaml');
    expect(configuredPolicy('bin-packer', file).module?.name).toBe('bin-packer');
    expect(pickProfile(loadSchedulerConfig(file), 'kube-framework')?.schedulerName).toBe('default-scheduler');
    expect(configuredPolicy('best-fit', file).module).toBeUndefined();
  });

  it('a profile from a JSON file replays like the built-in it copies (kube-binpack)', async () => {
    const base = { workload: 'synthetic', seed: 3, nodes: 20, tasks: 400, hours: 2, instance: 'm5.2xlarge' };
    const fromFile = await runSpec({ ...base, policy: 'kube-binpack-json', schedulerConfig: fx('binpack.json') });
    const builtin = await runSpec({ ...base, policy: 'kube-binpack' });
    expect(fromFile.summary.policy).toBe('kube-binpack-json');
    expect({ ...fromFile.summary, policy: '' }).toEqual({ ...builtin.summary, policy: '' });
    expect(fromFile.summary.tasks.scheduled).toBeGreaterThan(0);
  });

  describe('plugin arguments beyond the scoring strategy', () => {
    const cfg = (pluginConfig: unknown[]) =>
      JSON.stringify({ apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration', profiles: [{ pluginConfig }] });
    const load = (pluginConfig: unknown[]) => loadSchedulerConfig('inline.yaml', cfg(pluginConfig)).profiles[0];
    const fails = (pluginConfig: unknown[]) => {
      try {
        load(pluginConfig);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return e as InputError;
      }
      throw new Error('loaded without error');
    };

    it('NodeAffinity addedAffinity: every pod must also match the required terms; the preferred ones add to the score', () => {
      const p = load([
        {
          name: 'NodeAffinity',
          args: {
            addedAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['batch', 'web'] }] }] },
              preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, preference: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] } }],
            },
          },
        },
      ]);
      const c = cluster([node('n0', { labels: { pool: 'batch' } }), node('n1', { labels: { pool: 'web' } }), node('n2', { labels: { pool: 'gpu' } })]);
      const f = framework(p);
      expect(f.explain(pod(0), c).feasible.map((n) => c.ids[n]).sort()).toEqual(['n0', 'n1']);
      // NodeAffinity raw 0 / 5 (n1 is the preferred node by name), normalized 0 / 100.
      expect(scoresOf(c, f, pod(0), 'NodeAffinity')).toEqual({ n0: 0, n1: 100 });
    });

    it('NodeResourcesFit ignoredResources / ignoredResourceGroups and InterPodAffinity ignorePreferredTermsOfExistingPods are read', () => {
      const p = load([
        { name: 'NodeResourcesFit', args: { ignoredResources: ['example.com/foo'], ignoredResourceGroups: ['nvidia.com'] } },
        { name: 'InterPodAffinity', args: { hardPodAffinityWeight: 2, ignorePreferredTermsOfExistingPods: true } },
      ]);
      expect(p.args.NodeResourcesFit).toEqual({
        type: 'LeastAllocated',
        resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }],
        ignoredResources: ['example.com/foo'],
        ignoredResourceGroups: ['nvidia.com'],
      });
      expect(p.args.InterPodAffinity).toEqual({ hardPodAffinityWeight: 2, ignorePreferredTermsOfExistingPods: true });
    });

    it('a field the plugin has no argument for is an error naming it (kube decodes args strictly)', () => {
      const e = fails([{ name: 'NodeResourcesFit', args: { ignoredResource: ['example.com/foo'] } }]);
      expect(e.field).toBe('profiles[0].pluginConfig[0].args.ignoredResource');
      expect(e.message).toContain('ignoredResourceGroups');
      expect(fails([{ name: 'InterPodAffinity', args: { hardPodAffinityWeigth: 2 } }]).field).toBe('profiles[0].pluginConfig[0].args.hardPodAffinityWeigth');
      expect(fails([{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated', shape: [] } } }]).field).toBe(
        'profiles[0].pluginConfig[0].args.scoringStrategy.shape',
      );
      expect(fails([{ name: 'NodeAffinity', args: { addedAffinity: { requiredDuringSchedulingRequiredDuringExecution: {} } } }]).field).toBe(
        'profiles[0].pluginConfig[0].args.addedAffinity.requiredDuringSchedulingRequiredDuringExecution',
      );
      expect(fails([{ name: 'NodeResourcesFit', args: { kind: 'NodeAffinityArgs' } }]).field).toBe('profiles[0].pluginConfig[0].args.kind');
    });

    it('invalid argument values are errors naming the field', () => {
      expect(fails([{ name: 'NodeResourcesFit', args: { ignoredResourceGroups: ['example.com/foo'] } }]).field).toBe('profiles[0].pluginConfig[0].args.ignoredResourceGroups[0]');
      expect(fails([{ name: 'InterPodAffinity', args: { ignorePreferredTermsOfExistingPods: 'yes' } }]).field).toBe(
        'profiles[0].pluginConfig[0].args.ignorePreferredTermsOfExistingPods',
      );
      const req = (r: unknown) => [{ name: 'NodeAffinity', args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [r] }] } } } }];
      const at = 'profiles[0].pluginConfig[0].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]';
      expect(fails(req({ key: 'pool', operator: 'In' })).field).toBe(`${at}.values`);
      expect(fails(req({ key: 'pool', operator: 'Gt', values: ['ten'] })).field).toBe(`${at}.values`);
      expect(fails(req({ key: 'pool', operator: 'In', values: ['{{bad}}'] })).field).toBe(`${at}.values[0]`);
      expect(fails(req({ key: 'bad key', operator: 'Exists' })).field).toBe(`${at}.key`);
      const spread = (c: unknown) => [{ name: 'PodTopologySpread', args: { defaultingType: 'List', defaultConstraints: [c] } }];
      expect(fails(spread({ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {} })).field).toBe(
        'profiles[0].pluginConfig[0].args.defaultConstraints[0].labelSelector',
      );
      expect(fails([{ name: 'NodeAffinity' }, { name: 'NodeAffinity' }]).field).toBe('profiles[0].pluginConfig[1].name');
    });

    it('arguments of plugins schedlab does not model are noted by name, and the notes reach the run', async () => {
      const file = fx('unmodelled-args.yaml');
      const notes = configuredPolicy('with-volume-args', file).notes.join('\n');
      expect(notes).toMatch(/pluginConfig VolumeBinding args\.bindTimeoutSeconds not modeled: ignored \(.*unmodelled-args\.yaml line 10\)/);
      expect(notes).toMatch(/DefaultPreemption args\.minCandidateNodesPercentage not modeled/);
      expect(notes).toMatch(/DefaultPreemption args\.minCandidateNodesAbsolute not modeled/);
      expect(notes).not.toMatch(/apiVersion|kind/);
      const out = await runSpec({ workload: 'synthetic', seed: 3, nodes: 5, tasks: 20, hours: 1, instance: 'm5.2xlarge', policy: 'with-volume-args', schedulerConfig: file });
      expect(out.workload.notes.join('\n')).toMatch(/scheduler config: pluginConfig VolumeBinding args\.bindTimeoutSeconds not modeled/);
    });
  });

  describe('bad configuration: InputError with file, line and field', () => {
    it('an unknown score plugin lists the valid names', () => {
      const e = loadError('bad-plugin.yaml');
      expect(e.line).toBe(9);
      expect(e.field).toBe('profiles[0].plugins.score.enabled[1].name');
      expect(e.message).toContain('bad-plugin.yaml line 9');
      expect(e.message).toContain('NodeResourcesBalancedAllocation');
      expect(e.message).toContain('"NodeResourcesMostAllocated"');
    });

    it('a shape whose utilization does not increase', () => {
      const e = loadError('bad-shape.yaml');
      expect(e.field).toBe('profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[1].utilization');
      expect(e.line).toBe(13);
    });

    it('an unknown scoring strategy', () => {
      const e = loadError('bad-strategy.yaml');
      expect(e.field).toBe('profiles[0].pluginConfig[0].args.scoringStrategy.type');
      expect(e.message).toMatch(/one of LeastAllocated, MostAllocated, RequestedToCapacityRatio, got "Packed"/);
      expect(e.line).toBe(8);
    });

    it('an unknown legacy predicate lists the valid names', () => {
      const e = loadError('bad-legacy.json');
      expect(e.field).toBe('predicates[1].name');
      expect(e.line).toBe(6);
      expect(e.message).toContain('PodFitsHostPorts');
      expect(e.message).toContain('"PodFitsGPUs"');
    });

    it('a file of another kind, and broken YAML', () => {
      expect(loadError('bad-kind.yaml').field).toBe('kind');
      const e = loadError('bad-syntax.yaml');
      expect(e.line).toBeGreaterThanOrEqual(4);
      expect(e.message).toMatch(/not valid YAML/);
      expect(() => loadSchedulerConfig(fx('missing.yaml'))).toThrow(/cannot read/);
    });
  });
});
