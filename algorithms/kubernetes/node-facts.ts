import type { ClusterView } from '../../model/cluster-view.js';
import type { MachineSpec } from '../../model/machine.js';
import { normalizedImageName } from './pod-info.js';

/** Per-node bits that let filters skip nodes with nothing to check. */
export const NodeFlag = {
  Unschedulable: 1,
  /** Has NoSchedule or NoExecute taints. */
  HardTaints: 2,
  /** Has PreferNoSchedule taints. */
  SoftTaints: 4,
  MemoryPressure: 8,
  DiskPressure: 16,
  PidPressure: 32,
  Images: 64,
} as const;

/**
 * Derived facts about the cluster's nodes (flags, ids, image index), refreshed when the node set
 * changes. The policy interface has no node add/remove hook, so `sync` compares the node and up
 * counts, then only the specs whose object changed (one pointer comparison per node); the
 * simulator replaces a node's MachineSpec object when a machine comes back.
 */
export class NodeFacts {
  flags = new Uint8Array(0);
  /** OR of the flags of all up nodes: a filter whose bit is absent has nothing to do. */
  anyFlags = 0;
  /** Bumped whenever any node fact changed: caches keyed on it are then rebuilt. */
  generation = 0;
  private specs: Array<MachineSpec | undefined> = [];
  private seenNodes = -1;
  private seenUp = -1;
  private readonly byId = new Map<string, number>();
  private images: Array<Map<string, number> | undefined> = [];
  private imageNodes = new Map<string, number>();
  private imageGeneration = -1;

  sync(cluster: ClusterView): void {
    if (cluster.nodeCount === this.seenNodes && cluster.upCount === this.seenUp) return;
    this.rescan(cluster);
  }

  /** Full comparison (used by sync and by tests that mutate specs in place). */
  rescan(cluster: ClusterView): void {
    const n = cluster.nodeCount;
    if (this.flags.length < n) {
      const f = new Uint8Array(Math.max(n, this.flags.length * 2));
      f.set(this.flags);
      this.flags = f;
    }
    let any = 0;
    for (let node = 0; node < n; node++) {
      const spec = cluster.specs[node];
      if (spec !== this.specs[node]) this.refresh(node, spec, cluster.ids[node]);
      if (cluster.up[node]) any |= this.flags[node];
    }
    this.anyFlags = any;
    this.seenNodes = n;
    this.seenUp = cluster.upCount;
    this.generation++;
  }

  private refresh(node: number, spec: MachineSpec | undefined, id: string): void {
    this.specs[node] = spec;
    this.byId.set(id, node);
    let f = 0;
    if (spec?.unschedulable) f |= NodeFlag.Unschedulable;
    for (const t of spec?.taints ?? []) f |= t.effect === 'PreferNoSchedule' ? NodeFlag.SoftTaints : NodeFlag.HardTaints;
    if (spec?.conditions?.memoryPressure) f |= NodeFlag.MemoryPressure;
    if (spec?.conditions?.diskPressure) f |= NodeFlag.DiskPressure;
    if (spec?.conditions?.pidPressure) f |= NodeFlag.PidPressure;
    let imgs: Map<string, number> | undefined;
    if (spec?.images && spec.images.length > 0) {
      f |= NodeFlag.Images;
      imgs = new Map();
      for (const im of spec.images) for (const name of im.names) imgs.set(normalizedImageName(name), im.sizeBytes);
    }
    this.images[node] = imgs;
    this.flags[node] = f;
  }

  spec(node: number): MachineSpec | undefined {
    return this.specs[node];
  }

  nodeById(id: string): number | undefined {
    return this.byId.get(id);
  }

  /** Size of a (normalized) image on a node, or undefined when absent. */
  imageSize(node: number, image: string): number | undefined {
    return this.images[node]?.get(image);
  }

  /** Number of up nodes holding an image (kube's ImageStateSummary.NumNodes). */
  imageNodeCount(image: string, cluster: ClusterView): number {
    if (this.imageGeneration !== this.generation) {
      this.imageNodes = new Map();
      for (let node = 0; node < cluster.nodeCount; node++) {
        const m = this.images[node];
        if (!m || !cluster.up[node]) continue;
        for (const name of m.keys()) this.imageNodes.set(name, (this.imageNodes.get(name) ?? 0) + 1);
      }
      this.imageGeneration = this.generation;
    }
    return this.imageNodes.get(image) ?? 0;
  }
}
