import { ConfigSource, asArray, asNumber, asObject, asString, oneOf, type Path } from './config-source.js';
import type { PluginArgs, Profile } from './profile.js';
import type { NodeResourcesFitArgs, ShapePoint } from './node-resources-fit.js';
import type { ResourceSpec } from './resources.js';
import type { DefaultSpreadConstraint } from './pod-topology-spread.js';
import type { NodeAffinityArgs } from './node-affinity.js';
import type { NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm } from '../../model/placement-constraints.js';
import { isQualifiedName, isValidLabelValue } from '../../model/labels.js';
import { parseInt64 } from '../../model/int64.js';

/**
 * The `args` of one pluginConfig entry of a KubeSchedulerConfiguration, read into the profile.
 * Like kube-scheduler (strict decoding of the *Args types, pkg/scheduler/apis/config/v1), a field a
 * plugin's args do not have is an error naming it; `apiVersion` / `kind` may be given (kind must be
 * `<plugin>Args`). Validation follows pkg/scheduler/apis/config/validation/validation_pluginargs.go.
 * Plugins whose arguments schedlab does not model (VolumeBinding, DefaultPreemption, ...) keep
 * their args out of the simulation with a note naming each field, never silently.
 */
export function readPluginConfig(src: ConfigSource, at: Path, raw: unknown, p: Profile, pluginNames: readonly string[], apiVersions: readonly string[]): void {
  const o = asObject(src, at, raw);
  known(src, at, o, ['name', 'args'], 'a pluginConfig entry field');
  const name = asString(src, [...at, 'name'], o.name);
  if (!pluginNames.includes(name)) src.fail([...at, 'name'], `a plugin name: ${pluginNames.join(', ')}`, name);
  const argsAt = [...at, 'args'];
  const args = o.args === undefined ? {} : asObject(src, argsAt, o.args);
  if (args.apiVersion !== undefined) oneOf(src, [...argsAt, 'apiVersion'], args.apiVersion, apiVersions);
  if (args.kind !== undefined) oneOf(src, [...argsAt, 'kind'], args.kind, [`${name}Args`]);
  const a: PluginArgs = p.args;
  const fields = (list: string[]) => known(src, argsAt, args, ['apiVersion', 'kind', ...list], `a ${name} argument`);
  switch (name) {
    case 'NodeResourcesFit':
      fields(['scoringStrategy', 'ignoredResources', 'ignoredResourceGroups']);
      a.NodeResourcesFit = readFitArgs(src, argsAt, args);
      break;
    case 'NodeResourcesBalancedAllocation':
      fields(['resources']);
      a.NodeResourcesBalancedAllocation = { resources: args.resources === undefined ? [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] : readResources(src, [...argsAt, 'resources'], args.resources) };
      break;
    case 'InterPodAffinity':
      fields(['hardPodAffinityWeight', 'ignorePreferredTermsOfExistingPods']);
      a.InterPodAffinity = {
        hardPodAffinityWeight: args.hardPodAffinityWeight === undefined ? 1 : asNumber(src, [...argsAt, 'hardPodAffinityWeight'], args.hardPodAffinityWeight, 0, 100),
        ignorePreferredTermsOfExistingPods: args.ignorePreferredTermsOfExistingPods === undefined ? false : asBoolean(src, [...argsAt, 'ignorePreferredTermsOfExistingPods'], args.ignorePreferredTermsOfExistingPods),
      };
      break;
    case 'PodTopologySpread':
      fields(['defaultConstraints', 'defaultingType']);
      a.PodTopologySpread = readSpreadArgs(src, argsAt, args);
      break;
    case 'NodeAffinity':
      fields(['addedAffinity']);
      a.NodeAffinity = readNodeAffinityArgs(src, argsAt, args);
      break;
    default: {
      const given = Object.keys(args).filter((k) => k !== 'apiVersion' && k !== 'kind');
      for (const k of given) p.notes.push(`pluginConfig ${name} args.${k} not modeled: ignored (${formatField(src, [...argsAt, k])})`);
    }
  }
}

function formatField(src: ConfigSource, path: Path): string {
  const line = src.lineOf(path);
  return line === undefined ? src.file : `${src.file} line ${line}`;
}

/** Fails on a field of `o` that is not in `allowed` (kube's strict decoding: unknown field). */
function known(src: ConfigSource, at: Path, o: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) src.fail([...at, k], `${what}: ${allowed.join(', ')}`, k);
}

function asBoolean(src: ConfigSource, path: Path, v: unknown): boolean {
  if (typeof v !== 'boolean') src.fail(path, 'true or false', v);
  return v;
}

function asStrings(src: ConfigSource, path: Path, v: unknown): string[] {
  return asArray(src, path, v).map((s, i) => asString(src, [...path, i], s));
}

