import { upgradeV2 } from './upgradeV2.js';

/**
 * Any state file this project has written, brought to the current version (3) before it is
 * validated: each version's upgrade runs in turn. A version it does not know is left as it is
 * (validation then names it).
 */
export function upgradeState(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const o = raw as Record<string, unknown>;
  if (o['version'] === 2) return upgradeV2(o);
  return raw;
}
