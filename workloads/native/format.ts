import type { TraceFormatEntry } from '../trace-format.js';

/** schedlab's own columnar file (`schedlab trace convert`) in the format registry. */
export const nativeFormat: TraceFormatEntry = {
  name: 'native',
  describe: "schedlab's columnar Arrow file written by `schedlab trace convert` (.schedlab.arrow)",
  // The reader (and apache-arrow with it) loads only when a native file is detected or read: every
  // command would otherwise pay its load at start-up.
  async detect(input) {
    const { looksLikeNative } = await import('./reader.js');
    return (await looksLikeNative(input)) ? 1 : 0;
  },
  async read(input) {
    const { readNativeWorkload } = await import('./reader.js');
    return readNativeWorkload(input);
  },
};
