import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ImageLocality } from '../../algorithms/kubernetes/image-locality.js';
import { normalizedImageName } from '../../algorithms/kubernetes/pod-info.js';
import { KubeHarness, Mi, schema, type NodeDef } from './helpers/kube-harness.js';

/**
 * Conformance with upstream kube-scheduler:
 * pkg/scheduler/framework/plugins/imagelocality/image_locality_test.go (kubernetes/kubernetes, the
 * version with runtime.NewFramework and internal/cache, v1.30 era), TestImageLocalityPriority and
 * TestNormalizedImageName. A pod lists one image per container (init containers included); Score
 * only, as upstream calls it (the plugin has no NormalizeScore).
 */
const img = (names: string[], sizeMb: number) => ({ names, sizeBytes: sizeMb * Mi });
const node403002000 = [img(['gcr.io/40:latest', 'gcr.io/40:v1', 'gcr.io/40:v1'], 40), img(['gcr.io/300:latest', 'gcr.io/300:v1'], 300), img(['gcr.io/2000:latest'], 2000)];
const node25010 = [img(['gcr.io/250:latest'], 250), img(['gcr.io/10:latest', 'gcr.io/10:v1'], 10)];
const node60040900 = [img(['gcr.io/600:latest'], 600), img(['gcr.io/40:latest'], 40), img(['gcr.io/900:latest'], 900)];
const node300600900 = [img(['gcr.io/300:latest'], 300), img(['gcr.io/600:latest'], 600), img(['gcr.io/900:latest'], 900)];
const node400030 = [img(['gcr.io/4000:latest'], 4000), img(['gcr.io/30:latest'], 30)];
const node203040 = [img(['gcr.io/20:latest'], 20), img(['gcr.io/30:latest'], 30), img(['gcr.io/40:latest'], 40)];

function scores(pod: string[], nodes: Array<[string, NodeDef['images']]>): Record<string, number> {
  const h = new KubeHarness(schema('cpu', 'memory'), nodes.map(([name, images]) => ({ name, images })));
  return h.score(new ImageLocality(), { constraints: { images: pod } }, { normalize: false }).scores;
}

describe('imagelocality/image_locality_test.go TestImageLocalityPriority', () => {
  it('two images spread on two nodes, prefer the larger image one', () => {
    // node2: 250 MB · 1/2 − 23 MB over 2000 MB − 23 MB → 5
    expect(scores(['gcr.io/40', 'gcr.io/250'], [['node1', node403002000], ['node2', node25010]])).toEqual({ node1: 0, node2: 5 });
  });
  it('two images on one node, prefer this node', () => {
    expect(scores(['gcr.io/40', 'gcr.io/300'], [['node1', node403002000], ['node2', node25010]])).toEqual({ node1: 7, node2: 0 });
  });
  it('if exceed limit, use limit', () => {
    expect(scores(['gcr.io/10', 'gcr.io/4000'], [['node1', node400030], ['node2', node25010]])).toEqual({ node1: 100, node2: 0 });
  });
  it('if exceed limit, use limit (with node which has no images present)', () => {
    expect(scores(['gcr.io/10', 'gcr.io/4000'], [['node1', node400030], ['node2', node25010], ['node3', undefined]])).toEqual({ node1: 66, node2: 0, node3: 0 });
  });
  it('pod with multiple large images, node2 is preferred', () => {
    expect(scores(['gcr.io/300', 'gcr.io/600', 'gcr.io/900'], [['node1', node60040900], ['node2', node300600900], ['node3', undefined]])).toEqual({ node1: 32, node2: 36, node3: 0 });
  });
  it('pod with multiple small images', () => {
    expect(scores(['gcr.io/30', 'gcr.io/40'], [['node1', node203040], ['node2', node400030]])).toEqual({ node1: 1, node2: 0 });
  });
  it('include InitContainers: two images spread on two nodes, prefer the larger image one', () => {
    // containers gcr.io/30, init container gcr.io/300: two containers
    expect(scores(['gcr.io/30', 'gcr.io/300'], [['node1', node403002000], ['node2', node203040]])).toEqual({ node1: 6, node2: 0 });
  });
});

describe('imagelocality/image_locality_test.go TestNormalizedImageName', () => {
  const digest = 'sha256:' + createHash('sha256').update('root').digest('hex');
  it.each([
    ['add :latest postfix 1', 'root', 'root:latest'],
    ['add :latest postfix 2', 'gcr.io:5000/root', 'gcr.io:5000/root:latest'],
    ['keep it as is 1', 'root:tag', 'root:tag'],
    ['keep it as is 2', `root@${digest}`, `root@${digest}`],
  ])('%s', (_name, input, output) => {
    expect(normalizedImageName(input)).toBe(output);
  });
});
