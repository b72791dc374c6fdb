/** A mapping key `name` with a scalar value matching `value`, in block or flow style (YAML or JSON). */
function keyPattern(name: string, value: string): RegExp {
  // The key starts a line (block style, also after a list dash) or follows `{` or `,` (flow
  // style, JSON); it may be quoted; the value ends the line or is followed by `,` `}` `]` or a comment.
  return new RegExp(`(?:^|[\\s{,])["']?${name}["']?\\s*:\\s*["']?(${value})["']?\\s*(?:[,}\\]]|#|$)`, 'm');
}

const API_VERSION = keyPattern('apiVersion', '[A-Za-z0-9.\\-/]+');
const KIND = keyPattern('kind', '[A-Z][A-Za-z0-9]*');

/**
 * Does the start of a file look like Kubernetes manifests? For format detection: the first few
 * kilobytes of text. True when the text names both an `apiVersion` and a `kind` (a capitalized
 * identifier) as mapping keys — which every Kubernetes object and `kubectl get -o yaml|json` list
 * has, and no CSV trace row does — in any of the styles manifests are written in: block YAML,
 * flow-style YAML (`{apiVersion: "v1", kind: "Pod", ...}`, as some Kubernetes docs examples are),
 * JSON; after leading comments and `---` (Helm's `# Source:` lines), with LF or CRLF line ends.
 * Comment lines are not read, so a commented-out object does not count.
 */
export function looksLikeKubernetes(firstText: string): boolean {
  const text = firstText
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/^[ \t]*#.*$/gm, '');
  return API_VERSION.test(text) && KIND.test(text);
}
