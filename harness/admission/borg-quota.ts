import { BAND_NAMES, PriorityBand, type BandName } from '../../model/priority-bands.js';
import type { Workload } from '../../model/workload.js';
import type { TaskStore } from '../task-store.js';
import { quantityText } from './quantity-text.js';

/**
 * Borg's quota (Verma et al., "Large-scale cluster management at Google with Borg", EuroSys'15
 * §2.5; ../shared/docs/models.md § Borg): a vector of resource quantities per user at a priority,
 * checked at admission, not at scheduling — "jobs with insufficient quota are immediately rejected
 * upon submission". Here the priority is the Borg band (model/priority-bands.ts) and the check is
 * per task:
 *
 *   allocation(user, band) + request(task) ≤ quota(user, band), in every dimension the quota bounds,
 *
 * else the task is rejected for good. allocation = Σ requests of the user's tasks in that band that
 * were admitted and have not ended; an evicted task waiting for its controller still holds its
 * share (its job is still admitted), so its resubmission is not checked again.
 *
 * Which quota applies to (user, band), first found: the user's entry for the band, the user's
 * `default` entry, the `*` entry for the band, the `*` `default` entry; none = unlimited. Each user
 * has their own allocation under a `*` or `default` entry. `default` does not cover the free band:
 * "every user has infinite quota at priority zero" (§2.5); an entry naming `free` does bound it.
 * A task with no user (-1) matches `*` entries only.
 */

export interface BorgQuotaEntry {
  /** A user name (Workload.users; the namespace for manifests) or '*' for every user. */
  user: string;
  band: BandName | 'default';
  /** Per workload dimension, in its units; NaN = not bounded. */
  limit: number[];
}

const BANDS = BAND_NAMES.length;
const DEFAULT = BANDS;

export class BorgQuotaLedger {
  readonly entries: readonly BorgQuotaEntry[];
  /** The last refused `check`: the entry, the (user, band) key and the dimensions over quota (bit d). */
  refusedEntry = -1;
  refusedKey = -1;
  refusedBits = 0;

  private readonly D: number;
  private readonly workload: Workload;
  private tasks!: TaskStore;
  /** Entry index per user name and band (index BANDS = default). */
  private readonly byUser = new Map<string, Int32Array>();
  private readonly anyUser: Int32Array;
  /** Per (user + 1) × band: the entry that applies (-1 = unlimited, -2 = not resolved yet). */
  private entryOfKey = new Int32Array(0);
  /** Per (user + 1) × band × dimension: the allocation. */
  private allocation = new Float64Array(0);
  private readonly limits: Float64Array;

  constructor(entries: readonly BorgQuotaEntry[], workload: Workload) {
    this.entries = entries;
    this.workload = workload;
    const D = workload.resources.names.length;
    this.D = D;
    this.limits = new Float64Array(entries.length * D);
    this.anyUser = new Int32Array(BANDS + 1).fill(-1);
    entries.forEach((e, i) => {
      if (e.limit.length !== D) throw new Error(`Borg quota ${e.user}/${e.band}: ${e.limit.length} values for ${D} dimensions`);
      this.limits.set(e.limit, i * D);
      let slots = e.user === '*' ? this.anyUser : this.byUser.get(e.user);
      if (slots === undefined) {
        slots = new Int32Array(BANDS + 1).fill(-1);
        this.byUser.set(e.user, slots);
      }
      const b = e.band === 'default' ? DEFAULT : BAND_NAMES.indexOf(e.band);
      if (slots[b] >= 0) throw new Error(`Borg quota ${e.user}/${e.band} is given twice`);
      slots[b] = i;
    });
  }

  /** The task table the ledger reads (the simulator's, at the replay's start); allocations start at zero. */
  bind(tasks: TaskStore): void {
    this.tasks = tasks;
    this.allocation.fill(0);
  }

  /** The (user, band) key of a task. */
  keyOf(task: number): number {
    return (this.tasks.user[task] + 1) * BANDS + this.tasks.band[task];
  }

