import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ObservedResponse } from '../../src/emulator/http/requestHandler.js';

type Spec = { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }>; $ref?: string }> }>> };

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Responses the spec models with a `oneOf` no real body can satisfy: GET
 * /v2/account/activities/{activity_type} answers items that are `oneOf` TradingActivities and
 * NonTradeActivities, two schemas without a required field or a conflicting one, so every activity
 * Alpaca documents (a FILL: id, activity_type, cum_qty, …) matches both and `oneOf` fails. The list
 * endpoint uses `anyOf` for the same items; here `oneOf` is read as `anyOf` and the defect recorded.
 */
const ONE_OF_READ_AS_ANY_OF = new Set(['GET /v2/account/activities/{activity_type} 200']);

/** A copy of a schema with `oneOf` read as `anyOf`, its local refs pointing into `doc`. */
function anyOfCopy(schema: unknown, doc: string): unknown {
  if (Array.isArray(schema)) return schema.map((x) => anyOfCopy(x, doc));
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k === 'oneOf' ? 'anyOf' : k, k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${doc}${v}` : anyOfCopy(v, doc)]),
  );
}

interface Operation {
  readonly doc: 'trading' | 'data';
  readonly template: string;
  readonly pattern: RegExp;
  readonly method: string;
  readonly responses: Record<string, { content?: Record<string, { schema?: unknown }>; $ref?: string }>;
}

/**
 * Checks emulator responses against Alpaca's published OpenAPI specs (vendor/alpaca-openapi): the
 * operation is found by method and path template, the schema by status. A status the spec does not
 * model is recorded as missing (and, for errors, checked against the spec's `Error{code,message}`).
 */
export class AlpacaContract {
  readonly #ajv: Ajv;
  readonly #ops: Operation[] = [];
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #specs = new Map<string, Spec & { components?: { responses?: Record<string, unknown> } }>();
  readonly failures: string[] = [];
  readonly missing = new Set<string>();
  checked = 0;

  constructor() {
    this.#ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateFormats: true }));
    // Alpaca's own string formats.
    this.#ajv.addFormat('decimal', /^-?\d+(\.\d+)?$/);
    for (const f of ['uint32', 'uint64', 'date-time-nano']) this.#ajv.addFormat(f, true);
    for (const doc of ['trading', 'data'] as const) {
      const spec = JSON.parse(readFileSync(new URL(`../../vendor/alpaca-openapi/${doc === 'trading' ? 'trading-api' : 'market-data-api'}.json`, import.meta.url), 'utf8')) as Spec;
      this.#ajv.addSchema(spec as object, doc);
      this.#specs.set(doc, spec);
      for (const [template, item] of Object.entries(spec.paths)) {
        const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
        for (const [method, op] of Object.entries(item)) {
          if (typeof op === 'object' && op !== null && 'responses' in op) this.#ops.push({ doc, template, pattern, method: method.toUpperCase(), responses: op.responses ?? {} });
        }
      }
    }
  }

  check(r: ObservedResponse): void {
    if (r.status === 0 || r.path.startsWith('/admin/')) return;
    const doc = r.path.startsWith('/v2/stocks/') ? 'data' : 'trading';
    // Literal paths win over templates (/v2/stocks/bars/latest is not /v2/stocks/{symbol}/bars).
    const candidates = this.#ops.filter((o) => o.doc === doc && o.method === r.method && o.pattern.test(r.path));
    const op = candidates.find((o) => !o.template.includes('{')) ?? candidates[0];
    const where = `${r.method} ${op?.template ?? r.path} ${r.status}`;
    if (op === undefined) {
      this.missing.add(`${r.method} ${r.path}: no operation in the spec`);
      return;
    }
    this.checked++;
    let resp = op.responses[String(r.status)];
    let pointer = `/paths/${op.template.replace(/~/g, '~0').replace(/\//g, '~1')}/${op.method.toLowerCase()}/responses/${r.status}`;
    if (resp?.$ref !== undefined) {
      // A shared response (#/components/responses/400): follow it.
      pointer = resp.$ref.slice(1);
      const name = resp.$ref.split('/').pop()!;
      resp = this.#specs.get(op.doc)?.components?.responses?.[name] as typeof resp;
    }
    const schema = resp?.content?.['application/json']?.schema;
    if (r.status === 204) {
      if (r.body !== undefined) this.failures.push(`${where}: a 204 carries no body`);
      return;
    }
    let ref: string;
    if (schema !== undefined && ONE_OF_READ_AS_ANY_OF.has(where)) {
      this.missing.add(`${where}: spec defect, oneOf of overlapping schemas read as anyOf`);
      ref = `${where} (anyOf)`;
      if (!this.#validators.has(ref)) this.#validators.set(ref, this.#ajv.compile(anyOfCopy(schema, op.doc) as object));
    } else if (schema !== undefined) {
      ref = `${op.doc}#${pointer}/content/application~1json/schema`;
    } else {
      this.missing.add(`${where}: ${resp === undefined ? 'status not in the spec' : 'no schema for this status'}`);
      if (r.status < 400) return;
      ref = 'trading#/components/schemas/Error';
    }
    let validate = this.#validators.get(ref);
    if (validate === undefined) {
      validate = this.#ajv.compile({ $ref: ref });
      this.#validators.set(ref, validate);
    }
    if (!validate(r.body)) {
      this.failures.push(`${where}: ${this.#ajv.errorsText(validate.errors, { separator: '; ' })} in ${JSON.stringify(r.body).slice(0, 300)}`);
    }
  }
}
