import { isIP } from 'node:net';
import type { DaemonConfig } from '../config/configSchema.js';
import { ConfigError } from '../core/errors.js';

/** Shortest DASHBOARD_TOKEN accepted: a guessable token on a reachable port is no lock. */
export const MIN_TOKEN_LENGTH = 16;

/** Where the dashboard listens and the token that unlocks its commands (null: read-only for everyone). */
export interface DashboardSettings {
  readonly host: string;
  readonly port: number;
  readonly token: string | null;
}

/** Addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '[::1]') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * The dashboard's settings from the configuration and the environment (`DASHBOARD_TOKEN`), or null
 * when `dashboard.enabled` is false. A host other than loopback without a token is refused: the
 * page, the metrics and the commands would be open to the network. A token shorter than
 * MIN_TOKEN_LENGTH is refused wherever the dashboard listens. The token itself is never echoed.
 */
export function dashboardSettings(config: DaemonConfig['dashboard'], env: Readonly<Record<string, string | undefined>>): DashboardSettings | null {
  if (!config.enabled) return null;
  const raw = env['DASHBOARD_TOKEN']?.trim();
  const token = raw === undefined || raw === '' ? null : raw;
  if (token !== null && token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(`DASHBOARD_TOKEN: must be at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 24), got ${token.length}`);
  }
  if (token === null && !isLoopback(config.host)) {
    throw new ConfigError(
      `dashboard.host: ${config.host} is reachable from other machines: set DASHBOARD_TOKEN in .env (at least ${MIN_TOKEN_LENGTH} characters, e.g. openssl rand -hex 24), or listen on 127.0.0.1`,
    );
  }
  return { host: config.host, port: config.port, token };
}
