/**
 * Escaping for the HTML report: text and attribute values, JSON inside a `<script type="application/json">` element,
 * and JavaScript inlined in a `<script>` element.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for an HTML text node or a quoted attribute value (`& < > " '`). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON for a `<script type="application/json">` element: `JSON.stringify` with `<`, `>`, `&`, U+2028 and U+2029 written
 * as `\uXXXX` escapes, so no `</script>` or `<!--` can appear in the element and `JSON.parse(el.textContent)` gives
 * back the same value. Non-finite numbers become `null`, as in `JSON.stringify`.
 */
export function jsonForScript(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JavaScript source for an inline `<script>` element: every `</script` and `<!--` (which would end the element or
 * switch the HTML parser into its escaped state) has its `<` written as `\x3C`. That spelling means `<` inside string,
 * template and regular-expression literals, and is inert in comments, which is where such text occurs in minified
 * code (minifiers never emit it as an operator sequence).
 */
export function scriptForInline(source: string): string {
  return source.replace(/<(?=\/script|!--)/gi, '\\x3C');
}
