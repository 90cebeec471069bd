import { normalizeV2 } from './normalizeV2.js';
import { upgradeV1, type UpgradeV1Context } from './upgradeV1.js';
import { upgradeV2 } from './upgradeV2.js';

/** What an upgrade may need to know that an old file does not say. */
export interface UpgradeContext {
  /** The offline account's starting cash (`sim.starting_cash`): version 1 kept no venue; null in Alpaca mode. */
  readonly startingCash: number | null;
  readonly entryCommission?: UpgradeV1Context['entryCommission'];
}

/**
 * Any state file this project has written, brought to the current version (3) before it is
 * validated: version 1 (no engine state: rebuilt from the books it showed), every shape version 2
 * had (normalized to its last), then version 2 to 3. A version it does not know is left as it is
 * (validation then names it). Throws, with the reason, when an old file cannot be trusted.
 */
export function upgradeState(raw: unknown, context: UpgradeContext): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  let o = raw as Record<string, unknown>;
  if (o['version'] === 1) {
    if (context.startingCash === null) throw new Error('version 1 was written by the offline mode only');
    o = upgradeV1(o, { startingCash: context.startingCash, ...(context.entryCommission === undefined ? {} : { entryCommission: context.entryCommission }) }) as Record<string, unknown>;
  }
  if (o['version'] === 2) return upgradeV2(normalizeV2(o, { keepIntentExits: true }) as Record<string, unknown>);
  return o;
}
