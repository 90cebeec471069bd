/** Telegram's limits, in UTF-16 code units (JavaScript's `length`): 4,096 for a message, 1,024 for a photo's caption. */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

/**
 * Cuts `text` into parts of at most `limit` characters, at line boundaries where it can (a line
 * longer than the limit is cut inside); no part is empty.
 */
export function splitMessage(text: string, limit = TEXT_LIMIT): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    if (current !== '') parts.push(current);
    let rest = line;
    while (rest.length > limit) {
      const cut = safeCut(rest, limit);
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current !== '') parts.push(current);
  return parts;
}

/**
 * Where to cut `text` to keep at most `limit` UTF-16 units: `limit`, or one less when that would
 * split a surrogate pair (an emoji), whose lone halves Telegram shows as two "�".
 */
export function safeCut(text: string, limit: number): number {
  const code = text.charCodeAt(limit - 1);
  return limit > 1 && code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
