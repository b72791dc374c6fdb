import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readKubernetesManifests } from '../workloads/kubernetes/reader.js';
import { InputError, UsageError } from '../model/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-k8s-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NODE = `apiVersion: v1
kind: Node
metadata: {name: n1}
status:
  capacity: {cpu: "4", memory: 16Gi}
`;

/** A Deployment whose single container has the given resources block (YAML, indented 10). */
const deployment = (resources: string, extraSpec = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:${extraSpec}
      containers:
      - name: c
        image: nginx
        resources:
${resources}
`;

let n = 0;
async function readError(yaml: string, name = `case-${n++}.yaml`, withNode = true): Promise<Error> {
  const file = path.join(dir, name);
  writeFileSync(file, withNode ? `${NODE}---\n${yaml}` : yaml);
  try {
    await readKubernetesManifests(file, {});
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the read to fail');
}

/** Line of `needle` in the file as written (1-based), so the tests do not hard-code offsets. */
const lineOf = (yaml: string, needle: string, withNode = true) => {
  const text = withNode ? `${NODE}---\n${yaml}` : yaml;
  return text.slice(0, text.indexOf(needle)).split('\n').length;
};

describe('Kubernetes reader: bad input names file, line, field and what was expected', () => {
  it('an unparseable CPU quantity', async () => {
    const y = deployment('          requests: {cpu: "1.5 cores", memory: 1Gi}');
    const e = await readError(y, 'bad-cpu.yaml');
    expect(e).toBeInstanceOf(InputError);
    const ie = e as InputError;
    expect(ie.file).toMatch(/bad-cpu\.yaml$/);
    expect(ie.line).toBe(lineOf(y, '1.5 cores'));
    expect(ie.field).toBe('spec.template.spec.containers[0].resources.requests.cpu');
    expect(ie.message).toContain('bad-cpu.yaml line');
    expect(ie.message).toContain('expected a Kubernetes quantity');
    expect(ie.message).toContain('got "1.5 cores"');
  });

  it('a negative memory limit', async () => {
    const y = deployment('          limits:\n            memory: -1Gi');
    const e = (await readError(y)) as InputError;
    expect(e.field).toBe('spec.template.spec.containers[0].resources.limits.memory');
    expect(e.line).toBe(lineOf(y, '-1Gi'));
    expect(e.message).toContain('non-negative');
  });

  it('a request above its limit', async () => {
    const e = (await readError(deployment('          requests: {cpu: "2"}\n          limits: {cpu: "1"}'))) as InputError;
    expect(e.field).toBe('spec.template.spec.containers[0].resources.requests.cpu');
    expect(e.message).toContain('no larger than the limit');
  });

  it('a fractional GPU count', async () => {
    const e = (await readError(deployment('          limits: {nvidia.com/gpu: 0.5}'))) as InputError;
    expect(e.field).toBe('spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"]');
    expect(e.message).toContain('a whole number of nvidia.com/gpu');
  });

  it('a priority class that is not defined anywhere', async () => {
    const y = deployment('          requests: {cpu: 1}', '\n      priorityClassName: gold');
    const e = (await readError(y, 'missing-class.yaml')) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.field).toBe('spec.template.spec.priorityClassName');
    expect(e.line).toBe(lineOf(y, 'priorityClassName'));
    expect(e.message).toContain('PriorityClass "gold" is not defined');
    expect(e.message).toContain('system-node-critical');
  });

  it('two globalDefault priority classes', async () => {
    const pc = (name: string) => `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: ${name}}\nvalue: 5\nglobalDefault: true\n`;
    const e = (await readError(`${pc('a')}---\n${pc('b')}`)) as InputError;
    expect(e.message).toContain('two PriorityClasses are globalDefault: a and b');
  });

  it('a spec.priority that disagrees with the class', async () => {
    const e = (await readError(deployment('          requests: {cpu: 1}', '\n      priorityClassName: system-cluster-critical\n      priority: 7'))) as InputError;
    expect(e.field).toBe('spec.template.spec.priority');
    expect(e.message).toContain('disagrees with PriorityClass system-cluster-critical');
  });

  it('a replica count that is not an integer', async () => {
    const y = deployment('          requests: {cpu: 1}').replace('replicas: 2', 'replicas: three');
    const e = (await readError(y)) as InputError;
    expect(e.field).toBe('spec.replicas');
    expect(e.line).toBe(lineOf(y, 'replicas: three'));
    expect(e.message).toContain('expected an integer 0–10000000, got "three"');
  });

  it('invalid YAML', async () => {
    const y = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n';
    const e = (await readError(y, 'broken.yaml', false)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/broken\.yaml line \d+: not valid YAML\/JSON/);
  });

  it('invalid JSON', async () => {
    const e = (await readError('{"apiVersion": "v1", "kind": "Pod",, }', 'broken.json', false)) as InputError;
    expect(e.message).toMatch(/broken\.json line 1: not valid YAML\/JSON/);
  });

  it('a document that is not a Kubernetes object', async () => {
    const e = (await readError('replicaCount: 3\nimage: nginx\n', 'values.yaml', false)) as InputError;
    expect(e.field).toBe('kind');
    expect(e.message).toContain('expected a Kubernetes kind');
  });

  it('a Node without capacity, inside a kubectl List', async () => {
    const y = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata: {name: n1}\n  status:\n    allocatable: {cpu: "1"}\n';
    const e = (await readError(y, 'nodes.yaml', false)) as InputError;
    expect(e.field).toBe('items[0].status.capacity.cpu');
    expect(e.line).toBe(7); // the nearest existing parent: status
    expect(e.message).toContain("the node's cpu capacity");
  });

  it('an unknown toleration operator and an unknown node-affinity operator', async () => {
    const tol = (await readError(deployment('          requests: {cpu: 1}', '\n      tolerations:\n      - {key: a, operator: Equals, value: b}'))) as InputError;
    expect(tol.field).toBe('spec.template.spec.tolerations[0].operator');
    expect(tol.message).toContain('expected one of Exists, Equal, Gt, Lt, got "Equals"');
    const aff = (await readError(
      deployment(
        '          requests: {cpu: 1}',
        '\n      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - {key: zone, operator: Within, values: [a]}',
      ),
    )) as InputError;
    expect(aff.field).toBe('spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator');
  });

  it('the same object twice', async () => {
    const d = deployment('          requests: {cpu: 1}');
    const e = (await readError(`${d}---\n${d}`)) as InputError;
    expect(e.message).toContain('Deployment default/web is defined twice');
  });

  it('a bad duration annotation', async () => {
    const y = deployment('          requests: {cpu: 1}').replace('  name: web\n', '  name: web\n  annotations:\n    schedlab.io/duration-seconds: "ten minutes"\n');
    const e = (await readError(y)) as InputError;
    expect(e.field).toBe('metadata.annotations["schedlab.io/duration-seconds"]');
    expect(e.message).toContain('a positive number of seconds');
  });

  it('a pod without containers', async () => {
    const e = (await readError('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n')) as InputError;
    expect(e.field).toBe('spec.containers');
    expect(e.message).toContain('at least one container');
  });

  it('no Node objects and no node count: a usage error naming the options', async () => {
    const e = await readError('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n', 'no-nodes.yaml', false);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toContain('--nodes');
  });

  it('a path that does not exist', async () => {
    await expect(readKubernetesManifests(path.join(dir, 'nope'), {})).rejects.toThrow(/no such file or folder/);
  });
});
