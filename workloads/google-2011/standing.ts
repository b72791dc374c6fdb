import { EventType } from './schema.js';

/**
 * A task of a mid-trace slice first seen with a non-SUBMIT row was there at the window start
 * (reader-kit/window-start.ts). Was it running then? Yes when that row is UPDATE_RUNNING, or an
 * end (EVICT, FAIL, FINISH, KILL, LOST) on a machine; no (pending) when it is SCHEDULE or
 * UPDATE_PENDING, or an end with no machine ID (the trace leaves the machine empty when the task is
 * on none, ../shared/docs/trace-formats.md §1.1). On parts 0–5 of the public trace this agrees with
 * the state parts 0–4 give for 25,632 of the 25,666 tasks part 5 alone shows as standing.
 */
export function runningAtWindowStart(eventType: number, machineId: number): boolean {
  if (eventType === EventType.UPDATE_RUNNING) return true;
  if (eventType === EventType.SCHEDULE || eventType === EventType.UPDATE_PENDING || eventType === EventType.SUBMIT) return false;
  return machineId === machineId;
}