/** NodeResourcesFitArgs: scoringStrategy (type, resources, requestedToCapacityRatio.shape), ignoredResources, ignoredResourceGroups. */
function readFitArgs(src: ConfigSource, at: Path, args: Record<string, unknown>): NodeResourcesFitArgs {
  const fit: NodeResourcesFitArgs = { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] };
  if (args.scoringStrategy !== undefined) {
    const sAt = [...at, 'scoringStrategy'];
    const s = asObject(src, sAt, args.scoringStrategy);
    known(src, sAt, s, ['type', 'resources', 'requestedToCapacityRatio'], 'a scoringStrategy field');
    if (s.type !== undefined) fit.type = oneOf(src, [...sAt, 'type'], s.type, ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'] as const);
    if (s.resources !== undefined) fit.resources = readResources(src, [...sAt, 'resources'], s.resources);
    if (fit.type === 'RequestedToCapacityRatio') {
      const rAt = [...sAt, 'requestedToCapacityRatio'];
      const r = asObject(src, rAt, s.requestedToCapacityRatio);
      known(src, rAt, r, ['shape'], 'a requestedToCapacityRatio field');
      fit.shape = readShape(src, [...rAt, 'shape'], r.shape);
    } else if (s.requestedToCapacityRatio !== undefined) {
      src.problem([...sAt, 'requestedToCapacityRatio'], 'only for scoringStrategy type RequestedToCapacityRatio');
    }
  }
  // validateResourceName / ignoredResourceGroups: label names; a group has no '/'.
  if (args.ignoredResources !== undefined) {
    const list = asStrings(src, [...at, 'ignoredResources'], args.ignoredResources);
    list.forEach((r, i) => {
      if (!isQualifiedName(r)) src.fail([...at, 'ignoredResources', i], 'a resource name (qualified name, e.g. example.com/foo)', r);
    });
    fit.ignoredResources = list;
  }
  if (args.ignoredResourceGroups !== undefined) {
    const list = asStrings(src, [...at, 'ignoredResourceGroups'], args.ignoredResourceGroups);
    list.forEach((g, i) => {
      if (g.includes('/') || !isQualifiedName(g)) src.fail([...at, 'ignoredResourceGroups', i], "a resource group name without '/' (e.g. example.com)", g);
    });
    fit.ignoredResourceGroups = list;
  }
  return fit;
}

function readResources(src: ConfigSource, at: Path, raw: unknown): ResourceSpec[] {
  const list = asArray(src, at, raw);
  if (list.length === 0) src.fail(at, 'at least one resource', []);
  return list.map((r, i) => {
    const o = asObject(src, [...at, i], r);
    known(src, [...at, i], o, ['name', 'weight'], 'a resource field');
    return {
      name: asString(src, [...at, i, 'name'], o.name),
      weight: o.weight === undefined ? 1 : asNumber(src, [...at, i, 'weight'], o.weight, 1, 100),
    };
  });
}

export function readShape(src: ConfigSource, at: Path, raw: unknown): ShapePoint[] {
  const list = asArray(src, at, raw);
  if (list.length === 0) src.fail(at, 'at least one shape point', []);
  let prev = -1;
  return list.map((pt, i) => {
    const o = asObject(src, [...at, i], pt);
    known(src, [...at, i], o, ['utilization', 'score'], 'a shape point field');
    const utilization = asNumber(src, [...at, i, 'utilization'], o.utilization, 0, 100);
    if (utilization <= prev) src.fail([...at, i, 'utilization'], `utilization above the previous point's ${prev}`, utilization);
    prev = utilization;
    return { utilization, score: asNumber(src, [...at, i, 'score'], o.score, 0, 10) };
  });
}

