// JSON request bodies that Herald could not store faithfully are refused before they are
// parsed: nesting deeper than MAX_JSON_DEPTH (JSON.stringify of a payload nested thousands
// deep throws), and numbers that do not survive the trip through a double — an integer beyond
// ±(2^53 − 1), a value out of range (1e400 would be stored as null) or one that underflows to
// zero. Payloads are stored as JSON.stringify of the parsed body, so anything else comes out
// with the value it went in with. One pass over the text, outside strings only; everything it
// does not refuse goes to Fastify's own parser (prototype-poisoning checks included).
import type { FastifyInstance } from "fastify";
import { HeraldError } from "../errors.ts";

/** Deepest nesting of arrays and objects a JSON body may have. */
export const MAX_JSON_DEPTH = 64;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Why `text` is refused, or undefined. It may still be invalid JSON: the parser says so. */
export function unstorableJson(text: string): HeraldError | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, escapes included; an unterminated one is the parser's to report.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > MAX_JSON_DEPTH) {
        return new HeraldError(
          "payload_too_deep",
          `The body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`,
        );
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const token = NUMBER.exec(text)?.[0];
      if (!token) continue;
      const problem = numberProblem(token);
      if (problem) {
        return new HeraldError(
          "unrepresentable_number",
          `The number ${token.length > 40 ? `${token.slice(0, 40)}…` : token} ${problem}; send it as a string.`,
        );
      }
      i += token.length - 1;
    }
  }
  return undefined;
}

function numberProblem(token: string): string | undefined {
  const value = Number(token);
  if (!Number.isFinite(value)) return "is out of the range JSON numbers are stored with";
  const integer = !/[.eE]/.test(token);
  if (integer && !Number.isSafeInteger(value)) return "is an integer beyond ±(2^53 − 1)";
  if (value === 0 && /[1-9]/.test(token.split(/[eE]/)[0] as string)) return "is too small to store";
  return undefined;
}

/** Replaces the app's JSON parser with one that refuses unstorable bodies first. */
export function guardJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    const refused = unstorableJson(body as string);
    if (refused) {
      done(refused, undefined);
      return;
    }
    parse(req, body as string, done);
  });
}
