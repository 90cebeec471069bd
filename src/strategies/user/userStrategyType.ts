import type { z } from 'zod';
import type { Strategy } from '../Strategy.js';
import { StrategyOrigin, type StrategyType } from '../StrategyCatalog.js';
import { hashSources, type SourceFile } from '../strategySourceHash.js';
import type { UserModule } from './findUserModules.js';

type StrategyClass = new (params: unknown, symbols: readonly string[]) => Strategy;

const CALLBACKS = ['onBar', 'onFill', 'onOrderRejected'] as const;

/** A zod 4 schema, from whichever copy of zod the module imported. */
function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value && typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

/** The zod kind of a schema (`object`, `string`, `pipe` …). */
function kindOf(schema: z.ZodType): string {
  return String((schema as unknown as { _zod: { def: { type: string } } })._zod.def.type);
}

/** A configuration's `params` is an object: the schema must take one (an object schema, refined or transformed). */
function takesAnObject(schema: z.ZodType): boolean {
  const def = (schema as unknown as { _zod: { def: { type: string; in?: z.ZodType; innerType?: z.ZodType } } })._zod.def;
  if (def.type === 'object') return true;
  if (def.type === 'pipe' && def.in !== undefined) return takesAnObject(def.in);
  if ((def.type === 'default' || def.type === 'prefault' || def.type === 'optional') && def.innerType !== undefined) return takesAnObject(def.innerType);
  return false;
}

function isStrategyClass(value: unknown): value is StrategyClass {
  return typeof value === 'function' && typeof (value as { prototype?: unknown }).prototype === 'object';
}

/** One export that passes `test`: the one named `preferred`, else the only one of them. */
function pick(exports: Record<string, unknown>, preferred: string, test: (v: unknown) => boolean): { name: string; value: unknown } | { problem: 'none' | 'several'; names: string[] } {
  if (Object.hasOwn(exports, preferred)) return { name: preferred, value: exports[preferred] };
  const names = Object.keys(exports).filter((k) => test(exports[k]));
  if (names.length === 1) return { name: names[0]!, value: exports[names[0]!] };
  return { problem: names.length === 0 ? 'none' : 'several', names };
}

const EXAMPLE_PARAMS = 'export const params = z.strictObject({ … })';
const EXAMPLE_CLASS = "export default class MyStrategy extends Strategy<z.infer<typeof params>> { … } (Strategy from '../src/strategies/api.js')";

/**
 * Checks what a user module exports and makes it a catalog entry. It must export its parameters'
 * zod object schema (`params`, or its only zod schema) and its strategy class (the default export,
 * or its only class) with `onBar`, `onFill` and `onOrderRejected` (what extending `Strategy` gives);
 * `description` (a string) is optional. Returns the problems instead, one line each, naming the file.
 */
export function userStrategyType(module: UserModule, exports: Record<string, unknown>, sources: readonly SourceFile[]): StrategyType | string[] {
  const problems: string[] = [];
  const { file } = module;
  const params = pick(exports, 'params', isZodSchema);
  let schema: z.ZodType | null = null;
  if ('problem' in params) {
    problems.push(
      params.problem === 'none'
        ? `${file}: no export "params": export the zod schema of its parameters (${EXAMPLE_PARAMS})`
        : `${file}: several zod schemas are exported (${params.names.join(', ')}): name the parameters' one "params"`,
    );
  } else if (!isZodSchema(params.value)) {
    problems.push(`${file}: export "${params.name}" is not a zod schema (it is ${describeValue(params.value)}): ${EXAMPLE_PARAMS}`);
  } else if (!takesAnObject(params.value)) {
    problems.push(`${file}: export "${params.name}" must be a zod object schema (z.object / z.strictObject: a configuration's params are an object), not a zod ${kindOf(params.value)}`);
  } else {
    schema = params.value;
  }

  const isClass = (v: unknown): boolean => isStrategyClass(v) && typeof (v as StrategyClass).prototype.onBar === 'function';
  const klass = pick(exports, 'default', isClass);
  let ctor: StrategyClass | null = null;
  if ('problem' in klass) {
    problems.push(
      klass.problem === 'none'
        ? `${file}: no strategy class exported: ${EXAMPLE_CLASS}`
        : `${file}: several strategy classes are exported (${klass.names.join(', ')}): make the strategy the default export`,
    );
  } else if (!isStrategyClass(klass.value)) {
    problems.push(`${file}: the ${klass.name === 'default' ? 'default export' : `export "${klass.name}"`} is not a class (it is ${describeValue(klass.value)}): ${EXAMPLE_CLASS}`);
  } else {
    const missing = CALLBACKS.filter((m) => typeof (klass.value as StrategyClass).prototype[m] !== 'function');
    if (missing.length > 0) problems.push(`${file}: class ${(klass.value as StrategyClass).name || klass.name} has no ${missing.join(', ')}: extend Strategy from src/strategies/api.ts and implement onBar(bar, ctx)`);
    else ctor = klass.value;
  }

  const description = exports['description'];
  if (description !== undefined && typeof description !== 'string') problems.push(`${file}: export "description" must be a string (one line saying what the strategy does)`);
  if (problems.length > 0 || schema === null || ctor === null) return problems;

  const parse = schema;
  const Klass = ctor;
  const hash = hashSources(sources);
  return {
    type: module.type,
    origin: StrategyOrigin.User,
    file,
    params: parse,
    description: typeof description === 'string' ? description : `${Klass.name || module.type} (${file})`,
    create: (p: unknown, symbols: readonly string[]) => new Klass(parse.parse(p), symbols),
    sourceHash: () => hash,
  };
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}
