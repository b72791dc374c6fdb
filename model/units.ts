/**
 * Units shared across the model. Time is integer microseconds everywhere (the Google traces'
 * unit); memory is bytes, with binary multiples for the sizes sources state in MiB and GiB.
 */
export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

export const US_PER_SECOND = 1_000_000;
export const US_PER_HOUR = 3_600 * US_PER_SECOND;
