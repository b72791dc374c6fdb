/** Text as HTML character data or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * JSON for an inline <script type="application/json">: `<` becomes `\u003c`, so no `</script`
 * or `<!--` can end or disturb the element; JSON.parse reads the same value back. U+2028 and
 * U+2029 are escaped too (legal in JSON, not in older JavaScript string literals).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
