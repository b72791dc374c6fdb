/**
 * ioredis's retryStrategy for the sweep's and the workers' connections: the delay (ms) before
 * reconnect attempt `times`, 250 ms growing to at most 2 s, forever. BullMQ's own default grows
 * to 20 s, which after a Redis restart would leave every worker idle for up to 20 s; a sweep and
 * its workers are few clients, so a reconnect every 2 s costs Redis nothing.
 */
export function reconnecting(times: number): number {
  return Math.min(250 * Math.max(1, times), 2000);
}
