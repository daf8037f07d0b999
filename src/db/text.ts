// Text from outside (a receiver's response body, an error message built from one) made safe for
// a PostgreSQL `text` column, which refuses NUL and invalid UTF-8. Bytes are decoded as UTF-8
// with U+FFFD for anything invalid; control characters other than tab, line feed and carriage
// return are written as visible escapes (`\u0000`), so what an operator reads shows what the
// receiver sent and nothing it sent can break the statement that records it.

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its job
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

const escapeControl = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** `input` (bytes or a string) as storable text of at most `maxChars` characters. */
export function storableText(input: string | Buffer, maxChars: number): string {
  let text = (typeof input === "string" ? input : input.toString("utf8")).replace(
    CONTROL,
    escapeControl,
  );
  if (text.length > maxChars) text = text.slice(0, maxChars);
  // A string built elsewhere (or the cut above) may hold a lone surrogate, which UTF-8 cannot
  // encode: through UTF-8 and back it becomes U+FFFD; pairs come back as they were.
  return /[\ud800-\udfff]/.test(text) ? Buffer.from(text, "utf8").toString("utf8") : text;
}
