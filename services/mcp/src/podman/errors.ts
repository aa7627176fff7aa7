// Podman's error answers ({"cause","message","response"}) as AppErrors with stable codes.
import { AppError } from "@metacircular/mcdsl/errors";

export function podmanError(what: string, status: number, body: Buffer): AppError {
  let message = body.toString("utf8").trim();
  try {
    const j = JSON.parse(message) as { message?: unknown };
    if (typeof j.message === "string") message = j.message;
  } catch {
    // not JSON: keep the text
  }
  const text = `podman ${what}: ${message || `HTTP ${status}`}`;
  // podman answers some of these with 500; its messages are stable across 4.x.
  if (status === 404 || /image not known|no such (container|image)/i.test(message))
    return new AppError(404, "podman_not_found", text);
  if (status === 409 || /already in use/i.test(message))
    return new AppError(409, "podman_conflict", text);
  if (status === 400) return new AppError(400, "podman_bad_request", text);
  return new AppError(503, "podman_failed", text);
}
