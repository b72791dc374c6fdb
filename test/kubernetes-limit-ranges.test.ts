import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readKubernetesManifests, type KubernetesReadOptions } from '../workloads/kubernetes/reader.js';
import { InputError } from '../model/errors.js';
import type { Workload } from '../model/workload.js';
import { GiB, MiB } from '../model/units.js';

/**
 * LimitRanges in the Kubernetes reader, as the LimitRanger admission plugin applies them
 * (plugin/pkg/admission/limitranger): the object's defaulting (SetDefaults_LimitRangeItem) and
 * validation, container defaults filled before requests, limits and QoS are computed, then
 * min / max / maxLimitRequestRatio per container and per pod; a rejected pod is never created and
 * is counted by reason. Expected messages are upstream's texts.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-k8s-lr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SHAPE: KubernetesReadOptions = { nodes: 2, nodeShape: { cpuMillicores: 8000, memoryBytes: 32 * GiB }, instanceType: 'm5.2xlarge' };

let n = 0;
async function read(yaml: string): Promise<Workload> {
  const file = path.join(dir, `l${n++}.yaml`);
  writeFileSync(file, yaml);
  return readKubernetesManifests(file, SHAPE);
}
const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
};

/** Per job: the first pod's cpu/memory request and limit, and its QoS class. */
async function podsOf(w: Workload) {
  const out: Record<string, { request: number[]; limit: number[]; qos: string | undefined }> = {};
  const D = w.resources.names.length;
  for await (const b of w.taskBatches()) {
    for (let i = 0; i < b.count; i++) {
      const job = w.jobs[b.job[i]];
      out[job] ??= { request: Array.from(b.request.subarray(i * D, i * D + 2)), limit: Array.from(b.limit.subarray(i * D, i * D + 2)), qos: w.jobConstraints?.[b.job[i]]?.qos };
    }
  }
  return out;
}

const limitRange = (name: string, limits: string, ns = 'team') => `apiVersion: v1
kind: LimitRange
metadata: {name: ${name}, namespace: ${ns}}
spec:
  limits:
${limits}
---
`;
const pod = (name: string, resources: string, ns = 'team', extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}}
spec:
${extra}  containers:
  - name: app
    image: app
