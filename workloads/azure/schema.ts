import { GiB } from '../../model/units.js';

/**
 * Azure Public Dataset VM traces V1 (2017) and V2 (2019): gzip CSV without header
 * (Cortez et al., "Resource Central", SOSP 2017; Azure/AzurePublicDataset AzurePublicDatasetV1.md,
 * AzurePublicDatasetV2.md; ../shared/docs/trace-formats.md §1.4).
 */
export const VMTABLE_FIELDS = [
  'vmid',
  'subscriptionid',
  'deploymentid',
  'vmcreated',
  'vmdeleted',
  'maxcpu',
  'avgcpu',
  'p95maxcpu',
  'vmcategory',
  'vmcorecount',
  'vmmemory',
] as const;

export const VM_CPU_READINGS_FIELDS = ['timestamp', 'vmid', 'mincpu', 'maxcpu', 'avgcpu'] as const;

export const VM_CATEGORIES = ['Delay-insensitive', 'Interactive', 'Unknown'] as const;

/**
 * Spellings of a category that occur in the published data: the V1 vmtable writes `Unkown` (sic)
 * for Unknown (two of the ten rows of the OpenDC excerpt, ../shared/data/README.md). Read as the
 * category they mean and counted.
 */
export const VM_CATEGORY_ALIASES: Readonly<Record<string, (typeof VM_CATEGORIES)[number]>> = { Unkown: 'Unknown' };

/** The category a vmcategory text names (aliases resolved), or undefined. */
export function vmCategory(text: string): (typeof VM_CATEGORIES)[number] | undefined {
  if ((VM_CATEGORIES as readonly string[]).includes(text)) return text as (typeof VM_CATEGORIES)[number];
  return VM_CATEGORY_ALIASES[text];
}

/**
 * V2 publishes sizes as buckets. A bucket label is read as the bucket's upper bound (a VM in
 * bucket "8" has more than 4 and at most 8 cores): the largest size it may have, the safe choice
 * for packing. The open-ended buckets have no bound; the defaults are the next common Azure sizes
 * above them (32 cores; 128 GB) — an assumption, not published. Override with `v2Buckets`.
 */
export const V2_CORE_BUCKETS: Record<string, number> = { '2': 2, '4': 4, '8': 8, '24': 24, '>24': 32 };
export const V2_MEMORY_BUCKETS_GB: Record<string, number> = { '2': 2, '4': 4, '8': 8, '32': 32, '64': 64, '>64': 128 };

/**
 * Upper bounds for a V1 size: above any Azure VM size (the largest, the Mv2 series, have 416
 * vCPUs and 11,400 GiB). A bigger value is a damaged row, not a VM — and unbounded, it would size
 * a host pool of astronomically many machines.
 */
export const MAX_VM_CORES = 1024;
export const MAX_VM_MEMORY_GB = 16_384;

/** Azure's "GB" VM sizes are binary (0.75 GB = 768 MiB): memory bytes = GB × 2^30. */
export const AZURE_GB = GiB;

/** Memory sizes (GB) of V1 that no V2 bucket has: seeing one proves a V1 table. */
export function isV2Memory(text: string): boolean {
  return text in V2_MEMORY_BUCKETS_GB;
}
export function isV2Cores(text: string): boolean {
  return text in V2_CORE_BUCKETS;
}
