// The React app's typed fetch wrapper over the generated types (schema.d.ts) and route
// constants (routes.ts). Hand-written: `make codegen` regenerates the other two, not this file.
// Browsers authenticate with the HttpOnly session cookie (credentials: "include"); mobile
// clients may pass a short-lived JWT instead. Every call sends an X-Request-Id and every
// failure is an ApiError carrying the server's error model and the request id to report.
import type { components, operations } from "./schema";
import { buildPath, routes, type PathParams, type RouteName } from "./routes";

export type ErrorBody = components["schemas"]["ErrorBody"];
export type ErrorDetail = components["schemas"]["ErrorDetail"];

type Routes = typeof routes;
type OperationOf<N extends RouteName> = Routes[N]["operationId"] extends keyof operations
  ? operations[Routes[N]["operationId"]]
  : never;
type JsonOf<R> = R extends { content: { "application/json": infer Body } } ? Body : undefined;
type SuccessCodes = 200 | 201 | 202 | 204;

/** The JSON body of a route's success response (`undefined` for 204 and redirects). */
export type ResponseOf<N extends RouteName> =
  OperationOf<N> extends { responses: infer Responses }
    ? JsonOf<Responses[Extract<keyof Responses, SuccessCodes>]>
    : never;

/** The JSON request body a route takes (`never` when it takes none). */
export type RequestBodyOf<N extends RouteName> =
  OperationOf<N> extends { requestBody?: { content: { "application/json": infer Body } } } ? Body : never;

/** The query parameters a route accepts. */
export type QueryOf<N extends RouteName> =
  OperationOf<N> extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;

export interface CallOptions<N extends RouteName> {
  params?: PathParams<Routes[N]["path"]>;
  query?: QueryOf<N>;
  body?: RequestBodyOf<N>;
  /** Multipart uploads (POST /v1/documents/upload). */
  form?: FormData;
  /** Reuse the id of a failed attempt when retrying, so the server's logs join them up. */
  requestId?: string;
  signal?: AbortSignal;
}

/** Routes with `{placeholders}` must be given their params; others take none. */
type CallArgs<N extends RouteName> =
  keyof PathParams<Routes[N]["path"]> extends never
    ? [options?: CallOptions<N>]
    : [options: CallOptions<N> & { params: PathParams<Routes[N]["path"]> }];

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly requestId: string;

  constructor(status: number, detail: ErrorDetail | null, requestId: string) {
    super(detail?.message ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = detail?.code ?? "unknown";
    this.details = detail?.details ?? {};
    this.requestId = detail?.request_id ?? requestId;
  }
}

export interface ClientOptions {
  /** The API origin, e.g. "https://api.example.edu"; "" when the app is served from the same origin. */
  baseUrl: string;
  fetch?: typeof fetch;
  /** A bearer token for mobile clients; browsers leave this out and use the session cookie. */
  token?: () => string | null;
}

export function newRequestId(): string {
  return crypto.randomUUID();
}

export type Client = <N extends RouteName>(name: N, ...args: CallArgs<N>) => Promise<ResponseOf<N>>;

export function createClient(options: ClientOptions): Client {
  const send = options.fetch ?? fetch;
  return async <N extends RouteName>(name: N, ...args: CallArgs<N>): Promise<ResponseOf<N>> => {
    const call: CallOptions<N> = args[0] ?? {};
    const route = routes[name];
    const requestId = call.requestId ?? newRequestId();
    const headers = new Headers({ Accept: "application/json", "X-Request-Id": requestId });
    const token = options.token?.();
    if (token) headers.set("Authorization", `Bearer ${token}`);
    const init: RequestInit = { method: route.method, headers, credentials: "include" };
    if (call.signal) init.signal = call.signal;
    if (call.form) {
      init.body = call.form;
    } else if (call.body !== undefined) {
      headers.set("Content-Type", "application/json");
      init.body = JSON.stringify(call.body);
    }
    const path = buildPath<string>(route.path, call.params ?? {});
    const response = await send(options.baseUrl + path + queryString(call.query), init);
    const echoed = response.headers.get("X-Request-Id") ?? requestId;
    if (!response.ok) throw new ApiError(response.status, await errorDetail(response), echoed);
    if (!isJson(response)) return undefined as ResponseOf<N>;
    return (await response.json()) as ResponseOf<N>;
  };
}

function queryString(query: object | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

function isJson(response: Response): boolean {
  return response.status !== 204 && (response.headers.get("Content-Type") ?? "").includes("application/json");
}

async function errorDetail(response: Response): Promise<ErrorDetail | null> {
  if (!isJson(response)) return null;
  const body = (await response.json()) as Partial<ErrorBody>;
  return body.error ?? null;
}
