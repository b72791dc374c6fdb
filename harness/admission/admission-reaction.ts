import { TaskStatus } from '../../model/task-status.js';
import type { Workload } from '../../model/workload.js';
import { ReactionCause, type AdmissionReport, type ReactionsResults } from '../../reports/reaction-results.js';
import type { Reaction, ReactionHost, StopCause } from '../reactions/reaction-host.js';
import type { BorgQuotaLedger } from './borg-quota.js';
import { ParkedPods, ParkState } from './parked-pods.js';
import { QuotaRefusal, type ResourceQuotaLedger } from './resource-quota.js';

/** Per-task flags. */
const RQ_CHARGED = 1;
const BORG_CHARGED = 2;
/** Refused since its last admission (its refusal is counted once). */
const REFUSED = 4;

/**
 * Admission before the queue (harness/admission/): Borg quota, then ResourceQuota, on every pod
 * that is submitted or recreated (`admit`), releasing what a pod held when it stops or ends.
 *
 * - Borg quota (borg-quota.ts) rejects at submission: the task ends for good (Rejected).
 * - ResourceQuota (resource-quota.ts) refuses the pod; a bare Pod (controller kind Pod) is
 *   rejected for good — the client got an error and nothing retries it. A controller's pod waits
 *   (parked-pods.ts) and is retried in refusal order when its namespace's usage drops, at that
 *   instant, before its scheduling pass; a pod refused for a missing request waits for good (no
 *   usage drop helps; its controller keeps retrying) and is counted among those waiting at the end.
 * - Every refusal is counted once per pod (a retry refused again is not counted again; a pod its
 *   controller makes again after losing it is a new pod), by reason, with one example message per
 *   reason in upstream's words, and logged to events.csv (cause admission-rejected, node -1).
 * - The reader's LimitRange rejections (Workload.admissionRejections: pods refused before they
 *   existed) are folded into the same counts, so every rejection shows in one place.
 *
 * A pod that starts without having passed here (the simulator requeues an evicted task on its own
 * when no controller owns recreation) is charged when it starts, so usage stays true.
 * Hooks are O(quotas × dimensions) per pod and allocate nothing on the admitted path.
 */
export class AdmissionReaction implements Reaction {
  readonly name = 'admission';
  private host!: ReactionHost;
  private flags = new Uint8Array(0);
  private parked: ParkedPods | undefined;
  private readonly retryPending: Uint8Array;
  private readonly byReason = new Map<string, number>();
  private readonly messages = new Map<string, string>();
  private podsRejected = 0;
  private rejectedForGood = 0;
  private readmitted = 0;
  private readonly blocked: (ns: number, mask: number, minReq: Float64Array, minLim: Float64Array) => boolean;
  private readonly retryAdmit: (task: number) => boolean;

  constructor(
    private readonly workload: Workload,
    private readonly quota: ResourceQuotaLedger | undefined,
    private readonly borg: BorgQuotaLedger | undefined,
    /** One line for the run's settings. */
    private readonly description: string,
  ) {
    this.retryPending = new Uint8Array(quota?.namespaces.length ?? 0);
    this.blocked = (ns, mask, minReq, minLim) => this.quota!.blocked(ns, mask, minReq, minLim);
    this.retryAdmit = (task) => this.tryReadmit(task);
  }

  /** A replay starts: everything counted or held starts afresh (the reaction may serve several runs of one setup). */
  start(host: ReactionHost): void {
    this.host = host;
    this.quota?.bind(host.tasks);
    this.borg?.bind(host.tasks);
    this.flags = new Uint8Array(0);
    this.parked = this.quota ? new ParkedPods(this.workload.resources.names.length, this.quota.namespaces.length) : undefined;
    this.retryPending.fill(0);
    this.byReason.clear();
    this.messages.clear();
    this.podsRejected = 0;
    this.rejectedForGood = 0;
    this.readmitted = 0;
  }

  admit(task: number): boolean {
    if (task >= this.flags.length) this.grow(task + 1);
    let f = this.flags[task];
    const borg = this.borg;
    if (borg !== undefined && (f & BORG_CHARGED) === 0) {
      const key = borg.keyOf(task);
      const entry = borg.entryOf(key);
      if (entry >= 0) {
        if (!borg.check(task, key, entry)) {
          this.flags[task] = f;
          this.refused(task, borg.reasonKey(), () => borg.message(task));
          this.rejectForGood(task);
          return false;
        }
        borg.charge(task, key, 1);
        f |= BORG_CHARGED;
      }
    }
    const quota = this.quota;
    if (quota !== undefined && (f & RQ_CHARGED) === 0) {
      const ns = quota.namespaceOf(task);
      const mask = ns >= 0 ? quota.matching(task, ns) : 0;
      if (mask !== 0) {
        if (!quota.check(task, ns, mask)) {
          this.flags[task] = f;
          this.refused(task, quota.reasonKey(), () => quota.message(task));
          if (this.workload.controllers?.[this.host.tasks.job[task]]?.kind === 'Pod') {
            this.rejectForGood(task);
          } else {
            const ts = this.host.tasks;
            this.parked!.park(task, ns, mask, quota.refusal === QuotaRefusal.MissingValue, ts.request, ts.limit);
          }
          return false;
        }
        quota.charge(task, ns, mask, 1);
        f |= RQ_CHARGED;
      }
    }
    this.flags[task] = f & ~REFUSED;
    return true;
  }

