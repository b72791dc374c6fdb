import type { Workload } from '../model/workload.js';
import type { Alibaba2018ReadOptions } from './alibaba-2018/reader.js';
import type { AzureReadOptions } from './azure/reader.js';
import type { Google2011ReadOptions } from './google-2011/reader.js';
import type { Google2019ReadOptions } from './google-2019/reader.js';
import type { OnBadRow } from './reader-kit/bad-rows.js';
import type { SwfReadOptions } from './swf/reader.js';

/**
 * Every trace format schedlab reads, behind one interface: how to recognize it and how to read it.
 * The format registry (format-registry.ts) holds them; `readWorkloadFromPath` detects the format
 * (or takes `format`) and calls its reader.
 *
 * Detection returns a confidence in [0, 1] from the folder layout, file names and the first lines;
 * the highest wins (ties: registration order). Detectors never throw: a path that is not theirs is
 * 0. Problems of the input itself (empty file, truncated gzip) are reported before detection.
 */
export interface ReadWorkloadOptions {
  /** Format name instead of auto-detection. */
  format?: string;
  onBadRow?: OnBadRow;
  /** Per-format reader options (the onBadRow above applies to all). */
  google2011?: Google2011ReadOptions;
  google2019?: Google2019ReadOptions;
  alibaba2018?: Alibaba2018ReadOptions;
  azure?: AzureReadOptions;
  swf?: SwfReadOptions;
  /** Options of formats registered later (kubernetes, alibaba-openb, ...), by format name. */
  [format: string]: unknown;
}

export interface TraceFormatEntry {
  name: string;
  describe: string;
  /** Confidence in [0, 1] that `input` is this format (0 = not it). Must not throw. */
  detect(input: string): Promise<number>;
  read(input: string, options: ReadWorkloadOptions): Promise<Workload>;
}
