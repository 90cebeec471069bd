import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandSpecs } from '../../src/cli/commandSpecs.js';
import { drillOptions } from '../../drill/drillOptions.js';
import { root, spawnMain } from '../../drill/processes.js';
import { argumentProblem, docCommands, inlineCommand, mainCommandOf, parseCommand, shellWords, unknownFlags, type DocCommand, type ParsedCommand, type ScriptOptions } from './docCommands.js';

/**
 * Every command the README and docs/ show is checked against the command line itself: its npm
 * script exists, and its options parse with the very specs the commands parse with
 * (src/cli/commandSpecs.ts; drill/drillOptions.ts). The quick ones are run (see `runs`).
 */

const readme = 'README.md';
const docs = readdirSync(join(root, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);
const files = [readme, ...docs];
const commands = files.flatMap((f) => docCommands(f, readFileSync(join(root, f), 'utf8')));
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** bench.ts reads its one option straight from argv (checked below); drill.ts parses drillOptions. */
const toolOptions: Readonly<Record<string, NonNullable<Extract<ScriptOptions, { kind: 'options' }>['options']>>> = {
  bench: { pretty: { type: 'boolean' } },
  drill: drillOptions,
};

/** How a script takes options: a main.js command's spec, a tool's options, or none (build, test …). */
function optionsOf(c: ParsedCommand): ScriptOptions {
  if (c.via === 'node') return c.script === null ? { kind: 'none' } : { kind: 'command', name: c.script as keyof typeof commandSpecs };
  const name = mainCommandOf(scripts[c.script!]!);
  if (name !== null) return { kind: 'command', name };
  const tool = toolOptions[c.script!];
  return tool === undefined ? { kind: 'none' } : { kind: 'options', options: tool };
}

const where = (d: DocCommand): string => `${d.file}:${d.line}: ${d.text}`;

/** What is wrong with one doc command, statically; null when nothing is. */
function problemOf(d: DocCommand): string | null {
  let c: ParsedCommand;
  try {
    c = d.kind === 'block' ? parseCommand(shellWords(d.text)) : inlineCommand(d.text);
  } catch (error) {
    return `${where(d)}: ${(error as Error).message}`;
  }
  // `npm run <command> -- --help`, `node dist/main.js <command> …`, or the words `npm run` in prose.
  if (c.script !== null && (c.script.startsWith('<') || c.script === '')) return null;
  if (c.via === 'npm' && !Object.hasOwn(scripts, c.script!)) return `${where(d)}: no npm script "${c.script}" in package.json`;
  if (c.via === 'node' && c.script !== null && !Object.hasOwn(commandSpecs, c.script)) return `${where(d)}: dist/main.js has no command "${c.script}"`;
  if (c.via === 'node' && c.script === null) return c.args.every((a) => a === '--help' || a === '-h') ? null : `${where(d)}: dist/main.js needs a command first`;
  const options = optionsOf(c);
  if (d.kind === 'inline') {
    const unknown = unknownFlags(options, c.args);
    return unknown.length === 0 ? null : `${where(d)}: unknown option ${unknown.join(', ')} for ${c.script}`;
  }
  const problem = argumentProblem(options, c.args);
  return problem === null ? null : `${where(d)}: ${problem}`;
}

/**
 * Which commands the test runs, and why the others are checked statically only. Run: every
 * `--help`, every backtest and sweep (the docs' use the shipped data and take a few seconds), and
 * `check` (offline: the environment has no keys and the scratch folder no .env).
 */
const notRun: Readonly<Record<string, string>> = {
  start: 'runs until stopped (or --duration), and with keys in .env trades on Alpaca',
  status: 'reads the state a daemon saved',
  readiness: 'judges the paper record a daemon saved (months of it to say anything)',
  ctl: 'talks to a running daemon',
  emulator: 'a server that runs until stopped',
  worker: 'takes backtests from a Redis queue until stopped',
  bench: 'about a minute of measurements on a loaded machine',
  drill: 'minutes of fault scenarios',
  test: 'the test suite itself',
  build: 'rewrites dist/ under other tests',
  typecheck: 'part of npm test',
  'new-strategy': 'writes files into the project\'s strategies/ (test/e2e/newStrategy.test.ts runs it and the tests it writes)',
  'docs:strategies': 'rewrites docs/strategies.md (test/docs/strategiesGuide.test.ts checks what it writes)',
  lint: 'part of npm test',
};

function runs(c: ParsedCommand): boolean {
  if (c.args.includes('--help') || c.args.includes('-h')) return c.via === 'node' || mainCommandOf(scripts[c.script!]!) !== null;
  const command = c.via === 'node' ? c.script : mainCommandOf(scripts[c.script!]!);
  return command === 'backtest' || command === 'check' || command === 'optimize';
}

describe('the check', () => {
  it('names the file, the line and what is wrong: an unknown option, script, command or word', () => {
    const doc = [
      '# A page',
      '```sh',
      'npm run backtest -- --dat x.csv --strategy sma_cross',
      'npm run bakctest',
      'node dist/main.js statsu',
      'npm run ctl -- resmue all',
      'npm run status --json',
      '```',
      'In prose: `npm start -- [--config FILE] [--bogus]`, `npm run drill -- --shrt`, and `npm run emulator -- --port N` is fine.',
    ].join('\n');
    expect(docCommands('docs/page.md', doc).map(problemOf)).toEqual([
      'docs/page.md:3: npm run backtest -- --dat x.csv --strategy sma_cross: backtest: unknown option --dat (npm run backtest -- --help lists the options)',
      'docs/page.md:4: npm run bakctest: no npm script "bakctest" in package.json',
      'docs/page.md:5: node dist/main.js statsu: dist/main.js has no command "statsu"',
      'docs/page.md:6: npm run ctl -- resmue all: ctl takes one of status, pause, resume, flatten first, got "resmue"',
      'docs/page.md:7: npm run status --json: "--json" after the script name needs -- before it, or npm takes it for itself',
      'docs/page.md:9: npm start -- [--config FILE] [--bogus]: unknown option --bogus for start',
      'docs/page.md:9: npm run drill -- --shrt: unknown option --shrt for drill',
      null,
    ]);
  });

  it('reads shell words as a shell does, up to a pipe or a comment', () => {
    expect(shellWords(`npm run backtest -- --params '{"fast":10,"slow":30}' --out r.json   # a comment`)).toEqual(['npm', 'run', 'backtest', '--', '--params', '{"fast":10,"slow":30}', '--out', 'r.json']);
    expect(shellWords('npm run -s status -- --json | jq .')).toEqual(['npm', 'run', '-s', 'status', '--', '--json']);
    expect(parseCommand(shellWords('npm run -s status -- --json'))).toEqual({ via: 'npm', script: 'status', args: ['--json'] });
    expect(parseCommand(shellWords('node dist/main.js backtest --help'))).toEqual({ via: 'node', script: 'backtest', args: ['--help'] });
  });
});

describe('the commands in README.md and docs/*.md', () => {
  it('finds them (a shell block or code span starting npm start, npm test, npm run or node dist/main.js)', () => {
    expect(files).toContain('docs/configuration.md');
    const inReadme = commands.filter((c) => c.file === readme && c.kind === 'block').map((c) => c.text);
    expect(inReadme).toEqual(expect.arrayContaining(['npm start', 'npm test', 'npm run ctl -- pause sma_momentum', 'npm run backtest -- --config config/paper-trading.json --data-dir data/eqker --report reports']));
    expect(commands.length).toBeGreaterThan(60);
  });

  it('starts the README with the install, start and test commands, each a line of its own (.ci/run greps them)', () => {
    const first = /```sh\n([\s\S]*?)```/.exec(readFileSync(join(root, readme), 'utf8'))![1]!.split('\n');
    expect(first).toEqual(['npm install', 'npm start', 'npm test', '']);
  });

  it('names only npm scripts that exist, with options the command parses (file:line for each that does not)', () => {
    expect(commands.map(problemOf).filter((p) => p !== null)).toEqual([]);
  });

  it('documents every option of every command (the command-line contract)', () => {
    const text = files.map((f) => readFileSync(join(root, f), 'utf8')).join('\n');
    const missing = Object.values(commandSpecs).flatMap((spec) => Object.keys(spec.options).filter((o) => !text.includes(`--${o}`)).map((o) => `${spec.name} --${o}`));
    expect(missing).toEqual([]);
  });

  it('links only to files and headings that exist', () => {
    // GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens.
    const slug = (heading: string): string => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const headings = (file: string): string[] => [...readFileSync(join(root, file), 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]!));
    const broken = files.flatMap((f) =>
      [...readFileSync(join(root, f), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1]!)
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => {
          const [path, anchor] = target.split('#') as [string, string | undefined];
          const file = path === '' ? f : join(f, '..', path);
          if (!existsSync(join(root, file))) return true;
          return anchor !== undefined && file.endsWith('.md') && !headings(file).includes(anchor);
        })
        .map((target) => `${f}: ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it("reads bench's one option the way the docs show it", () => {
    expect(readFileSync(join(root, 'bench', 'bench.ts'), 'utf8')).toContain("process.argv.includes('--pretty')");
  });

  it('says why each command it does not run is checked statically only', () => {
    const blocks = commands.filter((d) => d.kind === 'block').map((d) => parseCommand(shellWords(d.text)));
    const unexplained = blocks.filter((c) => !runs(c)).map((c) => (c.via === 'node' ? c.script : mainCommandOf(scripts[c.script!]!) ?? c.script)).filter((s) => s === null || notRun[s] === undefined);
    expect(unexplained).toEqual([]);
  });
});

describe('the quick commands of the docs, run', () => {
  // A scratch folder with the project's config/, data/ and test/ linked in: relative paths resolve as
  // in a clone, what the commands write (r.json, reports/, data_cache/, logs/) stays out of the
  // project, and no .env is read.
  const dir = mkdtempSync(join(tmpdir(), 'docs-commands-'));
  for (const d of ['config', 'data', 'strategies', 'test']) symlinkSync(join(root, d), join(dir, d));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const seen = new Set<string>();
  const runnable = commands
    .filter((d) => d.kind === 'block')
    .map((d) => ({ d, c: parseCommand(shellWords(d.text)) }))
    .filter(({ c }) => runs(c))
    .filter(({ c }) => {
      const key = `${c.script ?? ''} ${c.args.join(' ')}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    });

  it('has some', () => {
    expect(runnable.map(({ c }) => c.script)).toEqual(expect.arrayContaining(['backtest', 'check', 'start']));
  });

  for (const { d, c } of runnable) {
    it(`${d.file}:${d.line}: ${d.text}`, { timeout: 120_000 }, async () => {
      const command = c.via === 'node' ? c.script : mainCommandOf(scripts[c.script!]!);
      const r = await spawnMain(command === null ? [...c.args] : [command, ...c.args], dir).exit;
      expect({ at: where(d), code: r.code, stderr: r.stderr.slice(-2000) }).toEqual({ at: where(d), code: 0, stderr: expect.any(String) });
      if (c.args.includes('--help')) expect(r.stdout).toMatch(/^usage: /);
    });
  }
});
