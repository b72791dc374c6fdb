import type { NodeGroupUsage } from '../../reports/reaction-results.js';

/**
 * Node-hours and cost per node group and instance type, over time: each row integrates its node
 * count (nodes up, billed from registration to removal, a crashed node included: the cloud still
 * bills it) as the count changes, so cost = Σ node-hours × the catalog's hourly price
 * (../shared/docs/models.md § Cost). Rows are made on first use, in that order.
 */
export class NodeGroupUsageLedger {
  private readonly rows: Array<NodeGroupUsage & { count: number; since: number; price: number; area: number }> = [];
  private readonly byKey = new Map<string, number>();

  /** The row of (group, instance type), made when first asked. */
  row(group: string, instanceType: string, zone: string | undefined, pricePerHour: number, t: number): number {
    const key = `${group}\u0000${instanceType}`;
    let r = this.byKey.get(key);
    if (r === undefined) {
      r = this.rows.length;
      this.rows.push({ group, instanceType, ...(zone !== undefined ? { zone } : {}), nodeHours: 0, cost: 0, peakNodes: 0, added: 0, removed: 0, count: 0, since: t, price: pricePerHour, area: 0 });
      this.byKey.set(key, r);
    }
    return r;
  }

  /** A node of the row joined (`added`: the autoscaler made it, else it was there or came from elsewhere). */
  join(row: number, t: number, added: boolean): void {
    const r = this.rows[row];
    this.advance(r, t);
    r.count++;
    if (r.count > r.peakNodes) r.peakNodes = r.count;
    if (added) r.added++;
  }

  /** A node of the row left (`removed`: the autoscaler removed it, else a failure or the trace did). */
  leave(row: number, t: number, removed: boolean): void {
    const r = this.rows[row];
    this.advance(r, t);
    r.count--;
    if (removed) r.removed++;
  }

  count(row: number): number {
    return this.rows[row].count;
  }

  /** The rows as the report shows them, integrated up to `horizon`. */
  finish(horizon: number): NodeGroupUsage[] {
    return this.rows.map((r) => {
      this.advance(r, horizon);
      const nodeHours = r.area / 3.6e9;
      return {
        group: r.group,
        instanceType: r.instanceType,
        ...(r.zone !== undefined ? { zone: r.zone } : {}),
        nodeHours,
        cost: nodeHours * r.price,
        peakNodes: r.peakNodes,
        added: r.added,
        removed: r.removed,
      };
    });
  }

  private advance(r: { count: number; since: number; area: number }, t: number): void {
    if (t > r.since) r.area += r.count * (t - r.since);
    if (t > r.since) r.since = t;
  }
}
