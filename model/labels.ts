// Label keys and values with the semantics of the Kubernetes API (k8s.io/apimachinery labels and
// util/validation): how a label is read and which keys and values are valid. Pure functions.

/** The label the kubelet sets to the node name (used when a caller has no node name). */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** A label's value, or undefined when absent (own properties only: labels come from JSON). */
export function labelValue(labels: Readonly<Record<string, string>>, key: string): string | undefined {
  // Inherited Object.prototype members ("constructor", "toString") are functions, never strings.
  const v = labels[key];
  return typeof v === 'string' ? v : undefined;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** IsValidLabelValue: empty, or up to 63 alphanumerics, '-', '_', '.', alphanumeric at both ends. */
export function isValidLabelValue(v: string): boolean {
  return v.length <= 63 && LABEL_VALUE.test(v);
}

/** IsQualifiedName: `[prefix/]name`, prefix a DNS-1123 subdomain (≤ 253), name ≤ 63 as a label value but non-empty. */
export function isQualifiedName(k: string): boolean {
  const slash = k.indexOf('/');
  const name = slash < 0 ? k : k.slice(slash + 1);
  if (slash >= 0) {
    const prefix = k.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && NAME_PART.test(name);
}

/** DNS-1123 subdomain (a resource-group or prefix name). */
export function isDns1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}
