import { z } from 'zod';
import type { StrategyType } from './StrategyCatalog.js';

/** The generated part of docs/strategies.md lies between these lines. */
export const DOCS_BEGIN = '<!-- BEGIN built-in types: generated from their zod schemas by `npm run docs:strategies`; test/docs/strategiesGuide.test.ts fails when they differ -->';
export const DOCS_END = '<!-- END built-in types -->';

interface JsonProperty {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly description?: string;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly exclusiveMaximum?: number;
}

/** A bound zod writes for every integer (±2^53−1) says nothing to a reader. */
const meaningful = (n: number | undefined): n is number => n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER;

function allowed(p: JsonProperty): string {
  if (p.enum !== undefined) return p.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  const parts: string[] = [];
  if (meaningful(p.exclusiveMinimum)) parts.push(`> ${p.exclusiveMinimum}`);
  if (meaningful(p.minimum)) parts.push(`≥ ${p.minimum}`);
  if (meaningful(p.exclusiveMaximum)) parts.push(`< ${p.exclusiveMaximum}`);
  if (meaningful(p.maximum)) parts.push(`≤ ${p.maximum}`);
  return parts.length === 0 ? 'any' : parts.join(', ');
}

/** One type's section: its name, what it does, a row per parameter (type, default, allowed values, meaning). */
export function strategyTypeSection(t: StrategyType): string {
  const schema = z.toJSONSchema(t.params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonProperty>; required?: readonly string[] };
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([name, p]) => {
    const fallback = p.default !== undefined ? `\`${JSON.stringify(p.default)}\`` : required.has(name) ? 'required' : 'optional';
    return `| \`${name}\` | ${p.type ?? 'enum'} | ${fallback} | ${allowed(p)} | ${(p.description ?? '').replaceAll('|', '\\|')} |`;
  });
  return [`### \`${t.type}\``, '', `${t.description}. Source: \`${t.file}\`.`, '', '| param | type | default | allowed | meaning |', '| --- | --- | --- | --- | --- |', ...rows, ''].join('\n');
}

/** The generated part of docs/strategies.md: a section per built-in type, in name order. */
export function builtInTypesMarkdown(types: readonly StrategyType[]): string {
  return [DOCS_BEGIN, '', ...types.map(strategyTypeSection), DOCS_END].join('\n');
}

/** `doc` with its generated part replaced by `generated` (which carries its own markers). */
export function replaceGenerated(doc: string, generated: string): string {
  const begin = doc.indexOf(DOCS_BEGIN);
  const end = doc.indexOf(DOCS_END);
  if (begin < 0 || end < begin) throw new Error(`docs/strategies.md has no generated part (the lines ${DOCS_BEGIN} … ${DOCS_END})`);
  return doc.slice(0, begin) + generated + doc.slice(end + DOCS_END.length);
}