/** PodTopologySpreadArgs; a default constraint has no labelSelector (it is built from the pod's owner), one per (topologyKey, whenUnsatisfiable). */
function readSpreadArgs(src: ConfigSource, at: Path, args: Record<string, unknown>): { defaultingType: 'System' | 'List'; defaultConstraints: DefaultSpreadConstraint[] } {
  const defaultingType = args.defaultingType === undefined ? 'System' : oneOf(src, [...at, 'defaultingType'], args.defaultingType, ['System', 'List'] as const);
  const defaultConstraints: DefaultSpreadConstraint[] = [];
  if (args.defaultConstraints !== undefined) {
    if (defaultingType === 'System') src.problem([...at, 'defaultConstraints'], 'defaultConstraints need defaultingType: List');
    const seen = new Set<string>();
    asArray(src, [...at, 'defaultConstraints'], args.defaultConstraints).forEach((c, i) => {
      const cAt = [...at, 'defaultConstraints', i];
      const co = asObject(src, cAt, c);
      if (co.labelSelector !== undefined) src.problem([...cAt, 'labelSelector'], 'a default constraint has no labelSelector (it is built from the pod\'s Service / ReplicaSet)');
      known(src, cAt, co, ['maxSkew', 'topologyKey', 'whenUnsatisfiable'], 'a default constraint field');
      const d: DefaultSpreadConstraint = {
        maxSkew: asNumber(src, [...cAt, 'maxSkew'], co.maxSkew, 1, 2147483647),
        topologyKey: asString(src, [...cAt, 'topologyKey'], co.topologyKey),
        whenUnsatisfiable: oneOf(src, [...cAt, 'whenUnsatisfiable'], co.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway'] as const),
      };
      if (!isQualifiedName(d.topologyKey)) src.fail([...cAt, 'topologyKey'], 'a label key (qualified name)', d.topologyKey);
      const sig = `${d.topologyKey}\u0000${d.whenUnsatisfiable}`;
      if (seen.has(sig)) src.problem(cAt, `duplicate default constraint for topologyKey ${d.topologyKey} and whenUnsatisfiable ${d.whenUnsatisfiable}`);
      seen.add(sig);
      defaultConstraints.push(d);
    });
  }
  return { defaultingType, defaultConstraints };
}

/**
 * NodeAffinityArgs.addedAffinity: requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms
 * and preferredDuringSchedulingIgnoredDuringExecution (weight 1–100), validated as the API server
 * validates a pod's node affinity (ValidateNodeAffinityArgs uses the same rules).
 */
function readNodeAffinityArgs(src: ConfigSource, at: Path, args: Record<string, unknown>): NodeAffinityArgs {
  if (args.addedAffinity === undefined) return {};
  const aAt = [...at, 'addedAffinity'];
  const added = asObject(src, aAt, args.addedAffinity);
  const REQ = 'requiredDuringSchedulingIgnoredDuringExecution';
  const PREF = 'preferredDuringSchedulingIgnoredDuringExecution';
  known(src, aAt, added, [REQ, PREF], 'an addedAffinity field');
  const out: NodeAffinityArgs['addedAffinity'] = {};
  if (added[REQ] !== undefined) {
    const rAt = [...aAt, REQ];
    const r = asObject(src, rAt, added[REQ]);
    known(src, rAt, r, ['nodeSelectorTerms'], 'a node selector field');
    const terms = asArray(src, [...rAt, 'nodeSelectorTerms'], r.nodeSelectorTerms);
    if (terms.length === 0) src.fail([...rAt, 'nodeSelectorTerms'], 'at least one node selector term', []);
    out.required = terms.map((t, i) => readTerm(src, [...rAt, 'nodeSelectorTerms', i], t));
  }
  if (added[PREF] !== undefined) {
    const pAt = [...aAt, PREF];
    out.preferred = asArray(src, pAt, added[PREF]).map((w, i): PreferredSchedulingTerm => {
      const wo = asObject(src, [...pAt, i], w);
      known(src, [...pAt, i], wo, ['weight', 'preference'], 'a preferred term field');
      return { weight: asNumber(src, [...pAt, i, 'weight'], wo.weight, 1, 100), preference: readTerm(src, [...pAt, i, 'preference'], wo.preference) };
    });
  }
  return { addedAffinity: out };
}

function readTerm(src: ConfigSource, at: Path, raw: unknown): NodeSelectorTerm {
  const o = asObject(src, at, raw);
  known(src, at, o, ['matchExpressions', 'matchFields'], 'a node selector term field');
  const term: NodeSelectorTerm = { matchExpressions: [] };
  if (o.matchExpressions !== undefined) {
    term.matchExpressions = asArray(src, [...at, 'matchExpressions'], o.matchExpressions).map((r, i) => readRequirement(src, [...at, 'matchExpressions', i], r, false));
  }
  if (o.matchFields !== undefined) {
    term.matchFields = asArray(src, [...at, 'matchFields'], o.matchFields).map((r, i) => readRequirement(src, [...at, 'matchFields', i], r, true));
  }
  return term;
}

/** validateNodeSelectorRequirement / validateNodeFieldSelectorRequirement (pkg/apis/core/validation). */
function readRequirement(src: ConfigSource, at: Path, raw: unknown, field: boolean): NodeSelectorRequirement {
  const o = asObject(src, at, raw);
  known(src, at, o, ['key', 'operator', 'values'], 'a node selector requirement field');
  const key = asString(src, [...at, 'key'], o.key);
  const ops = field ? (['In', 'NotIn'] as const) : (['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const);
  const operator = oneOf(src, [...at, 'operator'], o.operator, ops);
  const values = o.values === undefined ? [] : asArray(src, [...at, 'values'], o.values).map((v, i) => {
    if (typeof v !== 'string') src.fail([...at, 'values', i], 'a string', v);
    return v;
  });
  if (field) {
    if (key !== 'metadata.name') src.fail([...at, 'key'], 'metadata.name (the only node field a selector may name)', key);
    if (values.length !== 1) src.fail([...at, 'values'], 'exactly one value (a node name)', values);
  } else {
    if (!isQualifiedName(key)) src.fail([...at, 'key'], 'a label key (qualified name)', key);
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) src.fail([...at, 'values'], `at least one value for ${operator}`, values);
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) src.fail([...at, 'values'], `no values for ${operator}`, values);
    if (operator === 'Gt' || operator === 'Lt') {
      if (values.length !== 1 || parseInt64(values[0]) === undefined) src.fail([...at, 'values'], `exactly one integer value for ${operator}`, values);
    }
    values.forEach((v, i) => {
      if (!isValidLabelValue(v)) src.fail([...at, 'values', i], 'a label value (up to 63 alphanumerics, -, _ or ., starting and ending alphanumeric)', v);
    });
  }
  return { key, operator, values };
}
