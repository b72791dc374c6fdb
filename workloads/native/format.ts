import type { TraceFormatEntry } from '../trace-format.js';
import { looksLikeNative, readNativeWorkload } from './reader.js';

/** schedlab's own columnar file (`schedlab trace convert`) in the format registry. */
export const nativeFormat: TraceFormatEntry = {
  name: 'native',
  describe: "schedlab's columnar Arrow file written by `schedlab trace convert` (.schedlab.arrow)",
  async detect(input) {
    return (await looksLikeNative(input)) ? 1 : 0;
  },
  read(input) {
    return readNativeWorkload(input);
  },
};
