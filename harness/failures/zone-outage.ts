import { UsageError } from '../../model/errors.js';
import type { ReactionHost } from '../reactions/reaction-host.js';
import type { NodeDownCauses } from './node-down-causes.js';
import type { NodeTopology } from './topology.js';
import { SettingsText, formatDuration } from './settings-text.js';

/**
 * A correlated outage, `--zone-outage 'zone=us-east-1a,at=2h,for=30m'` (or `rack=...`):
 * every node of the zone (rack) goes down `at` after the window's start, for `for`; a node that
 * joins the zone during the outage goes down as it joins. Zones and racks are those of
 * harness/failures/topology.ts. `../shared/docs/models.md` (Failures and autoscaling: a zone outage).
 */
export interface ZoneOutageSpec {
  domain: 'zone' | 'rack';
  name: string;
  /** From the window start, µs. */
  at: number;
  duration: number;
}

const KEYS = ['zone', 'rack', 'at', 'for'] as const;
const EXAMPLE = 'zone=us-east-1a,at=2h,for=30m';

/** `--zone-outage` text → spec (UsageError naming --zone-outage and the key). */
export function parseZoneOutage(text: string): ZoneOutageSpec {
  const s = new SettingsText('--zone-outage', text, KEYS, EXAMPLE);
  const zone = s.raw('zone');
  const rack = s.raw('rack');
  if (zone !== undefined && rack !== undefined) throw new UsageError(`--zone-outage: give zone= or rack=, not both (got '${text}')`);
  const name = zone ?? rack;
  if (name === undefined || name === '') throw new UsageError(`--zone-outage: missing zone (the zone that fails), e.g. ${EXAMPLE}`);
  const at = s.duration('at', 'when it starts, from the window start', true);
  if (at === undefined) throw new UsageError(`--zone-outage: missing at (when it starts, from the window start), e.g. at=2h`);
  const duration = s.requiredDuration('for', 'how long it lasts', '30m');
  return { domain: zone !== undefined ? 'zone' : 'rack', name, at, duration };
}

/** The zone (rack) index an outage names; UsageError listing the known ones when unknown. */
export function resolveOutage(spec: ZoneOutageSpec, topology: NodeTopology, option = '--zone-outage'): number {
  if (spec.domain === 'zone') {
    const z = topology.findZone(spec.name);
    if (z < 0) throw new UsageError(`${option}: unknown zone '${spec.name}' (known zones: ${topology.zoneNames.join(', ') || 'none'})`);
    return z;
  }
  const r = topology.findRack(spec.name);
  if (r < 0) {
    const known = topology.rackNames.length === 0 ? 'none: label nodes schedlab.io/rack or give --topology racks-per-zone=N' : listed(topology.rackNames);
    throw new UsageError(`${option}: unknown rack '${spec.name}' (known racks: ${known})`);
  }
  return r;
}

function listed(names: string[]): string {
  return names.length <= 20 ? names.join(', ') : `${names.slice(0, 20).join(', ')}, … (${names.length} in all)`;
}

export function describeOutage(spec: ZoneOutageSpec, nodes: number): string {
  return `${spec.domain} ${spec.name} down at ${formatDuration(spec.at)} for ${formatDuration(spec.duration)} (${nodes} nodes at setup)`;
}

/** The scheduled outages: each takes its domain's nodes down and brings them back. */
export class ZoneOutages {
  private readonly active: boolean[];
  private readonly held: number[][];
  /** Outages that began within the window. */
  started = 0;

  constructor(
    readonly specs: readonly ZoneOutageSpec[],
    private readonly topology: NodeTopology,
    private readonly causes: NodeDownCauses,
  ) {
    this.active = specs.map(() => false);
    this.held = specs.map(() => []);
  }

  start(host: ReactionHost, t: number): void {
    this.specs.forEach((spec, i) => {
      host.at(t + spec.at, () => this.begin(i));
      host.at(t + spec.at + spec.duration, () => this.end(i));
    });
  }

  /** A node joined: down at once if its zone (rack) is out. */
  nodeAdded(node: number): void {
    for (let i = 0; i < this.specs.length; i++) if (this.active[i] && this.inDomain(i, node, this.domain(i))) this.hold(i, node);
  }

  /** The domain's index now (by name: nodes joining during the run may add zones before it). */
  private domain(i: number): number {
    const s = this.specs[i];
    return s.domain === 'zone' ? this.topology.findZone(s.name) : this.topology.findRack(s.name);
  }

  private inDomain(i: number, node: number, d: number): boolean {
    return d >= 0 && (this.specs[i].domain === 'zone' ? this.topology.zoneOf[node] : this.topology.rackOf[node]) === d;
  }

  private begin(i: number): void {
    this.active[i] = true;
    this.started++;
    const d = this.domain(i);
    if (d < 0) return; // no node of it is in the cluster now; nodes that join during the outage go down
    const members = this.specs[i].domain === 'zone' ? this.topology.zoneMembers[d] : this.topology.rackMembers[d];
    for (const node of members) if (this.inDomain(i, node, d)) this.hold(i, node);
  }

  private hold(i: number, node: number): void {
    const inc = this.causes.take(node);
    if (inc >= 0) this.held[i].push(node, inc);
  }

  private end(i: number): void {
    if (!this.active[i]) return;
    this.active[i] = false;
    const held = this.held[i];
    this.held[i] = [];
    for (let k = 0; k < held.length; k += 2) this.causes.release(held[k], held[k + 1]);
  }
}
