/**
 * Borg's priority bands, as the Google traces number them (../shared/docs/models.md § Borg,
 * ../shared/docs/trace-formats.md): in the 2011 trace priorities are 0–11, larger = more important,
 * 0–1 "free" and 9–11 "production". Production work is admitted by its limits; the rest by its
 * reservation.
 */

/** Lowest priority of the 2011 production band (9–11). */
export const PRODUCTION_PRIORITY = 9;
