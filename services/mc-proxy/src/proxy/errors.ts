// Error answers the proxy itself produces (before or instead of a backend response).
export const PROXY_ERRORS = {
  bad_gateway: { status: 502, message: "backend unavailable" },
  gateway_timeout: { status: 504, message: "backend timed out" },
  rate_limited: { status: 429, message: "too many requests" },
  backend_unhealthy: { status: 503, message: "backend failing health checks" },
} as const;

export type ProxyErrorCode = keyof typeof PROXY_ERRORS;

export function errorJson(code: ProxyErrorCode): string {
  return JSON.stringify({ error: { code, message: PROXY_ERRORS[code].message } });
}
