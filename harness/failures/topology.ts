import { UsageError } from '../../model/errors.js';
import { labelValue } from '../../model/labels.js';
import { DEFAULT_REGION, MAX_ZONES } from '../../workloads/generated-nodes.js';
import { SettingsText } from './settings-text.js';

/**
 * Failure domains: each node's zone and rack.
 *
 * Zone: as the node lifecycle controller keys it (k8s.io/component-helpers/node/topology
 * GetZoneKey): `failure-domain.beta.kubernetes.io/zone` if the node has it, else
 * `topology.kubernetes.io/zone`, together with the region (same order for
 * `failure-domain.beta.kubernetes.io/region` / `topology.kubernetes.io/region`); a node with
 * neither zone nor region is in the zone "". Generated nodes carry both labels with one value.
 * Rack: the label `schedlab.io/rack` (within its zone).
 *
 * Nodes without zone labels (Google traces, SWF, Alibaba) get the generated layout of
 * `--topology 'zones=3,racks-per-zone=8'` when given: node n in zone n mod zones, named as
 * generated nodes are (region + a, b, c: us-east-1a, ...); nodes without a rack label get rack
 * (k mod racks-per-zone), k being the node's ordinal among its zone's nodes (n div zones for the
 * generated zones), named `<zone>/rack-<r>`. No layout and no labels: a single zone "" and no racks.
 */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const ZONE_LABEL_BETA = 'failure-domain.beta.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';
export const REGION_LABEL_BETA = 'failure-domain.beta.kubernetes.io/region';
export const RACK_LABEL = 'schedlab.io/rack';
/** Nodes with this label are left out of the zone-state counts (node_lifecycle_controller.go isNodeExcludedFromDisruptionChecks). */
export const EXCLUDE_DISRUPTION_LABEL = 'node.kubernetes.io/exclude-disruption';

export interface TopologyLayout {
  /** Generated zones for nodes without zone labels (1–26). */
  zones?: number;
  /** Generated racks per zone for nodes without a rack label. */
  racksPerZone?: number;
  /** Region of the generated zones (default us-east-1). */
  region?: string;
}

const TOPOLOGY_KEYS = ['zones', 'racks-per-zone', 'region'] as const;
const TOPOLOGY_EXAMPLE = 'zones=3,racks-per-zone=8';

/** `--topology` text → layout (UsageError naming --topology and the key). */
export function parseTopology(text: string): TopologyLayout {
  const s = new SettingsText('--topology', text, TOPOLOGY_KEYS, TOPOLOGY_EXAMPLE);
  const out: TopologyLayout = {};
  const zones = s.integer('zones', 'generated zones', 1, MAX_ZONES);
  if (zones !== undefined) out.zones = zones;
  const racks = s.integer('racks-per-zone', 'generated racks per zone', 1, 100_000);
  if (racks !== undefined) out.racksPerZone = racks;
  const region = s.raw('region');
  if (region !== undefined) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(region)) throw new UsageError(`--topology: region: expected a region name such as us-east-1, got '${region}'`);
    out.region = region;
  }
  return out;
}

/** Zones and racks of every node, grown as nodes join (node numbers as the cluster's). */
export class NodeTopology {
  /** Zone index per node (-1 = never assigned). */
  zoneOf: Int32Array = new Int32Array(0);
  /** Rack index per node (-1 = none). */
  rackOf: Int32Array = new Int32Array(0);
  /** 1 = left out of zone-state counts (node.kubernetes.io/exclude-disruption). */
  excluded: Uint8Array = new Uint8Array(0);
  readonly zoneKeys: string[] = [];
  /** Display names (the zone label; `region/zone` when two regions share a zone name; "(no zone)" for ""). */
  readonly zoneNames: string[] = [];
  readonly rackNames: string[] = [];
  readonly rackZone: number[] = [];
  /** Nodes ever assigned to each zone / rack (check zoneOf / rackOf before use: a node may have moved). */
  readonly zoneMembers: number[][] = [];
  readonly rackMembers: number[][] = [];
  /** 1 = the node's zone / rack came from the generated layout. */
  zoneGenerated: Uint8Array = new Uint8Array(0);
  rackGenerated: Uint8Array = new Uint8Array(0);
  private readonly zoneByKey = new Map<string, number>();
  private readonly rackByKey = new Map<string, number>();
  private readonly ordinalInZone: number[] = [];
  private readonly region: string;

  constructor(readonly layout: TopologyLayout = {}) {
    this.region = layout.region ?? DEFAULT_REGION;
  }

