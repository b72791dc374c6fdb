import type { Fields } from './fields.js';
import type { FieldPath } from './manifest-documents.js';

/** Kinds that make pods, in the order the reader documents them (a CronJob through the Jobs it makes). */
export const POD_MAKING_KINDS = ['Pod', 'Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'Job', 'DaemonSet', 'CronJob'] as const;
export type PodMakingKind = (typeof POD_MAKING_KINDS)[number];

export const isPodMakingKind = (k: string): k is PodMakingKind => (POD_MAKING_KINDS as readonly string[]).includes(k);

/** Where the pod metadata and spec sit in an object of this kind. */
export function podTemplatePaths(kind: PodMakingKind): { metadata: FieldPath; spec: FieldPath } {
  if (kind === 'Pod') return { metadata: ['metadata'], spec: ['spec'] };
  if (kind === 'CronJob') return { metadata: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'], spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] };
  return { metadata: ['spec', 'template', 'metadata'], spec: ['spec', 'template', 'spec'] };
}

/** Where the JobSpec sits: a Job's spec, a CronJob's jobTemplate.spec; undefined for other kinds. */
export function jobSpecPath(kind: PodMakingKind): FieldPath | undefined {
  if (kind === 'Job') return ['spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec'];
  return undefined;
}

/**
 * How many pods an object makes, and how many completions each one runs back to back.
 * `completions[i]` is 1 for every pod of a long-running controller.
 */
export interface PodPlan {
  /** Completions per generated pod (its length is the pod count). */
  completions: number[];
  /** One line for the notes when the plan is not simply "n replicas". */
  note?: string;
}

/** A sanity bound: more pods than this from one object is a typo, not a manifest (and would exhaust memory). */
export const MAX_PODS_PER_OBJECT = 10_000_000;

/**
 * Pods per object (DaemonSets are expanded per node by the reader, not here):
 * - Pod: 1.
 * - Deployment, ReplicaSet, ReplicationController, StatefulSet: spec.replicas (default 1; 0 makes none).
 * - Job: the Job controller keeps at most `parallelism` pods running (default 1) until
 *   `completions` pods have succeeded. With `completions` unset (a work queue) it runs
 *   `parallelism` pods once each. With `completions` set, the reader models min(parallelism,
 *   completions) *slots*, slot i running ⌈(completions − i) / slots⌉ completions back to back as one
 *   task (duration = that many pod run times): the same concurrency and the same pod-seconds as
 *   the controller's replacement pods when the cluster has room, without having to start a new
 *   pod when one finishes (a static workload cannot react to completions). `suspend: true` or
 *   parallelism 0 makes no pods. A CronJob's Jobs follow its jobTemplate.spec the same way.
 */
export function podPlan(kind: PodMakingKind, f: Fields): PodPlan {
  if (kind === 'Pod') return { completions: [1] };
  const job = jobSpecPath(kind);
  if (job !== undefined) {
    const parallelism = f.int([...job, 'parallelism'], 0, MAX_PODS_PER_OBJECT) ?? 1;
    const completions = f.int([...job, 'completions'], 0, MAX_PODS_PER_OBJECT);
    if (f.bool([...job, 'suspend']) === true) return { completions: [], note: 'suspended: no pods' };
    if (completions === undefined) {
      return {
        completions: new Array<number>(parallelism).fill(1),
        note: `work queue (no completions): ${parallelism} pod${parallelism === 1 ? '' : 's'}, each run once`,
      };
    }
    const slots = Math.min(parallelism, completions);
    const out: number[] = [];
    for (let i = 0; i < slots; i++) out.push(Math.ceil((completions - i) / slots));
    return {
      completions: out,
      note:
        slots === completions
          ? undefined
          : `${completions} completions, parallelism ${parallelism}: ${slots} task${slots === 1 ? '' : 's'} running ${out.join('/')} completions back to back`,
    };
  }
  const replicas = f.int(['spec', 'replicas'], 0, MAX_PODS_PER_OBJECT) ?? 1;
  return { completions: new Array<number>(replicas).fill(1) };
}
