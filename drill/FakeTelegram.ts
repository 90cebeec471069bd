import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  readonly method: string;
  readonly chatId: string;
  readonly text: string;
  readonly photo: Uint8Array | null;
  /** performance.now() when it was received. */
  readonly at: number;
}

/** A raw answer the fake gives instead of its normal one (any status, any body, even one that is not JSON). */
export interface ScriptedAnswer {
  /** Only for this Bot API method (e.g. `getUpdates`); any method when absent. */
  readonly method?: string;
  readonly status: number;
  readonly body: string;
}

export interface PushOptions {
  /** Unix seconds; default now. */
  readonly date?: number;
  /** The sender; default the chat (a private chat's id is its user's id). */
  readonly fromId?: number;
}

/**
 * A fake Telegram Bot API on loopback (TELEGRAM_API_ROOT): records sendMessage / sendPhoto (refusing,
 * as Telegram does, an empty text, a text over 4,096 units and a caption over 1,024), answers getMe
 * and getUpdates (forgetting the updates an offset confirms), and can answer 429 with a retry_after,
 * give scripted raw answers, or be down (connections cut).
 */
export class FakeTelegram {
  readonly received: ReceivedMessage[] = [];
  /** performance.now() of every request answered (not those cut while down). */
  readonly attempts: number[] = [];
  /** The method of every request answered, in order. */
  readonly requests: string[] = [];
  down = false;
  /** The next N requests get 429 with this retry_after (seconds). */
  tooMany: { count: number; retryAfter: number } = { count: 0, retryAfter: 0 };
  /** Answers given, in order, to the next requests they match (then normal service). */
  readonly script: ScriptedAnswer[] = [];
  readonly #server: Server;
  readonly #token: string;
  apiRoot = '';
  readonly #updates: Array<{ update_id: number; message: Record<string, unknown> }> = [];
  #nextUpdate = 1;

  /** A text message the bot will receive (getUpdates), as sent in chat `chatId` (private, or a group when negative). */
  pushMessage(chatId: number, text: string, o: PushOptions = {}): void {
    const id = this.#nextUpdate++;
    const date = o.date ?? Math.floor(Date.now() / 1000);
    const fromId = o.fromId ?? chatId;
    this.#updates.push({ update_id: id, message: { message_id: id, date, chat: { id: chatId, type: chatId < 0 ? 'supergroup' : 'private' }, from: { id: fromId, is_bot: false, first_name: 'U' }, text } });
  }

  constructor(token: string) {
    this.#token = token;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    });
  }

  async start(port = 0): Promise<string> {
    await new Promise<void>((r) => this.#server.listen(port, '127.0.0.1', () => r()));
    this.apiRoot = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.apiRoot;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }

  texts(): string[] {
    return this.received.map((m) => m.text);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.down) {
      req.socket.destroy();
      return;
    }
    this.attempts.push(performance.now());
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (m === null || m[1] !== this.#token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    this.requests.push(m[2]!);
    if (this.tooMany.count > 0) {
      this.tooMany.count--;
      return reply(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${this.tooMany.retryAfter}`, parameters: { retry_after: this.tooMany.retryAfter } });
    }
    const method = m[2]!;
    const scripted = this.script.findIndex((a) => a.method === undefined || a.method === method);
    if (scripted >= 0) {
      const [a] = this.script.splice(scripted, 1);
      res.writeHead(a!.status, { 'Content-Type': 'application/json' }).end(a!.body);
      return;
    }
    if (method === 'getMe') return reply(200, { ok: true, result: { id: 1, is_bot: true, first_name: 'Test', username: 'daemon_test_bot' } });
    const body = Buffer.concat(chunks);
    const form = await new Response(body, { headers: { 'content-type': req.headers['content-type'] ?? 'application/json' } });
    let fields: Record<string, unknown>;
    let photo: Uint8Array | null = null;
    if (String(req.headers['content-type']).startsWith('multipart/form-data')) {
      const data = await form.formData();
      fields = Object.fromEntries([...data.entries()].filter(([, v]) => typeof v === 'string'));
      const file = data.get('photo');
      if (file !== null && typeof file !== 'string') photo = new Uint8Array(await file.arrayBuffer());
    } else if (String(req.headers['content-type']).startsWith('application/json')) {
      fields = (await form.json()) as Record<string, unknown>;
    } else {
      // Telegram takes urlencoded bodies (what the library sends for plain fields) and the query string.
      fields = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    }
    if (method === 'getChat') {
      const id = Number(fields['chat_id'] ?? url.searchParams.get('chat_id'));
      return reply(200, { ok: true, result: { id, type: id < 0 ? 'supergroup' : 'private' } });
    }
    if (method === 'getUpdates') {
      const offset = Number(fields['offset'] ?? 0);
      // Telegram forgets the updates an offset confirms: a later poll without one does not get them again.
      if (offset > 0) this.#updates.splice(0, this.#updates.filter((u) => u.update_id < offset).length);
      // A short long-poll: hold the request a moment when there is nothing.
      for (let i = 0; i < 10 && !this.#updates.some((u) => u.update_id >= offset); i++) await new Promise((r) => setTimeout(r, 20));
      return reply(200, { ok: true, result: this.#updates.filter((u) => u.update_id >= offset) });
    }
    const text = String(fields['text'] ?? fields['caption'] ?? '');
    // Telegram's limits count UTF-16 code units (JavaScript's length).
    if (method === 'sendMessage' && text.trim() === '') return reply(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    if (method === 'sendMessage' && text.length > 4096) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' });
    if (method === 'sendPhoto' && text.length > 1024) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: message caption is too long' });
    this.received.push({ method, chatId: String(fields['chat_id']), text, photo, at: performance.now() });
    return reply(200, { ok: true, result: { message_id: this.received.length, date: 0, chat: { id: Number(fields['chat_id']), type: 'private' } } });
  }
}
