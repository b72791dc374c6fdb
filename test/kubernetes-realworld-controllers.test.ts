import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { GiB } from '../model/units.js';

/**
 * What the reader says real manifests mean over time (../shared/data/realworld/kubernetes, see its
 * PROVENANCE.txt): the controller behind each job and the budgets that protect them. Expected
 * values are read off the files by hand (replicas, terminationGracePeriodSeconds, volumes,
 * PodDisruptionBudget selectors) and follow from the Kubernetes defaults the reader cites.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const REAL = path.join(here, '..', '..', 'shared', 'data', 'realworld', 'kubernetes');
const present = existsSync(REAL);
if (!present) console.warn(`Kubernetes real-manifest controller tests skipped: ${REAL} is absent (see ../shared/data/README.md)`);
const NODES = { nodes: 5, nodeShape: { cpuMillicores: 8000, memoryBytes: 32 * GiB }, instanceType: 'm5.2xlarge' };
const S = 1e6;

describe.skipIf(!present)('microservices-demo (Online Boutique): twelve Deployments', async () => {
  const w = present ? await readKubernetesManifests(path.join(REAL, 'microservices-demo', 'release', 'kubernetes-manifests.yaml'), NODES) : undefined!;

  it('one Deployment controller per service, one replica each (only loadgenerator states replicas: 1)', () => {
    expect(w.controllers?.map((c) => c?.name)).toEqual([
      'default/frontend',
      'default/adservice',
      'default/currencyservice',
      'default/cartservice',
      'default/redis-cart',
      'default/loadgenerator',
      'default/recommendationservice',
      'default/checkoutservice',
      'default/emailservice',
      'default/paymentservice',
      'default/shippingservice',
      'default/productcatalogservice',
    ]);
    expect(new Set(w.controllers?.map((c) => `${c?.kind} ${c?.desired} ${c?.restartPolicy} ${c?.preemptionPolicy}`))).toEqual(new Set(['Deployment 1 Always PreemptLowerPriority']));
  });

  it('grace periods: 5 s where the manifest says so, the 30 s default elsewhere', () => {
    expect(w.controllers?.map((c) => c!.terminationGracePeriod / S)).toEqual([30, 5, 5, 5, 30, 5, 5, 30, 5, 5, 30, 5]);
  });

  it('redis-cart keeps its data in an emptyDir: the cluster autoscaler may not move it; the others it may', () => {
    expect(w.controllers?.filter((c) => c?.movable === false).map((c) => c?.name)).toEqual(['default/redis-cart']);
    expect(w.disruptionBudgets).toBeUndefined();
  });
});

describe.skipIf(!present)('kube-prometheus: three PodDisruptionBudgets, two for pods of custom resources', async () => {
  const w = present ? await readKubernetesManifests(path.join(REAL, 'kube-prometheus', 'manifests'), NODES) : undefined!;

  it('prometheus-adapter (replicas: 2) is protected by its minAvailable: 1 budget', () => {
    const b = w.disruptionBudgets!.find((x) => x.name === 'monitoring/prometheus-adapter')!;
    expect(b.minAvailable).toEqual({ value: 1, percent: false });
    expect(b.jobs.map((j) => w.jobs[j])).toEqual(['Deployment/monitoring/prometheus-adapter']);
    expect(w.controllers?.[b.jobs[0]]).toMatchObject({ kind: 'Deployment', desired: 2 });
  });

  it('the Alertmanager and Prometheus budgets select pods the operator makes (not in the input): accepted, warned about', () => {
    expect(w.disruptionBudgets?.map((b) => [b.name, b.jobs.length])).toEqual([
      ['monitoring/alertmanager-main', 0],
      ['monitoring/prometheus-k8s', 0],
      ['monitoring/prometheus-adapter', 1],
    ]);
    expect(w.disruptionBudgets?.[0].maxUnavailable).toEqual({ value: 1, percent: false });
    expect(w.notes).toContain('warning: PodDisruptionBudget monitoring/alertmanager-main (maxUnavailable 1) selects no pod of the input: Kubernetes accepts it; it protects nothing');
    expect(w.notes).toContain('warnings: 2 PodDisruptionBudgets select no pod');
  });

  it('controllers: five Deployments, node-exporter once per node; emptyDir volumes make grafana and prometheus-adapter unmovable', () => {
    expect(w.controllers?.map((c) => `${c?.kind} ${c?.name}`)).toEqual([
      'Deployment monitoring/blackbox-exporter',
      'Deployment monitoring/grafana',
      'Deployment monitoring/kube-state-metrics',
      ...Array(5).fill('DaemonSet monitoring/node-exporter'),
      'Deployment monitoring/prometheus-adapter',
      'Deployment monitoring/prometheus-operator',
    ]);
    expect(w.controllers?.filter((c) => c?.movable === false).map((c) => c?.name)).toEqual(['monitoring/grafana', 'monitoring/prometheus-adapter']);
    // node-exporter mounts hostPath volumes, but daemon pods never block a node's removal.
    expect(w.controllers?.[3]).toMatchObject({ kind: 'DaemonSet', desired: 1, movable: true, preemptionPolicy: 'PreemptLowerPriority' });
  });
});

describe.skipIf(!present)('the Kubernetes docs examples (k8s-website)', () => {
  const read = (file: string) => readKubernetesManifests(path.join(REAL, 'k8s-website', file), NODES);

  it('controllers/job.yaml: pi, restartPolicy Never, backoffLimit 4, one pod', async () => {
    const w = await read('controllers__job.yaml');
    expect(w.controllers).toEqual([
      { kind: 'Job', name: 'default/pi', namespace: 'default', desired: 1, restartPolicy: 'Never', terminationGracePeriod: 30 * S, preemptionPolicy: 'PreemptLowerPriority', movable: true, backoffLimit: 4, parallelism: 1 },
    ]);
  });

  it('controllers/statefulset.yaml: web, 3 replicas started in order, 10 s grace', async () => {
    const w = await read('controllers__statefulset.yaml');
    expect(w.jobs).toEqual(['StatefulSet/default/web']);
    expect(w.controllers?.[0]).toMatchObject({ kind: 'StatefulSet', desired: 3, orderedReady: true, terminationGracePeriod: 10 * S, restartPolicy: 'Always' });
  });

  it('controllers/daemonset.yaml: fluentd-elasticsearch on every node, 30 s grace', async () => {
    const w = await read('controllers__daemonset.yaml');
    expect(w.jobs).toHaveLength(5);
    expect(new Set(w.controllers?.map((c) => JSON.stringify(c)))).toEqual(
      new Set([JSON.stringify({ kind: 'DaemonSet', name: 'kube-system/fluentd-elasticsearch', namespace: 'kube-system', desired: 1, restartPolicy: 'Always', terminationGracePeriod: 30 * S, preemptionPolicy: 'PreemptLowerPriority', movable: true })]),
    );
    expect(w.daemonPodsFor).toBeDefined();
  });

  it('a bare Pod of the docs: nothing recreates it, so the autoscaler may not move it', async () => {
    const w = await read('pods__pod-with-numeric-toleration.yaml');
    expect(w.controllers?.map((c) => [c?.kind, c?.desired, c?.movable])).toEqual([['Pod', 1, false]]);
  });
});
