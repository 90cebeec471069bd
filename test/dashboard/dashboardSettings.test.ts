import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/configSchema.js';
import { ConfigError } from '../../src/core/errors.js';
import { dashboardSettings, isLoopback } from '../../src/dashboard/dashboardSettings.js';
import { tokenMatches } from '../../src/dashboard/tokenMatches.js';

const TOKEN = 'a-long-enough-token-1234';
const section = (d: Record<string, unknown>) => configSchema.parse({ strategies: [{ id: 's', type: 'sma_cross', symbols: ['SPY'], capital_allocation: 1000 }], dashboard: d }).dashboard;

describe('dashboard settings', () => {
  it('defaults to 127.0.0.1:8787, read-only without a token', () => {
    expect(dashboardSettings(section({}), {})).toEqual({ host: '127.0.0.1', port: 8787, token: null });
    expect(dashboardSettings(section({}), { DASHBOARD_TOKEN: TOKEN })).toEqual({ host: '127.0.0.1', port: 8787, token: TOKEN });
  });

  it('is off when dashboard.enabled is false', () => {
    expect(dashboardSettings(section({ enabled: false, host: '0.0.0.0' }), {})).toBeNull();
  });

  it('refuses a host other machines can reach without DASHBOARD_TOKEN, naming the field and the fix', () => {
    for (const host of ['0.0.0.0', '192.168.1.5', '::', 'vps.example.org']) {
      const run = (): unknown => dashboardSettings(section({ host }), {});
      expect(run).toThrow(ConfigError);
      expect(run).toThrow(`dashboard.host: ${host} is reachable from other machines: set DASHBOARD_TOKEN in .env (at least 16 characters, e.g. openssl rand -hex 24), or listen on 127.0.0.1`);
    }
    expect(dashboardSettings(section({ host: '0.0.0.0', port: 9000 }), { DASHBOARD_TOKEN: TOKEN })).toEqual({ host: '0.0.0.0', port: 9000, token: TOKEN });
  });

  it('refuses a short token without echoing it', () => {
    const run = (): unknown => dashboardSettings(section({}), { DASHBOARD_TOKEN: 'short-secret' });
    expect(run).toThrow('DASHBOARD_TOKEN: must be at least 16 characters (e.g. openssl rand -hex 24), got 12');
    try {
      run();
    } catch (error) {
      expect(String(error)).not.toContain('short-secret');
    }
  });

  it('validates the port and the host in the configuration', () => {
    expect(() => section({ port: 70000 })).toThrow('must be 0–65535');
    expect(() => section({ port: 1.5 })).toThrow('must be a whole number');
    expect(() => section({ host: 'http://x/' })).toThrow('must be an IP address or a host name');
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]'].map(isLoopback)).toEqual([true, true, true, true, true, true]);
    expect(['0.0.0.0', '10.0.0.1', '::', '128.0.0.1', 'localhost.evil.com'].map(isLoopback)).toEqual([false, false, false, false, false]);
  });
});

describe('tokenMatches', () => {
  it('accepts the token only', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(tokenMatches(TOKEN, TOKEN.slice(0, -1))).toBe(false);
    expect(tokenMatches(TOKEN, '')).toBe(false);
    expect(tokenMatches(TOKEN, null)).toBe(false);
  });
});
