import { describe, expect, it } from 'vitest';
import { resolveConsoleMode } from '../../src/logging/consoleMode.js';

describe('resolveConsoleMode', () => {
  it('auto: pretty on a terminal, journal under systemd without a terminal, pretty (no colours) on a plain pipe or file', () => {
    expect(resolveConsoleMode('auto', { isTty: true, env: { INVOCATION_ID: 'abc' } })).toBe('pretty');
    expect(resolveConsoleMode('auto', { isTty: false, env: { INVOCATION_ID: '3f1c9e' } })).toBe('journal');
    expect(resolveConsoleMode('auto', { isTty: false, env: { JOURNAL_STREAM: '8:12345' } })).toBe('journal');
    expect(resolveConsoleMode('auto', { isTty: false, env: { INVOCATION_ID: '' } })).toBe('pretty');
    expect(resolveConsoleMode('auto', { isTty: false, env: {} })).toBe('pretty');
  });

  it('an explicit mode is taken as it is', () => {
    for (const mode of ['pretty', 'journal', 'json', 'off'] as const) expect(resolveConsoleMode(mode, { isTty: false, env: { INVOCATION_ID: 'x' } })).toBe(mode);
  });
});
