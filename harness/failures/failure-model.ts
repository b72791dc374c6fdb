import { UsageError } from '../../model/errors.js';
import { Rng } from '../../model/rng.js';
import { fnv1a32, hash3 } from '../../model/hash.js';
import type { ReactionHost } from '../reactions/reaction-host.js';
import { describeLifetime, drawLifetime, exponentialLifetime, weibullLifetime, type Lifetime } from './lifetime-distribution.js';
import type { NodeDownCauses } from './node-down-causes.js';
import type { NodeTopology } from './topology.js';
import { SettingsText } from './settings-text.js';

/**
 * The seeded failure model of `--failures 'mtbf=720h,mttr=2h'`: every failure unit (a node, or
 * with `scope=rack` / `scope=zone` a whole rack or zone that fails together) alternates up and
 * down periods drawn independently: up ~ the MTBF distribution, down ~ the MTTR distribution
 * (harness/failures/lifetime-distribution.ts). `mtbf` is the mean up period (time from a repair
 * to the next failure), so a unit is up a fraction mtbf / (mtbf + mttr) of the time.
 * `../shared/docs/models.md` (Failures and autoscaling): machines fail and return from a seeded
 * MTBF/MTTR model.
 *
 * Stated assumptions: every unit starts its first up period at the window start (or when its first
 * node joins), as if new — for a Weibull of shape < 1 the early hours see more failures than the
 * long-run rate. Each unit draws from its own stream (seed, unit name, incarnation), so the same
 * seed gives the same failures whatever the policy does. Draws are lazy: a unit's next event is
 * drawn when the previous one happens, never a whole horizon up front. A node added to a rack or
 * zone that is down goes down at once.
 */
export interface FailureModelSpec {
  up: Lifetime;
  down: Lifetime;
  scope: 'node' | 'rack' | 'zone';
}

const KEYS = ['mtbf', 'mttr', 'dist', 'shape', 'mttr-dist', 'mttr-shape', 'scope'] as const;
const EXAMPLE = 'mtbf=720h,mttr=2h';
const DISTS = ['exponential', 'weibull'] as const;

/** `--failures` text → the model (UsageError naming --failures and the key). */
export function parseFailureModel(text: string): FailureModelSpec {
  const s = new SettingsText('--failures', text, KEYS, EXAMPLE);
  const mtbf = s.requiredDuration('mtbf', 'mean time between failures', '720h');
  const mttr = s.requiredDuration('mttr', 'mean time to repair', '2h');
  const up = lifetime(s, 'dist', 'shape', mtbf);
  const down = lifetime(s, 'mttr-dist', 'mttr-shape', mttr);
  return { up, down, scope: s.choice('scope', ['node', 'rack', 'zone'] as const) ?? 'node' };
}

function lifetime(s: SettingsText, distKey: string, shapeKey: string, mean: number): Lifetime {
  const dist = s.choice(distKey, DISTS) ?? 'exponential';
  const shape = s.number(shapeKey, 'Weibull shape', 0, 1000, true);
  if (dist === 'exponential') {
    if (shape !== undefined) throw new UsageError(`--failures: ${shapeKey} is given but ${distKey} is exponential (add ${distKey}=weibull)`);
    return exponentialLifetime(mean);
  }
  if (shape === undefined) throw new UsageError(`--failures: ${distKey}=weibull needs ${shapeKey}, e.g. ${shapeKey}=0.7`);
  return weibullLifetime(mean, shape);
}

/** One line for the settings. */
export function describeFailureModel(m: FailureModelSpec): string {
  return `scope ${m.scope}; up ${describeLifetime(m.up)}; down ${describeLifetime(m.down)}; seeded per ${m.scope}, first up period from the window start`;
}

/** One unit's up/down process (a node, a rack or a zone). */
interface Unit {
  rng: Rng;
  /** Bumped when the unit stops (its node left): its pending events are void. */
  epoch: number;
  down: boolean;
  /** Nodes this unit's current failure took down, with the incarnation held (node, inc, node, inc, ...). */
  held: number[];
}

