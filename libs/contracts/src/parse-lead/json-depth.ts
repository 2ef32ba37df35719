import { jsonPointer } from './field-issues';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

interface Frame {
  array: boolean;
  index: number;
  /** Where the current key of an object frame starts and ends in the text (quotes included). */
  keyStart: number;
  keyEnd: number;
}

/**
 * The JSON pointer of the first container in `text` that nests deeper than `maxDepth` (the top-level value
 * is at depth 1), or `undefined` when none does. One linear pass without recursion and with at most
 * `maxDepth` frames, so a hostile body costs neither stack nor memory; run it before JSON.parse, since
 * everything that walks parsed JSON (class-transformer, canonicalisation, JSON.stringify) recurses.
 * It does not validate: on malformed text its answer is meaningless and JSON.parse reports the error.
 */
export function findTooDeepJson(text: string, maxDepth: number): string | undefined {
  // Nesting deeper than maxDepth takes more than maxDepth opening brackets. Counting them with the native
  // search is some twenty times cheaper than the walk below, which runs only for a text that has more.
  if (!opensMoreThan(text, maxDepth)) return undefined;
  const frames: Frame[] = [];
  let keyPending = false;
  for (let at = 0; at < text.length; at++) {
    const char = text.charCodeAt(at);
    if (char === QUOTE) {
      const start = at;
      at = endOfString(text, at);
      const top = frames[frames.length - 1];
      if (top && !top.array && keyPending) {
        top.keyStart = start;
        top.keyEnd = at + 1;
        keyPending = false;
      }
    } else if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      if (frames.length === maxDepth) return pointerOf(text, frames);
      frames.push({ array: char === OPEN_ARRAY, index: 0, keyStart: 0, keyEnd: 0 });
      keyPending = char === OPEN_OBJECT;
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      frames.pop();
      keyPending = false;
    } else if (char === COMMA) {
      const top = frames[frames.length - 1];
      if (top?.array) top.index += 1;
      else keyPending = true;
    }
  }
  return undefined;
}

/** Whether `text` holds more than `limit` opening brackets, inside strings or not. */
function opensMoreThan(text: string, limit: number): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      if (++count > limit) return true;
    }
  }
  return false;
}

/** Index of the quote closing the string that opens at `start` (or the last index when it is unterminated). */
function endOfString(text: string, start: number): number {
  for (let at = start + 1; at < text.length; at++) {
    const char = text.charCodeAt(at);
    if (char === BACKSLASH) at += 1;
    else if (char === QUOTE) return at;
  }
  return text.length - 1;
}

function pointerOf(text: string, frames: Frame[]): string {
  return frames.reduce(
    (pointer, frame) =>
      jsonPointer(
        pointer,
        frame.array ? String(frame.index) : keyOf(text.slice(frame.keyStart, frame.keyEnd)),
      ),
    '',
  );
}

function keyOf(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}