  /** The entry bounding a (user, band) key, -1 = unlimited. */
  entryOf(key: number): number {
    if (key >= this.entryOfKey.length) this.grow(key + 1);
    let e = this.entryOfKey[key];
    if (e === -2) {
      e = this.resolve(key);
      this.entryOfKey[key] = e;
    }
    return e;
  }

  /** Does the task fit its quota `entry` now? On false, `refused*` say where. */
  check(task: number, key: number, entry: number): boolean {
    const D = this.D;
    const req = this.tasks.request;
    let bits = 0;
    for (let d = 0; d < D; d++) {
      const q = this.limits[entry * D + d];
      const r = req[task * D + d];
      if (q === q && r > 0 && this.allocation[key * D + d] + r > q) bits |= 1 << d;
    }
    if (bits === 0) return true;
    this.refusedEntry = entry;
    this.refusedKey = key;
    this.refusedBits = bits;
    return false;
  }

  /** Adds (1) or returns (-1) the task's request to its (user, band) allocation. */
  charge(task: number, key: number, sign: 1 | -1): void {
    const D = this.D;
    if (key >= this.entryOfKey.length) this.grow(key + 1);
    for (let d = 0; d < D; d++) this.allocation[key * D + d] += sign * this.tasks.request[task * D + d];
  }

  /** The allocation of a (user, band) key in dimension d. */
  allocated(key: number, d: number): number {
    return key * this.D + d < this.allocation.length ? this.allocation[key * this.D + d] : 0;
  }

  /** The last refusal without amounts, e.g. `borg quota exceeded: alice/production: cpu` (the entry's user, `*` for everyone). */
  reasonKey(): string {
    const e = this.entries[this.refusedEntry];
    const band = BAND_NAMES[this.refusedKey % BANDS];
    return `borg quota exceeded: ${e.user}/${band}: ${this.dimNames(this.refusedBits).join(',')}`;
  }

  /** The last refusal of `task` with amounts. */
  message(task: number): string {
    const D = this.D;
    const key = this.refusedKey;
    const userIndex = Math.floor(key / BANDS) - 1;
    const user = userIndex < 0 ? '(no user)' : (this.workload.users[userIndex] ?? `#${userIndex}`);
    const { names, units } = this.workload.resources;
    const part = (f: (d: number) => number) => {
      const out: string[] = [];
      for (let d = 0; d < D; d++) if ((this.refusedBits >>> d) & 1) out.push(`${names[d]}=${quantityText(f(d), units[d])}`);
      return out.join(',');
    };
    return (
      `borg quota exceeded: user ${user}, band ${BAND_NAMES[key % BANDS]}: requested ${part((d) => this.tasks.request[task * D + d])}, ` +
      `allocated ${part((d) => this.allocation[key * D + d])}, quota ${part((d) => this.limits[this.refusedEntry * D + d])}`
    );
  }

  private dimNames(bits: number): string[] {
    const out: string[] = [];
    for (let d = 0; d < this.D; d++) if ((bits >>> d) & 1) out.push(this.workload.resources.names[d]);
    return out;
  }

  private resolve(key: number): number {
    const userIndex = Math.floor(key / BANDS) - 1;
    const band = key % BANDS;
    const own = userIndex >= 0 ? this.byUser.get(this.workload.users[userIndex]) : undefined;
    const coversDefault = band !== PriorityBand.Free;
    if (own !== undefined) {
      if (own[band] >= 0) return own[band];
      if (coversDefault && own[DEFAULT] >= 0) return own[DEFAULT];
    }
    if (this.anyUser[band] >= 0) return this.anyUser[band];
    if (coversDefault && this.anyUser[DEFAULT] >= 0) return this.anyUser[DEFAULT];
    return -1;
  }

  private grow(n: number): void {
    const size = Math.max(n, this.entryOfKey.length * 2, BANDS * 64);
    const e = new Int32Array(size).fill(-2);
    e.set(this.entryOfKey);
    const a = new Float64Array(size * this.D);
    a.set(this.allocation);
    this.entryOfKey = e;
    this.allocation = a;
  }
}