${resources ? `    resources: ${resources}\n` : ''}---
`;

describe('defaults filled into containers before requests, limits and QoS', async () => {
  const w = await read(
    limitRange('defaults', '  - type: Container\n    default: {cpu: 500m, memory: 512Mi}\n    defaultRequest: {cpu: 100m}') +
      pod('bare', '') +
      pod('limited', '{limits: {cpu: "1"}}') +
      pod('requested', '{requests: {memory: 256Mi}}') +
      pod('elsewhere', '', 'other'),
  );
  const p = await podsOf(w);

  it('nothing stated: default limits, defaultRequest (memory defaulting to the default limit); the pod becomes Burstable', () => {
    expect(p['Pod/team/bare']).toEqual({ request: [100, 512 * MiB], limit: [500, 512 * MiB], qos: 'Burstable' });
  });

  it("a stated limit already set its request (the API server's defaulting runs first); only the rest is defaulted", () => {
    // cpu 1/1 as stated; memory gets the default limit and the equal default request: Guaranteed.
    expect(p['Pod/team/limited']).toEqual({ request: [1000, 512 * MiB], limit: [1000, 512 * MiB], qos: 'Guaranteed' });
    expect(p['Pod/team/requested']).toEqual({ request: [100, 256 * MiB], limit: [500, 512 * MiB], qos: 'Burstable' });
  });

  it('other namespaces are untouched', () => {
    expect(p['Pod/other/elsewhere']).toEqual({ request: [NaN, NaN], limit: [NaN, NaN], qos: 'BestEffort' });
    expect(w.admissionRejections).toEqual({});
    expect(w.notes).toContain('LimitRanges: 1 (team/defaults), applied at admission: 3 objects given container defaults, 0 pods rejected (never created)');
  });

  it("the LimitRange's own defaulting: default from max, defaultRequest from default or else min", async () => {
    const d = await read(limitRange('bounds', '  - type: Container\n    max: {cpu: "2"}\n    min: {memory: 64Mi}') + pod('x', ''));
    // cpu: default = max = 2, defaultRequest = default = 2; memory: defaultRequest = min, no default limit.
    expect((await podsOf(d))['Pod/team/x']).toEqual({ request: [2000, 64 * MiB], limit: [2000, NaN], qos: 'Burstable' });
  });

  it('defaults equal to the requests make a Guaranteed pod', async () => {
    const d = await read(limitRange('g', '  - type: Container\n    default: {cpu: "1", memory: 1Gi}\n    defaultRequest: {cpu: "1", memory: 1Gi}') + pod('x', ''));
    expect((await podsOf(d))['Pod/team/x'].qos).toBe('Guaranteed');
  });

  it('several LimitRanges in one namespace: the first in input order gives a default', async () => {
    const d = await read(limitRange('a', '  - type: Container\n    default: {cpu: 300m}') + limitRange('b', '  - type: Container\n    default: {cpu: 700m, memory: 1Gi}') + pod('x', ''));
    expect((await podsOf(d))['Pod/team/x'].limit).toEqual([300, GiB]);
  });
});

describe('pods admission rejects: never created, counted by reason', () => {
  const rejected = async (limits: string, pods: string) => {
    const w = await read(limitRange('limits', limits) + pods);
    return { w, reasons: w.admissionRejections! };
  };

  it('a container limit over max: each replica of a Deployment is rejected, none is created', async () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: big, namespace: team}
spec:
  replicas: 3
  template:
    spec:
      containers: [{name: app, image: app, resources: {limits: {cpu: "4"}}}]
---
`;
    const { w, reasons } = await rejected('  - type: Container\n    max: {cpu: "2"}', deployment + pod('small', '{limits: {cpu: "1"}}'));
    expect(reasons).toEqual({ 'LimitRange team/limits: maximum cpu usage per Container is 2, but limit is 4': 3 });
    expect(w.jobs).toEqual(['Pod/team/small']);
    expect(w.notes).toContain('admission rejected 3 pods: LimitRange team/limits: maximum cpu usage per Container is 2, but limit is 4');
  });

  it.each([
    ['a request under min', '  - type: Container\n    min: {memory: 64Mi}', '{requests: {memory: 32Mi}}', 'minimum memory usage per Container is 64Mi, but request is 32Mi'],
    ['within the bounds: admitted', '  - type: Container\n    min: {cpu: 200m}\n    defaultRequest: {cpu: 200m}', '{requests: {cpu: 300m}, limits: {cpu: 300m}}', null],
    ['a limit to request ratio over the bound', '  - type: Container\n    maxLimitRequestRatio: {cpu: "2"}', '{requests: {cpu: 100m}, limits: {cpu: "1"}}', 'cpu max limit to request ratio per Container is 2, but provided ratio is 10.000000'],
    ['a ratio bound without a limit', '  - type: Container\n    maxLimitRequestRatio: {memory: "1.5"}', '{requests: {memory: 1Gi}}', 'memory max limit to request ratio per Container is 1.5, but no limit is specified or limit is 0'],
    ['a Pod maximum without limits', '  - type: Pod\n    max: {cpu: "1"}', '{requests: {cpu: 100m}}', 'maximum cpu usage per Pod is 1.  No limit is specified'],
  ])('%s', async (_what, limits, resources, reason) => {
    const { reasons } = await rejected(limits, pod('p', resources));
    expect(reasons).toEqual(reason === null ? {} : { [`LimitRange team/limits: ${reason}`]: 1 });
  });

  it('the Pod type bounds the sum of the containers (and init containers as a floor)', async () => {
    const twoContainers = `apiVersion: v1
kind: Pod
metadata: {name: two, namespace: team}
spec:
  containers:
  - {name: a, image: a, resources: {limits: {cpu: 600m, memory: 1Gi}}}
  - {name: b, image: b, resources: {limits: {cpu: 600m, memory: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: init, namespace: team}
spec:
  initContainers:
  - {name: warm, image: w, resources: {limits: {cpu: 1500m, memory: 256Mi}}}
  containers:
  - {name: a, image: a, resources: {limits: {cpu: 500m, memory: 256Mi}}}
---
`;
    const { reasons } = await rejected('  - type: Pod\n    max: {cpu: "1", memory: 4Gi}', twoContainers);
    expect(reasons).toEqual({
      'LimitRange team/limits: maximum cpu usage per Pod is 1, but limit is 1200m': 1,
      'LimitRange team/limits: maximum cpu usage per Pod is 1, but limit is 1500m': 1,
    });
  });

  it('init containers are bounded per container too', async () => {
    const withInit = pod('p', '{limits: {cpu: 500m}}', 'team', '  initContainers:\n  - {name: setup, image: s, resources: {limits: {cpu: "3"}}}\n');
    const { reasons } = await rejected('  - type: Container\n    max: {cpu: "2"}', withInit);
    expect(reasons).toEqual({ 'LimitRange team/limits: maximum cpu usage per Container is 2, but limit is 3': 1 });
  });

  it('a default limit below a stated request makes the pod invalid (requests must not exceed limits)', async () => {
    const { reasons } = await rejected('  - type: Container\n    default: {cpu: 500m}', pod('p', '{requests: {cpu: "1"}}'));
    expect(reasons).toEqual({
      'pod invalid after LimitRange defaults (team/limits): container app: requests.cpu: Invalid value: "1": must be less than or equal to cpu limit of 500m': 1,
    });
  });

  it('every violation of the pod is in its reason', async () => {
    const { reasons } = await rejected('  - type: Container\n    max: {cpu: "1", memory: 1Gi}', pod('p', '{limits: {cpu: "2", memory: 2Gi}}'));
    expect(Object.keys(reasons)).toEqual(['LimitRange team/limits: maximum cpu usage per Container is 1, but limit is 2; maximum memory usage per Container is 1Gi, but limit is 2Gi']);
  });

  it('constraints on resources the reader does not model are noted, not checked', async () => {
    const { w, reasons } = await rejected('  - type: Container\n    max: {ephemeral-storage: 1Gi}\n  - type: PersistentVolumeClaim\n    max: {storage: 10Gi}', pod('p', ''));
    expect(reasons).toEqual({});
    expect(w.notes).toContain('LimitRange team/limits: constraints on ephemeral-storage are not modeled (not checked on pods)');
    expect(w.notes).toContain('LimitRange team/limits: PersistentVolumeClaim limits do not apply to pods (not modeled)');
  });
});

