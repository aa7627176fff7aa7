// The distribution spec's error codes and the one error type the /v2 data path throws. Rendered
// as {"errors":[{"code","message","detail"}]} with the status the spec gives each case.

export type OciCode =
  | "BLOB_UNKNOWN"
  | "BLOB_UPLOAD_INVALID"
  | "BLOB_UPLOAD_UNKNOWN"
  | "DIGEST_INVALID"
  | "MANIFEST_BLOB_UNKNOWN"
  | "MANIFEST_INVALID"
  | "MANIFEST_UNKNOWN"
  | "NAME_INVALID"
  | "NAME_UNKNOWN"
  | "SIZE_INVALID"
  | "RANGE_INVALID"
  | "UNAUTHORIZED"
  | "DENIED"
  | "UNSUPPORTED"
  | "TOOMANYREQUESTS";

export class OciError extends Error {
  readonly code: OciCode;
  readonly status: number;
  readonly detail: unknown;
  /** Extra response headers (Range and Location on 416, WWW-Authenticate on 401). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: OciCode,
    message: string,
    opts: { detail?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "OciError";
    this.status = status;
    this.code = code;
    this.detail = opts.detail;
    this.headers = opts.headers ?? {};
  }

  body(): { errors: Array<{ code: string; message: string; detail?: unknown }> } {
    const e: { code: string; message: string; detail?: unknown } = {
      code: this.code,
      message: this.message,
    };
    if (this.detail !== undefined) e.detail = this.detail;
    return { errors: [e] };
  }
}

export const blobUnknown = (digest: string) =>
  new OciError(404, "BLOB_UNKNOWN", "blob unknown to registry", { detail: { digest } });
export const manifestUnknown = (reference: string) =>
  new OciError(404, "MANIFEST_UNKNOWN", "manifest unknown", { detail: { reference } });
export const nameUnknown = (name: string) =>
  new OciError(404, "NAME_UNKNOWN", "repository name not known to registry", { detail: { name } });
export const uploadUnknown = () =>
  new OciError(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
export const manifestInvalid = (why: string) =>
  new OciError(400, "MANIFEST_INVALID", `manifest invalid: ${why}`);
export const digestInvalid = (why: string) =>
  new OciError(400, "DIGEST_INVALID", `provided digest did not match uploaded content: ${why}`);
