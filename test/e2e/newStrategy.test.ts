import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { runNewStrategyCommand } from '../../src/cli/newStrategyCommand.js';
import { loadStrategyModule } from '../../src/strategies/loadStrategyCatalog.js';
import { root, runCli, scratchDir } from './cli.js';

/** What `npm test` does to a file: type-check it with the project's tsconfig (the diagnostics, as lines). */
function typeErrors(files: readonly string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram(files, config.options);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** `npx vitest run FILE` in the project, as npm test runs it. */
function vitest(file: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', file], { cwd: root, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', CI: '1', NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    // Without colours, whatever the terminal: the summary line is matched as text.
    child.on('close', (code) => resolve({ code, out: stripVTControlCharacters(out) }));
  });
}

describe('npm run new-strategy -- NAME', () => {
  it('writes a commented strategy and its test into strategies/, and both pass npm test unchanged (tsc, eslint, vitest)', async () => {
    // A name of its own in the project's folder (git-ignored), removed afterwards.
    const name = `scaffold_check_${process.pid}`;
    const module = join(root, 'strategies', `${name}.ts`);
    const test = join(root, 'strategies', `${name}.test.ts`);
    try {
      const r = await runCli(['new-strategy', name], root);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout.split('\n').slice(0, 2)).toEqual([
        `wrote strategies/${name}.ts: the strategy "${name}" (edit its rule in onBar and its parameters in params)`,
        `wrote strategies/${name}.test.ts: its backtest on the sample data (npm test runs it)`,
      ]);
      expect(readFileSync(module, 'utf8')).toContain(`export default class ScaffoldCheck${process.pid} extends Strategy<Params>`);
      expect(typeErrors([module, test])).toEqual([]);
      const lint = await new ESLint({ cwd: root }).lintFiles([module, test]);
      expect(lint.map((l) => [l.errorCount, l.warningCount, l.messages.map((m) => m.message)])).toEqual([
        [0, 0, []],
        [0, 0, []],
      ]);
      const run = await vitest(`strategies/${name}.test.ts`);
      expect([run.code, /Tests\s+2 passed \(2\)/.test(run.out)], run.out).toEqual([0, true]);
      // It is a strategy of the folder like any other: a backtest names it.
      const bt = await runCli(['backtest', '--data', join(root, 'data', 'eqker', 'AAPL_daily.csv'), '--strategy', name, '--params', '{"period":10,"qty":3}'], root);
      expect([bt.code, bt.stderr]).toEqual([0, '']);
      expect(bt.stdout).toContain(`strategy       ${name} {"period":10,"qty":3}`);
    } finally {
      rmSync(module, { force: true });
      rmSync(test, { force: true });
    }
    // A type check, a lint and a nested vitest run: longer than the suite's 30 s on a busy machine.
  }, 180_000);

  it('refuses a bad name, a built-in name, a second NAME and a file that exists (never overwrites)', async () => {
    const dir = scratchDir();
    const failure = async (args: string[]): Promise<string> => {
      try {
        await runNewStrategyCommand(args);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(await failure(['My-Thing', '--dir', dir])).toBe('new-strategy: "My-Thing" cannot name a strategy type: use 1–40 lower-case letters, digits or _, starting with a letter, e.g. my_breakout');
    expect(await failure(['sma_cross', '--dir', dir])).toBe('new-strategy: "sma_cross" is a built-in strategy type: choose another name');
    expect(await failure(['a', 'b', '--dir', dir])).toBe('new-strategy: give one NAME, e.g. npm run new-strategy -- my_breakout (got 2 words)');
    expect(await failure(['--dir', dir])).toBe('new-strategy: give one NAME, e.g. npm run new-strategy -- my_breakout');
    const r = await runCli(['new-strategy', 'mine', '--dir', dir], dir);
    expect(r.code).toBe(0);
    const before = readFileSync(join(dir, 'mine.ts'), 'utf8');
    // Written outside the project, its imports lead back to the project's src/: it loads as it is.
    expect((await loadStrategyModule(join(dir, 'mine.ts'))).params.parse({})).toEqual({ period: 20, qty: 10 });
    expect(await failure(['mine', '--dir', dir])).toBe(`new-strategy: ${join(dir, 'mine.ts')} exists already: choose another name, or remove it`);
    expect([existsSync(join(dir, 'mine.test.ts')), readFileSync(join(dir, 'mine.ts'), 'utf8')]).toEqual([true, before]);
  });
});
