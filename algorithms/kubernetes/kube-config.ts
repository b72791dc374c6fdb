import { ConfigSource, asArray, asNumber, asObject, asString, oneOf, type Path } from './config-source.js';
import {
  DEFAULT_FILTERS,
  DEFAULT_SCORES,
  FILTER_PLUGIN_NAMES,
  OTHER_KNOWN_PLUGINS,
  PLUGINS,
  SCORE_PLUGIN_NAMES,
  defaultProfile,
  type Profile,
  type WeightedPlugin,
} from './profile.js';
import { readPluginConfig } from './plugin-args.js';

export const KUBE_API_VERSIONS = ['kubescheduler.config.k8s.io/v1', 'kubescheduler.config.k8s.io/v1beta3', 'kubescheduler.config.k8s.io/v1beta2'];
const ALL_PLUGIN_NAMES = [...Object.keys(PLUGINS), ...OTHER_KNOWN_PLUGINS];
/** Extension points whose plugins schedlab does not run separately (their work is inside filter/score, or not modeled). */
const OTHER_POINTS = ['queueSort', 'preEnqueue', 'preFilter', 'postFilter', 'preScore', 'reserve', 'permit', 'preBind', 'bind', 'postBind'];

/**
 * Reads a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1): profiles[] with
 * schedulerName, plugins.{multiPoint,filter,score}.{enabled,disabled} (merged onto the defaults as
 * kube's mergePluginSet does: disabled names or "*" drop defaults, an enabled default keeps its
 * place with the new weight, other enabled plugins are appended), pluginConfig args (see
 * plugin-args.ts: unknown fields are errors, arguments of unmodelled plugins are noted by name),
 * and percentageOfNodesToScore (top level or per profile).
 */
export function readKubeSchedulerConfiguration(src: ConfigSource): { profiles: Profile[]; percentageOfNodesToScore?: number } {
  const top = src.value as Record<string, unknown>;
  oneOf(src, ['apiVersion'], top.apiVersion, KUBE_API_VERSIONS);
  const pct = top.percentageOfNodesToScore === undefined ? undefined : asNumber(src, ['percentageOfNodesToScore'], top.percentageOfNodesToScore, 0, 100);
  const list = top.profiles === undefined ? [{}] : asArray(src, ['profiles'], top.profiles);
  if (list.length === 0) src.fail(['profiles'], 'at least one profile', []);
  const profiles: Profile[] = [];
  const names = new Set<string>();
  list.forEach((raw, i) => {
    const p = readProfile(src, ['profiles', i], raw);
    if (names.has(p.schedulerName)) src.fail(['profiles', i, 'schedulerName'], 'a schedulerName not used by another profile', p.schedulerName);
    names.add(p.schedulerName);
    if (p.percentageOfNodesToScore === undefined && pct !== undefined && pct > 0) p.percentageOfNodesToScore = pct;
    profiles.push(p);
  });
  return { profiles, percentageOfNodesToScore: pct };
}

