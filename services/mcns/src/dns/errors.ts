// Error raised for malformed wire data or presentation text; `code` is stable for API clients.

export class DnsFormatError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "DnsFormatError";
    this.code = code;
  }
}
