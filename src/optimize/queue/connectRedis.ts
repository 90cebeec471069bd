import { Redis } from 'ioredis';
import { CliError } from '../../core/errors.js';

/** A connected client of the Redis at `url` (`where`: its address without a password), or a CliError saying why not. */
export async function connectRedis(url: string, where: string): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
  // The client's error event carries the cause (ECONNREFUSED …); connect() only says the connection closed.
  let cause: string | null = null;
  redis.on('error', (error: Error) => void (cause ??= error.message));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new CliError(`--queue: cannot reach Redis at ${where} (${cause ?? (error instanceof Error ? error.message : String(error))}); is redis-server running there?`);
  }
  return redis;
}
