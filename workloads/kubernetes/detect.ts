/**
 * Does the start of a file look like Kubernetes manifests? For format detection: the first few
 * kilobytes of text (YAML or JSON). True when, after comments and `---`, the text names both an
 * `apiVersion` and a `kind` (a capitalized identifier) as mapping keys — at the top level of a
 * YAML document or as JSON keys — which every Kubernetes object and `kubectl get -o yaml|json`
 * list has, and no CSV trace row does.
 */
export function looksLikeKubernetes(firstText: string): boolean {
  const text = firstText.replace(/^\uFEFF/, '');
  const yamlApi = /^(?:- )?\s*apiVersion\s*:\s*["']?[A-Za-z0-9.\-/]+["']?\s*(?:#.*)?$/m;
  const yamlKind = /^(?:- )?\s*kind\s*:\s*["']?[A-Z][A-Za-z0-9]*["']?\s*(?:#.*)?$/m;
  if (yamlApi.test(text) && yamlKind.test(text)) return true;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    return /"apiVersion"\s*:\s*"[^"]+"/.test(text) && /"kind"\s*:\s*"[A-Z][A-Za-z0-9]*"/.test(text);
  }
  return false;
}
