/**
 * `npm run docs:strategies`: rewrites the built-in types' parameter tables in docs/strategies.md
 * from their zod schemas (test/docs/strategiesGuide.test.ts fails until it is run after a change).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { builtInStrategyTypes } from '../src/strategies/builtInStrategies.js';
import { builtInTypesMarkdown, replaceGenerated } from '../src/strategies/strategyParamDocs.js';

const file = new URL('strategies.md', import.meta.url);
const doc = readFileSync(file, 'utf8');
const types = builtInStrategyTypes().sort((a, b) => a.type.localeCompare(b.type));
const next = replaceGenerated(doc, builtInTypesMarkdown(types));
writeFileSync(file, next);
process.stdout.write(next === doc ? 'docs/strategies.md: already up to date\n' : `docs/strategies.md: ${types.length} built-in types rewritten\n`);
