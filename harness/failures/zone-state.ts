/**
 * A zone's health as the node lifecycle controller sees it (node_lifecycle_controller.go
 * ComputeZoneState): FullDisruption when no node of the zone is Ready (and some is not),
 * PartialDisruption when more than 2 nodes are not Ready and they are at least
 * `--unhealthy-zone-threshold` (0.55) of the zone (a float32 comparison), Normal otherwise.
 * Nodes labeled node.kubernetes.io/exclude-disruption are not counted.
 */
export const enum ZoneState {
  Normal = 0,
  PartialDisruption = 1,
  FullDisruption = 2,
  /** A zone seen for the first time (stateInitial): it takes its state at the next pass. */
  Initial = 3,
}

export function computeZoneState(ready: number, notReady: number, unhealthyThreshold: number): ZoneState {
  if (ready === 0 && notReady > 0) return ZoneState.FullDisruption;
  if (notReady > 2 && Math.fround(Math.fround(notReady) / Math.fround(notReady + ready)) >= Math.fround(unhealthyThreshold)) return ZoneState.PartialDisruption;
  return ZoneState.Normal;
}
