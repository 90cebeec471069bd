/** What a route handler answers: a status, a JSON body (none for 204), extra headers. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  /** The order this reply creates: a lost-response fault cuts the connection instead of answering. */
  readonly createsOrder?: boolean;
  /** Runs once the reply has been written (e.g. matching a new order against the NBBO). */
  readonly after?: () => void;
}

export interface RouteContext {
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: (ctx: RouteContext) => Reply;
}

export const ok = (body: unknown, extra: Partial<Reply> = {}): Reply => ({ status: 200, body, ...extra });
