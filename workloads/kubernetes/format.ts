import { open } from 'node:fs/promises';
import type { TraceFormatEntry } from '../trace-format.js';
import { listManifestFiles } from './manifest-files.js';
import { looksLikeKubernetes } from './detect.js';
import { readKubernetesManifests, type KubernetesReadOptions } from './reader.js';

/** How many bytes of a manifest file detection reads. */
const SNIFF_BYTES = 16 * 1024;
/** How many files of a folder detection looks at before giving up (a first file may hold only comments or values). */
const SNIFF_FILES = 8;

async function sniff(file: string): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

/** Kubernetes manifests in the format registry: a .yaml/.yml/.json file or a folder of them. */
export const kubernetesFormat: TraceFormatEntry = {
  name: 'kubernetes',
  describe: 'Kubernetes manifests (Pods, Deployments, StatefulSets, Jobs, DaemonSets, Nodes; YAML or JSON)',
  async detect(input) {
    try {
      const files = await listManifestFiles(input);
      for (const file of files.slice(0, SNIFF_FILES)) if (looksLikeKubernetes(await sniff(file))) return 0.9;
      return 0;
    } catch {
      return 0;
    }
  },
  read(input, options) {
    const k = (options.kubernetes ?? {}) as KubernetesReadOptions;
    return readKubernetesManifests(input, { ...k, onBadRow: options.onBadRow ?? k.onBadRow });
  },
};
