import { createHash } from 'node:crypto';

/** What makes a strategy the strategy it is: another type, other parameters or other symbols are another strategy. */
export interface StrategyIdentity {
  readonly type: string;
  readonly params: unknown;
  readonly symbols: readonly string[];
  /** A strategy module of your own: the sha256 of its code (StrategyCatalog.userSource); absent for a built-in. */
  readonly source?: string | undefined;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The strategy's fingerprint: the first 16 hex digits of the sha-256 of its type, parameters (keys
 * in any order), symbols (in any order) and, for a module of your own, its code's sha256 (a built-in's
 * fingerprint is what it was before modules existed). Capital is not part of it: more or less money is a
 * deposit or a withdrawal (returns are measured net of it), not another strategy.
 */
export function strategyFingerprint(s: StrategyIdentity): string {
  const text = canonical({ type: s.type, params: s.params ?? {}, symbols: [...s.symbols].sort(), source: s.source });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Every leaf of a parameter object by dotted path (`risk.stop`). */
function leaves(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) leaves(v, path === '' ? k : `${path}.${k}`, out);
  } else out.set(path, canonical(value));
  return out;
}

const short = (sha: string | undefined): string => (sha === undefined ? '(built-in)' : `sha256 ${sha.slice(0, 12)}`);

/** What changed from one identity to the next, in words: `type sma_cross → rsi_reversion; params.fast 10 → 12; symbols +NVDA −MU`. */
export function describeChange(before: StrategyIdentity, after: StrategyIdentity): string {
  const parts: string[] = [];
  if (before.type !== after.type) parts.push(`type ${before.type} → ${after.type}`);
  const a = leaves(before.params ?? {}, '', new Map());
  const b = leaves(after.params ?? {}, '', new Map());
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(key);
    const y = b.get(key);
    if (x !== y) parts.push(`params.${key} ${x ?? '(none)'} → ${y ?? '(none)'}`);
  }
  const added = after.symbols.filter((s) => !before.symbols.includes(s));
  const removed = before.symbols.filter((s) => !after.symbols.includes(s));
  if (added.length > 0 || removed.length > 0) parts.push(`symbols ${[...added.map((s) => `+${s}`), ...removed.map((s) => `−${s}`)].join(' ')}`);
  if (before.source !== after.source) parts.push(`code ${short(before.source)} → ${short(after.source)}`);
  return parts.length === 0 ? 'no change' : parts.join('; ');
}
