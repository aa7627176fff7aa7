// Small request bodies (manifests, token forms) read whole, within a limit checked from
// Content-Length before any read and counted while reading.
import type { IncomingMessage } from "node:http";
import { OciError } from "../oci/errors.ts";

export async function readLimited(
  req: IncomingMessage,
  max: number,
  what: string,
): Promise<Buffer> {
  const tooLarge = () =>
    new OciError(413, "SIZE_INVALID", `${what} exceeds ${max} bytes`, { detail: { max } });
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > max) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Content-Length as a number; undefined when absent, 400 when not a length. */
export function contentLength(req: IncomingMessage): number | undefined {
  const v = req.headers["content-length"];
  if (v === undefined) return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new OciError(400, "SIZE_INVALID", "invalid Content-Length");
  return Number(v);
}

/** Whether the request carries a body at all (a length above zero, or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const n = contentLength(req);
  return n !== undefined ? n > 0 : req.headers["transfer-encoding"] !== undefined;
}
