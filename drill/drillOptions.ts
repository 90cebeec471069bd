import type { ParseArgsConfig } from 'node:util';

/** `npm run drill [-- --short] [--only TEXT]… [--seed N]`: the options drill.ts parses (the docs test checks the docs against them). */
export const drillOptions = {
  short: { type: 'boolean', default: false },
  only: { type: 'string', multiple: true },
  seed: { type: 'string', default: '7' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;
