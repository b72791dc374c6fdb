/**
 * What reacts during a replay, as plain data (the CLI parses it, run.json stores it, a compare
 * worker receives it): each field is the CLI option's text, parsed and checked by its model
 * (harness/reactions/reactions-config.ts). Absent = that model's default.
 */
export interface ReactionsSpec {
  /**
   * `--preemption`: 'kube' (DefaultPreemption), 'borg' (Borg bands), 'none'; default 'auto' =
   * kube for Kubernetes workloads, borg for the rest (whose priorities follow Borg's numbering).
   */
  preemption?: 'kube' | 'borg' | 'none' | 'auto';
  /** `--no-controllers` (false): lost pods are requeued as without controllers (no Job limits, no availability). Default true. */
  controllers?: boolean;
  /** `--failures`: a per-node failure model, e.g. 'mtbf=720h,mttr=2h,dist=weibull,shape=0.7'. */
  failures?: string;
  /** `--zone-outage` (repeatable): 'zone=us-east-1a,at=2h,for=30m'. */
  zoneOutages?: string[];
  /** `--node-lifecycle`: the node lifecycle controller's settings, e.g. 'grace=50s,toleration=300s,rate=0.1'. */
  nodeLifecycle?: string;
  /** `--topology`: a generated zone/rack layout for nodes without zone labels, e.g. 'zones=3,racks-per-zone=8'. */
  topology?: string;
  /** `--node-groups`: the autoscaler's node groups (a YAML/JSON file, or inline 'name=a,instance=m5.2xlarge,min=0,max=10;...'). */
  nodeGroups?: string;
  /** `--autoscaler`: 'cluster-autoscaler' (default with node groups) or 'karpenter'. */
  autoscaler?: 'cluster-autoscaler' | 'karpenter';
  /** `--autoscaler-options`: e.g. 'expander=least-waste,scale-down-unneeded-time=10m'. */
  autoscalerOptions?: string;
  /** `--quota`: a quota file (Kubernetes ResourceQuotas and/or Borg quotas per user and band). */
  quota?: string;
}
