/** The usual file name ending of schedlab's native columnar file. */
export const NATIVE_EXTENSION = '.schedlab.arrow';
