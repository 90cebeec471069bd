import { describe, expect, it } from 'vitest';
import { npmBannerOnStdout } from '../../src/cli/npmBannerOnStdout.js';

describe('npmBannerOnStdout', () => {
  it('is true under npm run unless npm is silent or in --json mode (its banner then goes to stderr)', () => {
    expect(npmBannerOnStdout({})).toBe(false);
    expect(npmBannerOnStdout({ npm_lifecycle_event: 'status' })).toBe(true);
    expect(npmBannerOnStdout({ npm_lifecycle_event: 'status', npm_config_loglevel: 'warn' })).toBe(true);
    expect(npmBannerOnStdout({ npm_lifecycle_event: 'status', npm_config_loglevel: 'silent' })).toBe(false);
    expect(npmBannerOnStdout({ npm_lifecycle_event: 'status', npm_config_json: 'true' })).toBe(false);
  });
});
