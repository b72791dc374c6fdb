import type { Cycle, FilterPlugin, PreFilterStatus } from './plugin.js';

/**
 * Volume plugins (VolumeRestrictions — the legacy NoDiskConflict —, VolumeBinding, VolumeZone,
 * NodeVolumeLimits): schedlab does not model volumes, so these accept every node. They exist so
 * that configurations naming them load; the profile's notes say they are no-ops.
 */
export class NoVolumes implements FilterPlugin {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  preFilter(_cy: Cycle): PreFilterStatus {
    return 'skip';
  }
  filter(_cy: Cycle, _node: number): boolean {
    return true;
  }
}
