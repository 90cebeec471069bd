import { describe, expect, it } from 'vitest';
import { runCli, scratchDir, writeConfig } from './cli.js';

describe('npm run check', () => {
  it('passes on a good installation and configuration', async () => {
    const dir = scratchDir();
    const r = await runCli(['check', '--config', writeConfig(dir)], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('✗');
    expect(r.stdout).toContain('✓ configuration');
    expect(r.stdout).toContain('5 enabled strategies');
    expect(r.stdout).toContain('✓ sample data for offline mode: 12 symbols at 1Min');
    expect(r.stdout).toContain('All checks passed.');
  });

  it('names what is wrong and exits 1', async () => {
    const dir = scratchDir();
    const file = writeConfig(dir, (c) => (c.sim.data_dir = dir));
    const r = await runCli(['check', '--config', file], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ sample data for offline mode: ${dir}: no 1Min bars for`);
    expect(r.stdout).toContain('1 check(s) failed.');
  });
});
