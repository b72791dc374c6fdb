import type { LabelSelector, PlacementConstraints, PodAffinityTerm } from '../../../model/placement-constraints.js';

/**
 * Builders mirroring upstream's st.MakePod() affinity helpers (pkg/scheduler/testing/wrappers.go):
 * PodAffinityIn / NotIn / Exists make a term whose label selector has one match expression.
 */
type Op = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
export const expr = (key: string, operator: Op, values?: string[]): LabelSelector => ({
  matchExpressions: [{ key, operator, ...(values ? { values } : {}) }],
});
export const In = (key: string, topologyKey: string, values: string[]): PodAffinityTerm => ({ labelSelector: expr(key, 'In', values), topologyKey });
export const NotIn = (key: string, topologyKey: string, values: string[]): PodAffinityTerm => ({ labelSelector: expr(key, 'NotIn', values), topologyKey });
export const Exists = (key: string, topologyKey: string): PodAffinityTerm => ({ labelSelector: expr(key, 'Exists'), topologyKey });

/** Namespaces of upstream's interpodaffinity tests (scoring_test.go `namespaces`), with their labels. */
export const NAMESPACE_LABELS: Record<string, Record<string, string>> = {
  'subteam1.team1': { team: 'team1' },
  'subteam2.team1': { team: 'team1' },
  'subteam1.team2': { team: 'team2' },
  'subteam2.team2': { team: 'team2' },
};

export interface PodSpec {
  labels?: Record<string, string>;
  /** Unset = the test's default namespace (upstream's "", schedlab's "default": one namespace either way). */
  ns?: string;
  aff?: PodAffinityTerm[];
  anti?: PodAffinityTerm[];
  prefAff?: Array<[number, PodAffinityTerm]>;
  prefAnti?: Array<[number, PodAffinityTerm]>;
}

/** A pod's PlacementConstraints from its labels, namespace and (anti-)affinity terms. */
export function podConstraints(p: PodSpec): PlacementConstraints {
  const c: PlacementConstraints = { labels: p.labels ?? {} };
  if (p.ns !== undefined) {
    c.namespace = p.ns;
    if (NAMESPACE_LABELS[p.ns]) c.namespaceLabels = NAMESPACE_LABELS[p.ns];
  }
  const weighted = (l?: Array<[number, PodAffinityTerm]>) => l?.map(([weight, podAffinityTerm]) => ({ weight, podAffinityTerm }));
  if (p.aff || p.prefAff) c.podAffinity = { required: p.aff, preferred: weighted(p.prefAff) };
  if (p.anti || p.prefAnti) c.podAntiAffinity = { required: p.anti, preferred: weighted(p.prefAnti) };
  return c;
}
