import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtInStrategyTypes } from '../../src/strategies/builtInStrategies.js';
import { builtInTypesMarkdown, DOCS_BEGIN, DOCS_END } from '../../src/strategies/strategyParamDocs.js';

const root = new URL('../../', import.meta.url);
const doc = (): string => readFileSync(new URL('docs/strategies.md', root), 'utf8');

describe('docs/strategies.md', () => {
  it('shows the example strategy exactly (the file npm test type-checks, lints and backtests: strategies/three_down_bounce.test.ts)', () => {
    const file = readFileSync(new URL('strategies/three_down_bounce.ts', root), 'utf8');
    expect(doc()).toContain('```ts\n' + file + '```');
  });

  it('lists every built-in type with every parameter as its zod schema says (npm run docs:strategies rewrites the tables)', () => {
    const text = doc();
    const generated = text.slice(text.indexOf(DOCS_BEGIN), text.indexOf(DOCS_END) + DOCS_END.length);
    const types = builtInStrategyTypes().sort((a, b) => a.type.localeCompare(b.type));
    expect(generated, 'docs/strategies.md disagrees with the schemas: run npm run docs:strategies').toBe(builtInTypesMarkdown(types));
    // Every parameter of every type has a row: the tables are the schemas, not a hand-kept copy.
    const rows = types.map((t) => [t.type, (generated.split(`### \`${t.type}\``)[1] ?? '').split('###')[0]!.match(/^\| `\w+` \|/gm)?.length ?? 0]);
    expect(rows).toEqual(types.map((t) => [t.type, Object.keys((t.params as unknown as { _zod: { def: { shape: object } } })._zod.def.shape).length]));
  });
});