function readProfile(src: ConfigSource, at: Path, raw: unknown): Profile {
  const o = asObject(src, at, raw);
  const name = o.schedulerName === undefined ? 'default-scheduler' : asString(src, [...at, 'schedulerName'], o.schedulerName);
  const p = defaultProfile(name);
  p.notes.push(`profile ${name} from ${src.file}`);
  if (o.percentageOfNodesToScore !== undefined) {
    const v = asNumber(src, [...at, 'percentageOfNodesToScore'], o.percentageOfNodesToScore, 0, 100);
    if (v > 0) p.percentageOfNodesToScore = v;
  }
  if (o.plugins !== undefined) {
    const plugins = asObject(src, [...at, 'plugins'], o.plugins);
    for (const point of Object.keys(plugins)) {
      if (!['multiPoint', 'filter', 'score', ...OTHER_POINTS].includes(point)) {
        src.fail([...at, 'plugins', point], `an extension point (multiPoint, filter, score, ${OTHER_POINTS.join(', ')})`, point);
      }
    }
    const read = (point: string) => (plugins[point] === undefined ? undefined : readPluginSet(src, [...at, 'plugins', point], plugins[point], point));
    for (const point of OTHER_POINTS) {
      const set = read(point);
      if (set && (set.enabled.length > 0 || set.disabled.length > 0)) p.notes.push(`plugins.${point} accepted but not modeled (schedlab runs filter and score only)`);
    }
    const multi = read('multiPoint');
    let filters = [...DEFAULT_FILTERS];
    let scores: WeightedPlugin[] = DEFAULT_SCORES.map((s) => ({ ...s }));
    if (multi) {
      // multiPoint: a plugin enabled there serves every extension point it implements.
      filters = mergeSet(filters.map((n) => ({ name: n, weight: 0 })), {
        enabled: multi.enabled.filter((e) => PLUGINS[e.name]?.filter),
        disabled: multi.disabled,
      }).map((e) => e.name);
      scores = mergeSet(scores, { enabled: multi.enabled.filter((e) => PLUGINS[e.name]?.score), disabled: multi.disabled });
    }
    const f = read('filter');
    if (f) filters = mergeSet(filters.map((n) => ({ name: n, weight: 0 })), f).map((e) => e.name);
    const s = read('score');
    if (s) scores = mergeSet(scores, s);
    // Enabled without a weight: the default weight of that plugin, else 1 (kube's defaulting).
    p.filters = [...new Set(filters)];
    p.scores = scores.map((e) => ({ name: e.name, weight: e.weight > 0 ? e.weight : (DEFAULT_SCORES.find((d) => d.name === e.name)?.weight ?? 1) }));
    if (!p.filters.includes('NodeResourcesFit')) {
      p.notes.push('NodeResourcesFit filter disabled, but schedlab binds by request: resources are still checked');
    }
  }
  if (o.pluginConfig !== undefined) {
    const cfg = asArray(src, [...at, 'pluginConfig'], o.pluginConfig);
    const seen = new Set<string>();
    cfg.forEach((entry, i) => {
      const name = (entry as { name?: unknown } | null)?.name;
      // kube's ValidateKubeSchedulerConfiguration: one pluginConfig entry per plugin.
      if (typeof name === 'string' && seen.has(name)) src.problem([...at, 'pluginConfig', i, 'name'], `a second pluginConfig entry for ${name}`);
      if (typeof name === 'string') seen.add(name);
      readPluginConfig(src, [...at, 'pluginConfig', i], entry, p, ALL_PLUGIN_NAMES, KUBE_API_VERSIONS);
    });
  }
  const unmodeled = [...p.filters, ...p.scores.map((s) => s.name)].filter((n) => !PLUGINS[n]?.modeled);
  if (unmodeled.length > 0) p.notes.push(`${[...new Set(unmodeled)].join(', ')}: volumes are not modeled; these accept every node`);
  return p;
}

interface PluginSet {
  enabled: WeightedPlugin[];
  disabled: WeightedPlugin[];
}

function readPluginSet(src: ConfigSource, at: Path, raw: unknown, point: string): PluginSet {
  const o = asObject(src, at, raw);
  const valid = point === 'filter' ? FILTER_PLUGIN_NAMES : point === 'score' ? SCORE_PLUGIN_NAMES : ALL_PLUGIN_NAMES;
  const list = (key: 'enabled' | 'disabled'): WeightedPlugin[] => {
    if (o[key] === undefined) return [];
    return asArray(src, [...at, key], o[key]).map((e, i) => {
      const eo = asObject(src, [...at, key, i], e);
      const name = asString(src, [...at, key, i, 'name'], eo.name);
      if (!(key === 'disabled' && name === '*') && !valid.includes(name)) {
        src.fail([...at, key, i, 'name'], `a ${point} plugin: ${key === 'disabled' ? '*, ' : ''}${valid.join(', ')}`, name);
      }
      const weight = eo.weight === undefined ? 0 : asNumber(src, [...at, key, i, 'weight'], eo.weight, 0, 100);
      return { name, weight };
    });
  };
  return { enabled: list('enabled'), disabled: list('disabled') };
}

/** kube's mergePluginSet (pkg/scheduler/apis/config/v1/default_plugins.go). */
function mergeSet(defaults: WeightedPlugin[], custom: PluginSet): WeightedPlugin[] {
  const disabled = new Set(custom.disabled.map((d) => d.name));
  const replaced = new Set<number>();
  const out: WeightedPlugin[] = [];
  if (!disabled.has('*')) {
    for (const d of defaults) {
      if (disabled.has(d.name)) continue;
      const i = custom.enabled.findIndex((e) => e.name === d.name);
      if (i >= 0) {
        replaced.add(i);
        out.push({ name: d.name, weight: custom.enabled[i].weight || d.weight });
      } else out.push(d);
    }
  }
  custom.enabled.forEach((e, i) => {
    if (!replaced.has(i)) out.push(e);
  });
  return out;
}