  /** Assigns node `node` from its labels (again when a removed machine comes back). */
  assign(node: number, labels: Readonly<Record<string, string>>): void {
    this.grow(node + 1);
    const zoneLabel = labelValue(labels, ZONE_LABEL_BETA) ?? labelValue(labels, ZONE_LABEL) ?? '';
    const regionLabel = labelValue(labels, REGION_LABEL_BETA) ?? labelValue(labels, REGION_LABEL) ?? '';
    let zone: number;
    let generated = false;
    if (zoneLabel !== '' || regionLabel !== '' || this.layout.zones === undefined) zone = this.zone(regionLabel, zoneLabel);
    else {
      const k = node % this.layout.zones;
      zone = this.zone(this.region, `${this.region}${String.fromCharCode(97 + k)}`);
      generated = true;
    }
    const rackLabel = labelValue(labels, RACK_LABEL);
    let rack = -1;
    let rackGenerated = false;
    if (rackLabel !== undefined && rackLabel !== '') rack = this.rack(zone, rackLabel, false);
    else if (this.layout.racksPerZone !== undefined) {
      rackGenerated = true;
      // A machine that comes back to its zone keeps its generated rack.
      if (this.zoneOf[node] === zone && this.rackGenerated[node] === 1) rack = this.rackOf[node];
      else {
        const ordinal = generated ? Math.floor(node / this.layout.zones!) : this.ordinalInZone[zone]++;
        rack = this.rack(zone, `rack-${ordinal % this.layout.racksPerZone}`, true);
      }
    }
    this.zoneGenerated[node] = generated ? 1 : 0;
    this.rackGenerated[node] = rackGenerated ? 1 : 0;
    if (this.zoneOf[node] !== zone) this.zoneMembers[zone].push(node);
    if (rack >= 0 && this.rackOf[node] !== rack) this.rackMembers[rack].push(node);
    this.zoneOf[node] = zone;
    this.rackOf[node] = rack;
    this.excluded[node] = labelValue(labels, EXCLUDE_DISRUPTION_LABEL) !== undefined ? 1 : 0;
  }

  get zoneCount(): number {
    return this.zoneKeys.length;
  }

  get rackCount(): number {
    return this.rackNames.length;
  }

  /** Zone index by display name (or `region/zone`), or -1. */
  findZone(name: string): number {
    const i = this.zoneNames.indexOf(name);
    if (i >= 0) return i;
    return this.zoneKeys.findIndex((k) => k.replace(':\u0000:', '/') === name);
  }

  /** Rack index by display name (or `zone/rack`), or -1. */
  findRack(name: string): number {
    const i = this.rackNames.indexOf(name);
    if (i >= 0) return i;
    return this.rackNames.findIndex((r, j) => `${this.zoneNames[this.rackZone[j]]}/${r}` === name);
  }

  /** One line for the settings: where zones and racks came from. */
  describe(): string {
    const count = (a: Uint8Array): number => a.reduce((n, x) => n + x, 0);
    const genZones = count(this.zoneGenerated);
    const genRacks = count(this.rackGenerated);
    const parts: string[] = [];
    const names = this.zoneNames.join(', ');
    const zones = `${this.zoneCount} zone${this.zoneCount === 1 ? '' : 's'} (${names})`;
    if (genZones > 0) parts.push(`${zones}; ${genZones} nodes without zone labels placed round-robin by node number (--topology zones=${this.layout.zones})`);
    else parts.push(`${zones} from node labels${this.zoneCount === 1 && this.zoneKeys[0] === '' ? ' (none has a zone label: one zone)' : ''}`);
    if (this.layout.zones !== undefined && genZones === 0) parts.push(`--topology zones=${this.layout.zones} unused: every node has a zone label`);
    if (this.rackCount > 0) {
      parts.push(`${this.rackCount} racks${genRacks > 0 ? ` (${genRacks} nodes without a ${RACK_LABEL} label in generated racks, ${this.layout.racksPerZone} per zone by ordinal in the zone)` : ` from the ${RACK_LABEL} label`}`);
    } else parts.push('no racks');
    return parts.join('; ');
  }

  private zone(region: string, zone: string): number {
    const key = region === '' && zone === '' ? '' : `${region}:\u0000:${zone}`;
    let z = this.zoneByKey.get(key);
    if (z !== undefined) return z;
    z = this.zoneKeys.length;
    let name = key === '' ? '(no zone)' : zone !== '' ? zone : region;
    if (this.zoneNames.includes(name)) name = `${region}/${zone}`;
    this.zoneKeys.push(key);
    this.zoneNames.push(name);
    this.zoneMembers.push([]);
    this.ordinalInZone.push(0);
    this.zoneByKey.set(key, z);
    return z;
  }

  private rack(zone: number, value: string, generated: boolean): number {
    const key = `${this.zoneKeys[zone]}\u0000${value}`;
    let r = this.rackByKey.get(key);
    if (r !== undefined) return r;
    r = this.rackNames.length;
    let name = generated ? `${this.zoneNames[zone]}/${value}` : value;
    if (this.rackNames.includes(name)) name = `${this.zoneNames[zone]}/${value}`;
    this.rackNames.push(name);
    this.rackZone.push(zone);
    this.rackMembers.push([]);
    this.rackByKey.set(key, r);
    return r;
  }

  private grow(n: number): void {
    if (n <= this.zoneOf.length) return;
    const size = Math.max(n, this.zoneOf.length * 2, 16);
    const z = new Int32Array(size).fill(-1);
    z.set(this.zoneOf);
    this.zoneOf = z;
    const r = new Int32Array(size).fill(-1);
    r.set(this.rackOf);
    this.rackOf = r;
    const bytes = (a: Uint8Array): Uint8Array => {
      const b = new Uint8Array(size);
      b.set(a);
      return b;
    };
    this.excluded = bytes(this.excluded);
    this.zoneGenerated = bytes(this.zoneGenerated);
    this.rackGenerated = bytes(this.rackGenerated);
  }
}
