import { stringify } from 'yaml';
import { UsageError } from '../../../model/errors.js';

/** Where the pods see the sweep file (the ConfigMap's mount) and write their cells (the results volume). */
export const POD_CONFIG_DIR = '/config';
export const POD_CONFIG_FILE = `${POD_CONFIG_DIR}/sweep.yaml`;
export const POD_RESULTS_DIR = '/results';
/** The environment variable the pod's index arrives in (from the pod's completion-index annotation). */
export const INDEX_VARIABLE = 'SCHEDLAB_CELL_INDEX';
/** Retries of one index when its pod fails for another reason than bad input (a node lost, out of memory). */
export const RETRIES_PER_INDEX = 2;

export interface K8sJobOptions {
  /** The Job's name (a DNS-1123 label); the ConfigMap is `<name>-config`. */
  name: string;
  /** The sweep file's text, shipped in the ConfigMap as written. */
  configText: string;
  /** The sweep's cell count: the Job's completions. */
  cells: number;
  /** Pods at once. */
  parallelism: number;
  /** A container image with schedlab installed (`schedlab` on the PATH) at the sweep's version. */
  image: string;
  /** The PersistentVolumeClaim the pods write their cells to (ReadWriteMany when the pods span nodes). */
  pvc: string;
  /** Optional claim holding the inputs (traces, policy files), mounted read-only at `dataMount`. */
  dataPvc?: string;
  dataMount?: string;
  /** Requests of each pod: one replay is single-threaded. */
  cpu?: string;
  memory?: string;
}

/** A name Kubernetes takes for a Job (a DNS-1123 label, ≤ 63 characters; the pods' names add a suffix, so kept to 52). */
export function jobName(raw: string): string {
  const n = raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 52).replace(/-+$/, '');
  return n === '' ? 'schedlab-sweep' : n;
}

/**
 * A Kubernetes Indexed Job that runs a sweep, one pod per cell: `completionMode: Indexed` gives
 * pod i the completion index i (0 … completions−1) in the annotation
 * `batch.kubernetes.io/job-completion-index`, passed to the container as an environment variable
 * and on to `schedlab sweep --cell-index`, which runs cell i of the grid (the same grid order as a
 * local sweep) and stores it as `/results/cells/<key>.json` on the results volume
 * (https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode). An index whose
 * pod exits 2 (bad input: retrying cannot help) is failed at once (podFailurePolicy FailIndex);
 * other failures retry that index alone (backoffLimitPerIndex, Kubernetes ≥ 1.29). `schedlab
 * sweep --collect DIR` then merges a copy of the volume into the sweep's tables.
 *
 * Returns the manifest: the ConfigMap holding the sweep file, then the Job, as one multi-document
 * YAML file (`kubectl apply -f job.yaml`).
 */
export function k8sJobManifest(o: K8sJobOptions): string {
  if (o.cells < 1) throw new UsageError('--emit k8s-job: the sweep has no cells');
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${o.name}-config`, labels: labels(o.name) },
    data: { 'sweep.yaml': o.configText },
  };
  const volumeMounts: Array<Record<string, unknown>> = [
    { name: 'config', mountPath: POD_CONFIG_DIR, readOnly: true },
    { name: 'results', mountPath: POD_RESULTS_DIR },
  ];
  const volumes: Array<Record<string, unknown>> = [
    { name: 'config', configMap: { name: `${o.name}-config` } },
    { name: 'results', persistentVolumeClaim: { claimName: o.pvc } },
  ];
  if (o.dataPvc !== undefined) {
    volumeMounts.push({ name: 'data', mountPath: o.dataMount ?? '/data', readOnly: true });
    volumes.push({ name: 'data', persistentVolumeClaim: { claimName: o.dataPvc, readOnly: true } });
  }
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: o.name, labels: labels(o.name) },
    spec: {
      completionMode: 'Indexed',
      completions: o.cells,
      parallelism: Math.max(1, Math.min(o.parallelism, o.cells)),
      backoffLimitPerIndex: RETRIES_PER_INDEX,
      podFailurePolicy: {
        rules: [{ action: 'FailIndex', onExitCodes: { containerName: 'cell', operator: 'In', values: [2] } }],
      },
      template: {
        metadata: { labels: labels(o.name) },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'cell',
              image: o.image,
              command: ['schedlab'],
              args: ['sweep', '--config', POD_CONFIG_FILE, '--cell-index', `$(${INDEX_VARIABLE})`, '--out', POD_RESULTS_DIR, '--quiet'],
              env: [{ name: INDEX_VARIABLE, valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }],
              resources: { requests: { cpu: o.cpu ?? '1', memory: o.memory ?? '2Gi' } },
              volumeMounts,
            },
          ],
          volumes,
        },
      },
    },
  };
  const header = [
    `# schedlab sweep as a Kubernetes Indexed Job: ${o.cells} cells, one pod each, ${job.spec.parallelism} at a time.`,
    `#   kubectl apply -f job.yaml            (needs the claim '${o.pvc}' and the image '${o.image}')`,
    `#   kubectl wait --for=condition=complete job/${o.name} --timeout=24h`,
    `#   copy the claim's contents to DIR, then: schedlab sweep --collect DIR`,
    `# Paths in the sweep file are read inside the pod (relative ones from ${POD_CONFIG_DIR}/).`,
  ].join('\n');
  return `${header}\n${stringify(configMap, { lineWidth: 0 })}---\n${stringify(job, { lineWidth: 0 })}`;
}

function labels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'schedlab', 'app.kubernetes.io/component': 'sweep', 'schedlab.io/sweep': name };
}
