/** The Kubernetes manifests reader: the public entry points. */
export { readKubernetesManifests, DEFAULT_HORIZON_SECONDS, type KubernetesReadOptions } from './reader.js';
export { looksLikeKubernetes } from './detect.js';
export { KUBERNETES_RESOURCES } from './resources.js';
export { DURATION_ANNOTATION } from './durations.js';
export type { NodeShape } from './nodes.js';
