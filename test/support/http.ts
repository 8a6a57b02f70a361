export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Sent as is (no JSON encoding), e.g. malformed JSON. */
  raw?: string;
}

/** A thin fetch client for black-box API tests. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  get<T = any>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, undefined, options);
  }

  post<T = any>(path: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body, options);
  }

  delete<T = any>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return this.request<T>('DELETE', path, undefined, options);
  }

  async request<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined = options.raw;
    if (body !== undefined && payload === undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && text ? (JSON.parse(text) as T) : (text as T);
    return { status: response.status, headers: response.headers, body: parsed, text };
  }
}

export interface RawResponse {
  status: number;
  headers: Headers;
  /** The body as text; empty for an event stream, which is cut after its headers. */
  text: string;
}

/**
 * One request exactly as given: the path is not re-encoded beyond what URL parsing does, the
 * body is sent as is, nothing is parsed. An event stream is cut after its headers (it would
 * never end); no answer within `timeoutMs` rejects.
 */
export async function sendRaw(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Uint8Array; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: options.headers, body: options.body, signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
  if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, headers: response.headers, text: '' };
  }
  return { status: response.status, headers: response.headers, text: await response.text() };
}
