import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import type { Strategy } from './Strategy.js';

/** Where a strategy type comes from: shipped in `src/strategies/`, or a module of the user's folder. */
export const StrategyOrigin = { BuiltIn: 'built-in', User: 'user' } as const;
export type StrategyOrigin = (typeof StrategyOrigin)[keyof typeof StrategyOrigin];

/** One strategy type a configuration or a backtest can name. */
export interface StrategyType {
  readonly type: string;
  readonly origin: StrategyOrigin;
  /** The file that defines it (a user module: as found in its folder; a built-in: under src/strategies/). */
  readonly file: string;
  readonly params: z.ZodType;
  readonly description: string;
  /** Builds the strategy from its parameters (validated here) and the symbols it trades. */
  create(params: unknown, symbols: readonly string[]): Strategy;
  /** sha256 (hex) of the code that decides its orders: see strategySourceHash. */
  sourceHash(): string;
}

/** The spec fields the catalog needs to build a strategy. */
export interface StrategyToBuild {
  readonly type: string;
  readonly params: unknown;
  readonly symbols: readonly string[];
}

/**
 * Every strategy type of a run: the built-ins and the user's modules, loaded once at the command's
 * start (loadStrategyCatalog) and handed to whatever needs them (the configuration loader, the
 * backtest, the engine). Not a singleton: each command builds its own.
 */
export class StrategyCatalog {
  readonly #types: ReadonlyMap<string, StrategyType>;

  constructor(types: Iterable<StrategyType>) {
    const map = new Map<string, StrategyType>();
    for (const t of types) {
      if (map.has(t.type)) throw new RangeError(`strategy type ${t.type} is defined twice (${map.get(t.type)!.file}, ${t.file})`);
      map.set(t.type, t);
    }
    this.#types = map;
  }

  /** The type names, sorted. */
  names(): string[] {
    return [...this.#types.keys()].sort();
  }

  get(type: string): StrategyType | undefined {
    return this.#types.get(type);
  }

  /** Every type, built-ins first, each group in name order. */
  list(origin?: StrategyOrigin): StrategyType[] {
    const all = [...this.#types.values()].filter((t) => origin === undefined || t.origin === origin);
    return all.sort((a, b) => (a.origin === b.origin ? a.type.localeCompare(b.type) : a.origin === StrategyOrigin.BuiltIn ? -1 : 1));
  }

  /** The params schema of every type, for the configuration loader. */
  paramSchemas(): Record<string, z.ZodType> {
    return Object.fromEntries([...this.#types].map(([type, t]) => [type, t.params]));
  }

  /** Builds the strategy a spec names; a constructor that throws is one line naming its file. */
  create(spec: StrategyToBuild): Strategy {
    const t = this.#types.get(spec.type);
    if (t === undefined) throw new ConfigError(`unknown strategy type "${spec.type}" (known: ${this.names().join(', ')})`);
    try {
      return t.create(spec.params, spec.symbols);
    } catch (error) {
      if (t.origin === StrategyOrigin.BuiltIn) throw error;
      throw new ConfigError(`${t.file}: building the strategy failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  /**
   * The code fingerprint a run records for a type: the sha256 of a module of your own (editing it
   * restarts the strategy's paper clock, as a parameter change does); none for a built-in, whose code
   * changes only with the daemon's version and is held to the project's own tests and references.
   */
  userSource(type: string): string | undefined {
    return this.#types.get(type)?.origin === StrategyOrigin.User ? this.sourceHash(type) : undefined;
  }

  /** sha256 (hex) of a type's source, for the readiness record's fingerprint (see strategySourceHash). */
  sourceHash(type: string): string {
    const t = this.#types.get(type);
    if (t === undefined) throw new RangeError(`unknown strategy type ${type}`);
    return t.sourceHash();
  }
}
