import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/cli/describeFailure.js';

describe('a start that fails on the machine', () => {
  it('names the socket it could not listen on (a state folder on a read-only disk, or under a file)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fail-')), 'state');
    writeFileSync(file, 'not a folder');
    const socket = join(file, 'control.sock');
    const error = await new Promise<unknown>((resolve) => {
      const server = createServer();
      server.once('error', resolve);
      server.listen(socket);
    });
    expect(describeFailure(error)).toEqual({
      line: `error: cannot listen ${socket}: a part of the path is a file, not a folder (ENOTDIR); check the path and its owner, or set state.dir / logging.dir to a folder the daemon may write`,
      exitCode: 1,
    });
  });
});
