import type { TraceFormatEntry } from '../trace-format.js';
import { looksLikeOpenb } from './detect.js';
import { readOpenb, type OpenbReadOptions } from './reader.js';

/** Alibaba openb 2023 (GPU sharing) in the format registry: a pod list file or the folder of CSVs. */
export const openbFormat: TraceFormatEntry = {
  name: 'alibaba-openb',
  describe: 'Alibaba cluster-trace-gpu-v2023 "openb": node list + pod list CSVs (GPU sharing)',
  async detect(input) {
    try {
      return looksLikeOpenb(input) ? 0.95 : 0;
    } catch {
      return 0;
    }
  },
  read(input, options) {
    return readOpenb(input, { onBadRow: options.onBadRow, ...((options['alibaba-openb'] ?? {}) as OpenbReadOptions) });
  },
};
