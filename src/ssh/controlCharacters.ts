/**
 * True if `value` holds a character that could end or corrupt a line in a config or key file:
 * C0 controls (including CR, LF, TAB), DEL, C1 controls, and U+2028/U+2029.
 */
export function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
      return true;
    }
  }
  return false;
}
