import { NodeFlag } from './node-facts.js';
import type { Cycle, ScorePlugin } from './plugin.js';
import { MAX_NODE_SCORE } from './plugin.js';

const MB = 1024 * 1024;
/** kube's thresholds (imagelocality/image_locality.go): below 23 MB scores 0, 1000 MB per container scores 100. */
export const IMAGE_MIN_THRESHOLD = 23 * MB;
export const IMAGE_MAX_CONTAINER_THRESHOLD = 1000 * MB;

/**
 * ImageLocality (pkg/scheduler/framework/plugins/imagelocality): favours nodes that already hold
 * the pod's images. Each container (init containers included) whose image the node holds counts
 * the image's size × (nodes holding it / all nodes) — the spread factor keeps pods from piling onto
 * the one node that pulled an image first ("node heating") — and the sum is clamped to
 * [23 MB, 1000 MB × containers] and scaled linearly to 0–100 (integer division).
 */
export class ImageLocality implements ScorePlugin {
  readonly name = 'ImageLocality';
  private spread: number[] = [];

  preScore(cy: Cycle): number | undefined {
    const imgs = cy.pod.images;
    if (imgs.length === 0 || (cy.shared.facts.anyFlags & NodeFlag.Images) === 0) return 0;
    const total = cy.cluster.upCount;
    this.spread = imgs.map((im) => cy.shared.facts.imageNodeCount(im, cy.cluster) / Math.max(1, total));
    return undefined;
  }

  scoreNodes(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void {
    for (let i = 0; i < count; i++) out[i] = this.score(cy, nodes[i]);
  }

  score(cy: Cycle, node: number): number {
    const facts = cy.shared.facts;
    const imgs = cy.pod.images;
    let sum = 0;
    for (let i = 0; i < imgs.length; i++) {
      const size = facts.imageSize(node, imgs[i]);
      if (size !== undefined) sum += Math.trunc(size * this.spread[i]);
    }
    const max = IMAGE_MAX_CONTAINER_THRESHOLD * imgs.length;
    if (sum < IMAGE_MIN_THRESHOLD) sum = IMAGE_MIN_THRESHOLD;
    else if (sum > max) sum = max;
    return Math.trunc((MAX_NODE_SCORE * (sum - IMAGE_MIN_THRESHOLD)) / (max - IMAGE_MIN_THRESHOLD));
  }
}
