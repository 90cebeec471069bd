/** A bot command: `/name[@bot] [args…]`. */
export interface ParsedCommand {
  /** Lower case. */
  readonly name: string;
  /** The bot it is addressed to (`/status@my_bot`), or null. */
  readonly target: string | null;
  readonly args: readonly string[];
}

// One character at a time: a pattern on a single character cannot backtrack.
const SPACE = /^\s$/;
const LETTERS = /^[a-z]+$/i;

/**
 * Reads a command from a message's text, or null when it is none (a name of ASCII letters right
 * after the slash). One forward pass over the text, each character looked at once: linear in its
 * length whatever it holds (the single regular expression this replaces backtracked quadratically
 * on a long run of spaces followed by two line breaks).
 */
export function parseCommand(text: string): ParsedCommand | null {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || SPACE.test(text.charAt(i))) {
      if (start >= 0) words.push(text.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  const [head, ...args] = words;
  if (head === undefined || !head.startsWith('/')) return null;
  const at = head.indexOf('@');
  const name = at < 0 ? head.slice(1) : head.slice(1, at);
  const target = at < 0 ? null : head.slice(at + 1);
  // `LETTERS` is anchored with one quantifier over one class: linear too.
  if (!LETTERS.test(name) || target === '') return null;
  return { name: name.toLowerCase(), target, args };
}
