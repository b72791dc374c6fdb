/**
 * The one place a queue URL's password is hidden before anything is shown or stored: progress
 * lines, error messages, timing.json, the worker's log. A URL (any scheme: a mistyped one too)
 * carries its password in the user-info part (`redis://:PASS@host:6379`, `redis://user:PASS@host`, RFC 3986 § 3.2.1 — which
 * itself says a password in a URI is deprecated for display); every such URL in `text` keeps its
 * user name and loses the password (`redis://:***@host:6379`). `secrets` are further strings to
 * hide wherever they appear (the password of the URL in use, percent-decoded, in case a library
 * quotes it outside a URL); strings shorter than 4 characters are left out of that literal
 * search, which would otherwise blank ordinary words.
 */
export function redactSecret(text: string, secrets: readonly string[] = []): string {
  // scheme://[user]:password@ — the password runs to the last '@' before the host (an unescaped '@' in it is tolerated).
  let out = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/[\]]*):([^\s/]*)@(?=[^\s@]*(?:[\s/'"]|$))/gi, (_m, user: string) => `${user}:***@`);
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join('***');
  }
  return out;
}

/** The password of a URL (percent-decoded and as written), for redactSecret's literal search; empty when none. */
export function urlSecrets(url: string): string[] {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/[\]]*:([^\s/]*)@/i.exec(url.trim());
  if (!m || m[1] === '') return [];
  let decoded = m[1];
  try {
    decoded = decodeURIComponent(m[1]);
  } catch {
    decoded = m[1];
  }
  return decoded === m[1] ? [m[1]] : [m[1], decoded];
}
