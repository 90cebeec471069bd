import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import type { CommandSpec } from '../../src/cli/CommandSpec.js';
import { commandSpecs, type CommandName } from '../../src/cli/commandSpecs.js';
import { HelpRequested } from '../../src/cli/HelpRequested.js';
import { parseArgsWithPositionals } from '../../src/cli/parseArgs.js';

/** A command as a doc shows it: where, and its text (continuation lines joined). */
export interface DocCommand {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** `block`: a line of a shell code block, checked in full; `inline`: a `code span` in prose or a table, its script and flags checked. */
  readonly kind: 'block' | 'inline';
}

/** What the command runs: an npm script (with the args after `--`) or `node dist/main.js` (its args). */
export interface ParsedCommand {
  readonly via: 'npm' | 'node';
  /** The npm script, or the main.js command (`null`: `node dist/main.js` alone or with `--help`). */
  readonly script: string | null;
  readonly args: readonly string[];
}

/** How a script takes its options: a main.js command's spec, the options of a tsx script, or none. */
export type ScriptOptions =
  | { readonly kind: 'command'; readonly name: CommandName }
  | { readonly kind: 'options'; readonly options: NonNullable<ParseArgsConfig['options']> }
  | { readonly kind: 'none' };

const SHELL_FENCES = new Set(['', 'sh', 'bash', 'console', 'shell']);
const PREFIX = /^(npm start\b|npm test\b|npm run\b|node dist\/main\.js\b)/;

/** Every command a markdown file shows: lines of shell code blocks, and code spans elsewhere. */
export function docCommands(file: string, text: string): DocCommand[] {
  const out: DocCommand[] = [];
  const lines = text.split('\n');
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const opening = /^\s*```\s*([\w-]*)/.exec(raw);
    if (opening !== null) {
      fence = fence === null ? opening[1]!.toLowerCase() : null;
      continue;
    }
    if (fence !== null) {
      if (!SHELL_FENCES.has(fence)) continue;
      let t = raw.trim().replace(/^\$\s+/, '');
      const first = i;
      while (t.endsWith('\\') && i + 1 < lines.length) t = `${t.slice(0, -1).trimEnd()} ${lines[++i]!.trim()}`;
      if (PREFIX.test(t)) out.push({ file, line: first + 1, text: t, kind: 'block' });
      continue;
    }
    for (const m of raw.matchAll(/`([^`]+)`/g)) {
      const t = m[1]!.trim();
      if (PREFIX.test(t)) out.push({ file, line: i + 1, text: t, kind: 'inline' });
    }
  }
  return out;
}

/** Shell words up to the first `|`, `&&`, `;`, redirection or comment, with '…' and "…" quoting. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end === -1) throw new Error(`unterminated ${c} quote`);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if ('|;&>'.includes(c) || (c === '#' && word === null)) {
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** `npm run -s status -- --json` → status, [--json]. Throws a message when npm would not pass the options on. */
export function parseCommand(words: readonly string[]): ParsedCommand {
  if (words[0] === 'node') {
    const [, , name, ...args] = words;
    if (name === undefined || name.startsWith('-')) return { via: 'node', script: null, args: name === undefined ? [] : [name, ...args] };
    return { via: 'node', script: name, args };
  }
  let rest = words.slice(1);
  let script: string;
  if (rest[0] === 'start' || rest[0] === 'test') {
    script = rest[0];
    rest = rest.slice(1);
  } else {
    rest = rest.slice(1); // `run`
    while (rest[0]?.startsWith('-') === true && rest[0] !== '--') {
      if (rest[0] !== '-s' && rest[0] !== '--silent') throw new Error(`npm option ${rest[0]} before the script name: only -s (--silent) is shown in the docs`);
      rest = rest.slice(1);
    }
    if (rest[0] === undefined) throw new Error('npm run without a script name');
    script = rest[0];
    rest = rest.slice(1);
  }
  if (rest.length === 0) return { via: 'npm', script, args: [] };
  if (rest[0] !== '--') throw new Error(`"${rest.join(' ')}" after the script name needs -- before it, or npm takes it for itself`);
  return { via: 'npm', script, args: rest.slice(1) };
}

/** The main.js command a package.json script runs, else null. */
export function mainCommandOf(scriptText: string): CommandName | null {
  const m = /dist\/main\.js ([a-z][a-z-]*)/.exec(scriptText);
  return m !== null && Object.hasOwn(commandSpecs, m[1]!) ? (m[1] as CommandName) : null;
}

/** The words a command with positionals takes first (`status`, `pause`, …), from its spec's synopsis. */
function firstWords(spec: CommandSpec): string[] {
  return (spec.words ?? '').split(/\s\|\s/).map((w) => w.trim().split(/\s+/)[0]!).filter((w) => /^[a-z]+$/.test(w));
}

/** Checks a shell-block command's arguments as the program's own parser would read them; null when they parse. */
export function argumentProblem(options: ScriptOptions, args: readonly string[]): string | null {
  if (options.kind === 'none') return args.length === 0 ? null : `takes no options, got "${args.join(' ')}"`;
  try {
    if (options.kind === 'options') {
      nodeParseArgs({ args: [...args], options: options.options, strict: true, allowPositionals: false });
      return null;
    }
    const spec: CommandSpec = commandSpecs[options.name];
    const { positionals } = parseArgsWithPositionals([...args], spec, spec.words !== undefined);
    const words = firstWords(spec);
    if (words.length > 0 && !words.includes(positionals[0] ?? '')) return `${options.name} takes one of ${words.join(', ')} first, got "${positionals[0] ?? ''}"`;
    return null;
  } catch (error) {
    if (error instanceof HelpRequested) return null;
    return (error as Error).message;
  }
}

/** The `--flags` of a code span (a synopsis may have `[--flag VALUE]`), each checked against the options. */
export function unknownFlags(options: ScriptOptions, args: readonly string[]): string[] {
  const names = args.flatMap((a) => [...a.matchAll(/(?:^|[[(])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!));
  const known = options.kind === 'none' ? [] : options.kind === 'options' ? Object.keys(options.options) : Object.keys(commandSpecs[options.name].options);
  return names.filter((n) => n !== 'help' && !known.includes(n)).map((n) => `--${n}`);
}

/** A code span read loosely (a synopsis: `[-- --short]`, `sim\|alpaca`, `…`): its script and the words after it. */
export function inlineCommand(text: string): ParsedCommand {
  const words = text.replace(/\\\|/g, '|').split(/\s+/);
  if (words[0] === 'node') return { via: 'node', script: words[2]?.startsWith('-') === false ? words[2] : null, args: words.slice(3) };
  if (words[1] === 'start' || words[1] === 'test') return { via: 'npm', script: words[1], args: words.slice(2) };
  const rest = words.slice(2);
  while (rest[0] === '-s' || rest[0] === '--silent') rest.shift();
  return { via: 'npm', script: rest[0] ?? '', args: rest.slice(1) };
}
