// An ACME problem document received from a server, as a thrown error.

export class AcmeError extends Error {
  constructor(
    /** The full type, e.g. urn:ietf:params:acme:error:badNonce. */
    readonly type: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${type.replace("urn:ietf:params:acme:error:", "")}: ${detail}`);
    this.name = "AcmeError";
  }

  /** The short kind ("badNonce"); "" for a non-ACME problem. */
  get kind(): string {
    return this.type.startsWith("urn:ietf:params:acme:error:") ? this.type.slice(27) : "";
  }
}
