import { ConfigSource, asArray, asNumber, asObject, asString, type Path } from './config-source.js';
import { DEFAULT_SCORING_RESOURCES } from './resources.js';
import { defaultProfile, type Profile } from './profile.js';

/**
 * The scheduler Policy file of kube-scheduler before the framework (kind: Policy, apiVersion: v1,
 * removed in 1.23): predicates [{name}] and priorities [{name, weight}], each mapped to the plugin
 * that replaced it. As the old scheduler did, priorities score 0–10 (here: the plugin's 0–100
 * score / 10, truncated) times their weight, and ties go round robin.
 */
export const LEGACY_PREDICATES: Record<string, string[]> = {
  PodFitsResources: ['NodeResourcesFit'],
  PodFitsHostPorts: ['NodePorts'],
  HostName: ['NodeName'],
  MatchNodeSelector: ['NodeAffinity'],
  NoDiskConflict: ['VolumeRestrictions'],
  CheckNodeMemoryPressure: ['NodeConditions'],
  CheckNodeDiskPressure: ['NodeConditions'],
  CheckNodePIDPressure: ['NodeConditions'],
  CheckNodeUnschedulable: ['NodeUnschedulable'],
  PodToleratesNodeTaints: ['TaintToleration'],
  MatchInterPodAffinity: ['InterPodAffinity'],
  EvenPodsSpread: ['PodTopologySpread'],
  GeneralPredicates: ['NodeResourcesFit', 'NodeName', 'NodePorts', 'NodeAffinity'],
};

export const LEGACY_PRIORITIES: Record<string, string> = {
  LeastRequestedPriority: 'NodeResourcesFit',
  MostRequestedPriority: 'NodeResourcesFit',
  BalancedResourceAllocation: 'NodeResourcesBalancedAllocation',
  SelectorSpreadPriority: 'PodTopologySpread',
  NodeAffinityPriority: 'NodeAffinity',
  ImageLocalityPriority: 'ImageLocality',
  TaintTolerationPriority: 'TaintToleration',
  InterPodAffinityPriority: 'InterPodAffinity',
  EvenPodsSpreadPriority: 'PodTopologySpread',
};

/** The old scheduler's defaults when the file omits the list (DefaultProvider, 1.18). */
const DEFAULT_PREDICATES = ['GeneralPredicates', 'CheckNodeUnschedulable', 'PodToleratesNodeTaints', 'NoDiskConflict', 'MatchInterPodAffinity', 'CheckNodeMemoryPressure', 'CheckNodeDiskPressure', 'CheckNodePIDPressure', 'EvenPodsSpread'];
const DEFAULT_PRIORITIES = [
  'SelectorSpreadPriority',
  'InterPodAffinityPriority',
  'LeastRequestedPriority',
  'BalancedResourceAllocation',
  'NodeAffinityPriority',
  'TaintTolerationPriority',
  'ImageLocalityPriority',
  'EvenPodsSpreadPriority',
];

export function readLegacyPolicy(src: ConfigSource): Profile {
  const top = src.value as Record<string, unknown>;
  if (top.apiVersion !== undefined && top.apiVersion !== 'v1') src.fail(['apiVersion'], 'v1', top.apiVersion);
  const p = defaultProfile('default-scheduler');
  p.tieBreak = 'round-robin';
  p.maxScore = 10;
  p.notes.push(`legacy Policy from ${src.file}: priorities scored 0–10, ties round robin`);

  const filters: string[] = [];
  const predicates: Array<{ name: string; at: Path }> =
    top.predicates === undefined
      ? DEFAULT_PREDICATES.map((name) => ({ name, at: ['predicates'] }))
      : asArray(src, ['predicates'], top.predicates).map((e, i) => ({
          name: asString(src, ['predicates', i, 'name'], asObject(src, ['predicates', i], e).name),
          at: ['predicates', i, 'name'],
        }));
  for (const { name, at } of predicates) {
    const plugins = LEGACY_PREDICATES[name];
    if (!plugins) src.fail(at, `a predicate name: ${Object.keys(LEGACY_PREDICATES).join(', ')}`, name);
    for (const pl of plugins) if (!filters.includes(pl)) filters.push(pl);
  }
  if (!filters.includes('NodeResourcesFit')) p.notes.push('PodFitsResources not listed, but schedlab binds by request: resources are still checked');
  if (filters.includes('VolumeRestrictions')) p.notes.push('NoDiskConflict: volumes are not modeled; it accepts every node');
  p.filters = filters;

  p.scores = [];
  const prios: Array<{ name: string; weight: number; at: Path }> =
    top.priorities === undefined
      ? DEFAULT_PRIORITIES.map((name) => ({ name, weight: 1, at: ['priorities'] }))
      : asArray(src, ['priorities'], top.priorities).map((e, i) => {
          const o = asObject(src, ['priorities', i], e);
          return {
            name: asString(src, ['priorities', i, 'name'], o.name),
            weight: o.weight === undefined ? 1 : asNumber(src, ['priorities', i, 'weight'], o.weight, 1, 1e6),
            at: ['priorities', i, 'name'],
          };
        });
  let fitFrom: string | undefined;
  for (const { name, weight, at } of prios) {
    const plugin = LEGACY_PRIORITIES[name];
    if (!plugin) src.fail(at, `a priority name: ${Object.keys(LEGACY_PRIORITIES).join(', ')}`, name);
    if (plugin === 'NodeResourcesFit') {
      if (fitFrom !== undefined && fitFrom !== name) src.problem(at, `${name} and ${fitFrom} both set NodeResourcesFit's strategy; keep one`);
      fitFrom = name;
      p.args.NodeResourcesFit = { type: name === 'MostRequestedPriority' ? 'MostAllocated' : 'LeastAllocated', resources: [...DEFAULT_SCORING_RESOURCES] };
    }
    const prev = p.scores.find((s) => s.name === plugin);
    if (prev) prev.weight += weight;
    else p.scores.push({ name: plugin, weight });
  }
  if (top.hardPodAffinitySymmetricWeight !== undefined) {
    p.args.InterPodAffinity = { hardPodAffinityWeight: asNumber(src, ['hardPodAffinitySymmetricWeight'], top.hardPodAffinitySymmetricWeight, 0, 100) };
  }
  return p;
}
