/**
 * Reading model output as JSON: a reply wrapped in a ```json fence, and the value so far of a
 * string field of a tool input that is still streaming (cut off anywhere).
 */
import type { JsonObject } from './client.js';

/**
 * `text` without a ```json fence around it. While `streaming`, only the opening fence goes: the
 * end is still to come, and a closing fence must stay visible to whoever checks for code blocks.
 */
export function unfence(text: string, streaming = false): string {
  const opened = text.trimStart().replace(/^```(?:json)?\s*/i, '');
  return streaming ? opened : opened.trimEnd().replace(/\s*```$/, '');
}

/** A value as stored in a Json column (undefined fields dropped). */
export function toJson(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

/**
 * The value so far of the top-level string field `field` of a JSON object cut off anywhere
 * (a streamed tool input): the decoded characters that have arrived, or null before it starts.
 */
export function partialStringField(json: string, field: string): string | null {
  let depth = 0;
  let i = 0;
  const readString = (): { value: string; complete: boolean } => {
    // json[i] is the opening quote.
    let value = '';
    i++;
    while (i < json.length) {
      const char = json[i] as string;
      if (char === '"') {
        i++;
        return { value, complete: true };
      }
      if (char !== '\\') {
        value += char;
        i++;
        continue;
      }
      const next = json[i + 1];
      if (next === undefined) break;
      if (next === 'u') {
        const hex = json.slice(i + 2, i + 6);
        if (hex.length < 4) break;
        value += String.fromCharCode(Number.parseInt(hex, 16));
        i += 6;
        continue;
      }
      value += { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }[next] ?? next;
      i += 2;
    }
    return { value, complete: false };
  };
  while (i < json.length) {
    const char = json[i] as string;
    if (char === '"') {
      const start = depth;
      const key = readString();
      if (!key.complete) return null;
      if (start !== 1) continue;
      const colon = /^\s*:\s*/.exec(json.slice(i));
      if (!colon) continue; // a value, not a key
      i += colon[0].length;
      if (key.value === field) return json[i] === '"' ? readString().value : null;
      continue;
    }
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
    i++;
  }
  return null;
}