  started(task: number): void {
    if (task >= this.flags.length) this.grow(task + 1);
    const parked = this.parked;
    if (parked !== undefined && parked.stateOf(task) !== ParkState.None) parked.unpark(task);
    let f = this.flags[task];
    if ((f & (RQ_CHARGED | BORG_CHARGED)) === (RQ_CHARGED | BORG_CHARGED)) return;
    const quota = this.quota;
    if (quota !== undefined && (f & RQ_CHARGED) === 0) {
      const ns = quota.namespaceOf(task);
      const mask = ns >= 0 ? quota.matching(task, ns) : 0;
      if (mask !== 0) {
        quota.charge(task, ns, mask, 1);
        f |= RQ_CHARGED;
      }
    }
    const borg = this.borg;
    if (borg !== undefined && (f & BORG_CHARGED) === 0) {
      const key = borg.keyOf(task);
      if (borg.entryOf(key) >= 0) {
        borg.charge(task, key, 1);
        f |= BORG_CHARGED;
      }
    }
    this.flags[task] = f;
  }

  stopped(task: number, _node: number, _t: number, _cause: StopCause): void {
    if (task >= this.flags.length) return;
    // An evicted task waiting for its controller keeps its Borg share (its job is still admitted);
    // its pod stops counting in ResourceQuota until the new pod is admitted.
    this.release(task, this.host.tasks.status[task] !== TaskStatus.Evicted);
  }

  dropped(task: number): void {
    if (task >= this.flags.length) return;
    const parked = this.parked;
    if (parked !== undefined && parked.stateOf(task) !== ParkState.None) parked.unpark(task);
    this.release(task, true);
  }

  finish(_horizon: number, out: ReactionsResults): void {
    const byReason = new Map(this.byReason);
    let podsRejected = this.podsRejected;
    for (const [reason, n] of Object.entries(this.workload.admissionRejections ?? {})) {
      byReason.set(reason, (byReason.get(reason) ?? 0) + n);
      podsRejected += n;
    }
    const reasons = [...byReason.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const report: AdmissionReport = {
      rejectedByReason: Object.fromEntries(reasons),
      podsRejected,
      waitingAtEnd: this.parked?.waiting ?? 0,
      rejectedForGood: this.rejectedForGood,
      readmitted: this.readmitted,
      messages: Object.fromEntries(reasons.filter(([r]) => this.messages.has(r)).map(([r]) => [r, this.messages.get(r)!])),
    };
    out.admission = report;
    out.settings.admission = this.description;
  }

  /** Returns what the task held; `borgToo` = its Borg share as well. Retries its namespace's waiting pods. */
  private release(task: number, borgToo: boolean): void {
    const f = this.flags[task];
    let next = f;
    const quota = this.quota;
    if ((f & RQ_CHARGED) !== 0 && quota !== undefined) {
      const ns = quota.namespaceOf(task);
      quota.charge(task, ns, quota.matching(task, ns), -1);
      next &= ~RQ_CHARGED;
      if (this.parked!.waitingIn(ns) > 0 && this.retryPending[ns] === 0) {
        this.retryPending[ns] = 1;
        this.host.at(this.host.now(), () => this.retry(ns));
      }
    }
    const borg = this.borg;
    if (borgToo && (f & BORG_CHARGED) !== 0 && borg !== undefined) {
      borg.charge(task, borg.keyOf(task), -1);
      next &= ~BORG_CHARGED;
    }
    this.flags[task] = next;
  }

  private retry(ns: number): void {
    this.retryPending[ns] = 0;
    const ts = this.host.tasks;
    this.parked!.retry(ns, ts.request, ts.limit, this.blocked, this.retryAdmit);
  }

  /** A waiting pod's retry: admitted and queued when it fits now. */
  private tryReadmit(task: number): boolean {
    const quota = this.quota!;
    const ns = quota.namespaceOf(task);
    const mask = quota.matching(task, ns);
    if (!quota.check(task, ns, mask)) return false;
    quota.charge(task, ns, mask, 1);
    this.flags[task] = (this.flags[task] | RQ_CHARGED) & ~REFUSED;
    this.readmitted++;
    this.host.enqueue(task);
    return true;
  }

  /** Counts a refusal once per pod, by reason, keeping the first message of each reason. */
  private refused(task: number, reason: string, message: () => string): void {
    if ((this.flags[task] & REFUSED) !== 0) return;
    this.flags[task] |= REFUSED;
    this.podsRejected++;
    this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
    if (!this.messages.has(reason)) this.messages.set(reason, message());
    this.host.logEvent(ReactionCause.AdmissionRejected, -1, task, 0, 0);
  }

  private rejectForGood(task: number): void {
    this.rejectedForGood++;
    this.host.endForGood(task, 'rejected');
  }

  private grow(n: number): void {
    const f = new Uint8Array(Math.max(n, this.flags.length * 2, 1024));
    f.set(this.flags);
    this.flags = f;
  }
}
