import { describe, expect, it } from 'vitest';
import { NodePorts } from '../../algorithms/kubernetes/node-ports.js';
import type { HostPort } from '../../model/placement-constraints.js';
import { KubeHarness, schema } from './helpers/kube-harness.js';

/**
 * Conformance with upstream kube-scheduler: pkg/scheduler/framework/plugins/nodeports/node_ports_test.go
 * (kubernetes/kubernetes @ 27214b84), TestNodePorts. Host ports are written as upstream's newPod
 * does, "PROTOCOL/hostIP/port"; a conflict needs the same protocol and port, and the same host IP
 * or 0.0.0.0 on either side.
 * Not ported: TestPreFilterDisabled (framework wiring), TestGetContainerPorts (container-spec
 * plumbing, done by the manifest reader), Test_isSchedulableAfterPodDeleted (queueing hints).
 */
const ports = (...specs: string[]): HostPort[] =>
  specs.map((s) => {
    const [protocol, hostIP, port] = s.split('/');
    return { protocol: protocol as HostPort['protocol'], hostIP, port: Number(port) };
  });

function check(pod: string[], existing: string[]): { preFilter: string; fits: boolean } {
  const h = new KubeHarness(schema('cpu', 'memory'), [{ name: 'm1' }], existing.length > 0 ? [{ node: 'm1', constraints: { hostPorts: ports(...existing) } }] : []);
  const r = h.filter(new NodePorts(), { constraints: pod.length > 0 ? { hostPorts: ports(...pod) } : undefined });
  return { preFilter: r.preFilter, fits: r.nodes.m1 };
}

describe('nodeports/node_ports_test.go TestNodePorts', () => {
  it('skip filter', () => {
    expect(check([], []).preFilter).toBe('skip');
  });
  const cases: Array<[string, string[], string[], boolean]> = [
    ['other port', ['UDP/127.0.0.1/8080'], ['UDP/127.0.0.1/9090'], true],
    ['same udp port', ['UDP/127.0.0.1/8080'], ['UDP/127.0.0.1/8080'], false],
    ['same tcp port', ['TCP/127.0.0.1/8080'], ['TCP/127.0.0.1/8080'], false],
    ['different host ip', ['TCP/127.0.0.1/8080'], ['TCP/127.0.0.2/8080'], true],
    ['different protocol', ['UDP/127.0.0.1/8080'], ['TCP/127.0.0.1/8080'], true],
    ['second udp port conflict', ['UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'], ['UDP/127.0.0.1/8080'], false],
    ['first tcp port conflict', ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'], ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081'], false],
    ['first tcp port conflict due to 0.0.0.0 hostIP', ['TCP/0.0.0.0/8001'], ['TCP/127.0.0.1/8001'], false],
    ['TCP hostPort conflict due to 0.0.0.0 hostIP', ['TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'], ['TCP/127.0.0.1/8001'], false],
    ['second tcp port conflict to 0.0.0.0 hostIP', ['TCP/127.0.0.1/8001'], ['TCP/0.0.0.0/8001'], false],
    ['second different protocol', ['UDP/127.0.0.1/8001'], ['TCP/0.0.0.0/8001'], true],
    ['UDP hostPort conflict due to 0.0.0.0 hostIP', ['UDP/127.0.0.1/8001'], ['TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001'], false],
  ];
  for (const [name, pod, existing, fits] of cases) {
    it(name, () => {
      const r = check(pod, existing);
      expect(r.preFilter).toBe('active');
      expect(r.fits).toBe(fits);
    });
  }
});
