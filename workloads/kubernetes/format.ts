import { open } from 'node:fs/promises';
import type { TraceFormatEntry } from '../format-registry.js';
import { listManifestFiles } from './manifest-files.js';
import { looksLikeKubernetes } from './detect.js';
import { readKubernetesManifests, type KubernetesReadOptions } from './reader.js';

/** How many bytes of the first manifest file detection reads. */
const SNIFF_BYTES = 16 * 1024;

/** Kubernetes manifests in the format registry: a .yaml/.yml/.json file or a folder of them. */
export const kubernetesFormat: TraceFormatEntry = {
  name: 'kubernetes',
  describe: 'Kubernetes manifests (Pods, Deployments, StatefulSets, Jobs, DaemonSets, Nodes; YAML or JSON)',
  async detect(input) {
    try {
      const files = await listManifestFiles(input);
      if (files.length === 0) return 0;
      const fh = await open(files[0], 'r');
      try {
        const buf = Buffer.alloc(SNIFF_BYTES);
        const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
        return looksLikeKubernetes(buf.subarray(0, bytesRead).toString('utf8')) ? 0.9 : 0;
      } finally {
        await fh.close();
      }
    } catch {
      return 0;
    }
  },
  read(input, options) {
    return readKubernetesManifests(input, (options.kubernetes ?? {}) as KubernetesReadOptions);
  },
};