/** The running failure processes. */
export class FailureProcess {
  private readonly units: Array<Unit | undefined> = [];
  private readonly starts = new Map<string, number>();
  private host!: ReactionHost;
  private horizon = Infinity;
  /** Unit failures so far. */
  failures = 0;
  /** Nodes that joined without a rack under scope=rack: they never fail. */
  unplaced = 0;

  constructor(
    readonly spec: FailureModelSpec,
    private readonly topology: NodeTopology,
    private readonly causes: NodeDownCauses,
    private readonly seed: number,
  ) {}

  start(host: ReactionHost, t: number): void {
    this.host = host;
    this.horizon = host.workload.horizon ?? Infinity;
    const c = host.cluster;
    for (let node = 0; node < c.nodeCount; node++) if (c.up[node]) this.nodeAdded(node, t);
  }

  /** A node joined (topology already assigned): its own process starts, or it joins its unit's. */
  nodeAdded(node: number, t: number): void {
    const u = this.unitOf(node);
    const unit = this.units[u];
    if (this.spec.scope === 'node' || unit === undefined) {
      this.begin(u, this.unitName(u, node), t);
      return;
    }
    if (unit.down) this.hold(unit, node);
  }

  /** A node left: with node scope its process stops. */
  nodeRemoved(node: number): void {
    if (this.spec.scope !== 'node') return;
    const unit = this.units[node];
    if (unit) {
      unit.epoch++;
      unit.down = false;
      unit.held.length = 0;
    }
  }

  private unitOf(node: number): number {
    switch (this.spec.scope) {
      case 'node':
        return node;
      case 'rack':
        return this.topology.rackOf[node];
      case 'zone':
        return this.topology.zoneOf[node];
    }
  }

  private unitName(u: number, node: number): string {
    switch (this.spec.scope) {
      case 'node':
        return `node ${this.host.cluster.ids[node]}`;
      case 'rack':
        return `rack ${this.topology.rackNames[u]}`;
      case 'zone':
        return `zone ${this.topology.zoneNames[u]}`;
    }
  }

  private begin(u: number, name: string, t: number): void {
    if (u < 0) {
      // A node without a rack under scope=rack (refused at setup for the workload's own machines).
      this.unplaced++;
      return;
    }
    const incarnation = (this.starts.get(name) ?? 0) + 1;
    this.starts.set(name, incarnation);
    const prev = this.units[u];
    const unit: Unit = { rng: new Rng(hash3(this.seed, fnv1a32(name), incarnation)), epoch: prev ? prev.epoch + 1 : 0, down: false, held: [] };
    this.units[u] = unit;
    this.scheduleFailure(u, unit, t);
  }

  private scheduleFailure(u: number, unit: Unit, t: number): void {
    const at = t + drawLifetime(this.spec.up, unit.rng);
    if (at > this.horizon) return;
    const epoch = unit.epoch;
    this.host.at(at, (now) => {
      if (unit.epoch !== epoch || this.units[u] !== unit) return;
      this.fail(u, unit, now);
    });
  }

  private fail(u: number, unit: Unit, t: number): void {
    unit.down = true;
    this.failures++;
    if (this.spec.scope === 'node') this.hold(unit, u);
    else {
      const members = this.spec.scope === 'rack' ? this.topology.rackMembers[u] : this.topology.zoneMembers[u];
      const of = this.spec.scope === 'rack' ? this.topology.rackOf : this.topology.zoneOf;
      for (const node of members) if (of[node] === u) this.hold(unit, node);
    }
    const back = t + drawLifetime(this.spec.down, unit.rng);
    if (back > this.horizon) return; // down until the window ends
    const epoch = unit.epoch;
    this.host.at(back, (now) => {
      if (unit.epoch !== epoch || this.units[u] !== unit) return;
      this.recover(u, unit, now);
    });
  }

  private hold(unit: Unit, node: number): void {
    const inc = this.causes.take(node);
    if (inc >= 0) unit.held.push(node, inc);
  }

  private recover(u: number, unit: Unit, t: number): void {
    unit.down = false;
    const held = unit.held;
    unit.held = [];
    for (let i = 0; i < held.length; i += 2) this.causes.release(held[i], held[i + 1]);
    this.scheduleFailure(u, unit, t);
  }
}