describe('LimitRanges the API server rejects', () => {
  it.each([
    ['min over max', '  - type: Container\n    min: {cpu: "2"}\n    max: {cpu: "1"}', /\(spec\.limits\[0\]\.min\.cpu\): min value 2 is greater than max value 1$/],
    ['defaultRequest over default', '  - type: Container\n    default: {cpu: 100m}\n    defaultRequest: {cpu: 200m}', /\(spec\.limits\[0\]\.defaultRequest\.cpu\): default request value 200m is greater than default limit value 100m$/],
    // defaultRequest takes the default first, and upstream checks it against max before the default.
    ['default over max', '  - type: Container\n    default: {memory: 2Gi}\n    max: {memory: 1Gi}', /\(spec\.limits\[0\]\.defaultRequest\.memory\): default request value 2Gi is greater than max value 1Gi$/],
    ['default over max, with a default request', '  - type: Container\n    default: {memory: 2Gi}\n    defaultRequest: {memory: 1Gi}\n    max: {memory: 1Gi}', /\(spec\.limits\[0\]\.default\.memory\): default value 2Gi is greater than max value 1Gi$/],
    ['a ratio under 1', '  - type: Container\n    maxLimitRequestRatio: {cpu: 500m}', /\(spec\.limits\[0\]\.maxLimitRequestRatio\.cpu\): ratio 500m is less than 1$/],
    ['defaults on the Pod type', '  - type: Pod\n    default: {cpu: "1"}', /\(spec\.limits\[0\]\.default\): may not be specified when `type` is 'Pod'$/],
    ['two items of one type', '  - type: Container\n    max: {cpu: "1"}\n  - type: Container\n    max: {cpu: "2"}', /\(spec\.limits\[1\]\.type\): Duplicate value: "Container" \(one item per type\)$/],
    ['an unknown type', '  - type: Node\n    max: {cpu: "1"}', /\(spec\.limits\[0\]\.type\): expected a limit type: Container, Pod, PersistentVolumeClaim \(or a fully qualified custom type\), got "Node"$/],
    ['a resource that is not a container resource', '  - type: Container\n    max: {pods: "1"}', /\(spec\.limits\[0\]\.max\.pods\): expected a container resource/],
    ['a GPU default different from its request', '  - type: Container\n    default: {nvidia.com/gpu: "2"}\n    defaultRequest: {nvidia.com/gpu: "1"}', /default value 2 must equal to defaultRequest value 1 in nvidia\.com\/gpu$/],
  ])('%s', async (_what, limits, message) => {
    const e = await errorOf(read(limitRange('bad', limits)));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/^\S+l\d+\.yaml line \d+ /);
  });
});
