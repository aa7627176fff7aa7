// Collects a decoded request header list (or trailer list) into a Node-style header object and
// checks it against RFC 9113 §8.2–8.3: lower-case token names, no CR/LF/NUL or edge whitespace in
// values, pseudo-headers only first, known, once, and the required ones present; no
// connection-specific fields; a single numeric content-length. Anything else is malformed.
import { CONNECTION_SPECIFIC, LOCAL } from "./constants.ts";

export type RequestHeaders = Record<string, string | string[]>;

/** Lower-case tchar (RFC 9110 §5.6.2) minus upper-case letters. */
const NAME_OK = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz") NAME_OK[c.charCodeAt(0)] = 1;

const BAD_VALUE = /[\0\r\n]|^[ \t]|[ \t]$/;
/** :path, :authority and :method end up in an HTTP/1.1 request line or Host header. */
const BAD_TARGET = /[\0-\x20\x7f]/;
const PSEUDO = new Set([":method", ":scheme", ":path", ":authority"]);

export class HeaderCollector {
  headers: RequestHeaders = {};
  /** First problem found ("" when none); decoding continues so HPACK state stays in sync. */
  error = "";
  tooLarge = false;
  private size = 0;
  private regular = false;
  private trailers = false;

  reset(trailers: boolean): void {
    this.headers = {};
    this.error = "";
    this.tooLarge = false;
    this.size = 0;
    this.regular = false;
    this.trailers = trailers;
  }

  readonly add = (name: string, value: string): void => {
    this.size += name.length + value.length + 32;
    if (this.size > LOCAL.maxHeaderList) this.tooLarge = true;
    if (this.error !== "" || this.tooLarge) return;
    if (name.charCodeAt(0) === 58) {
      if (this.trailers || this.regular) {
        this.fail("misplaced pseudo-header");
        return;
      }
      if (!PSEUDO.has(name)) {
        this.fail(`unknown pseudo-header ${name}`);
        return;
      }
      if (this.headers[name] !== undefined) {
        this.fail(`duplicate ${name}`);
        return;
      }
      if (name !== ":scheme" && BAD_TARGET.test(value)) {
        this.fail(`invalid ${name}`);
        return;
      }
      this.headers[name] = value;
      return;
    }
    this.regular = true;
    if (name.length === 0) {
      this.fail("empty field name");
      return;
    }
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c >= 128 || NAME_OK[c] === 0) {
        this.fail("invalid field name");
        return;
      }
    }
    if (BAD_VALUE.test(value)) {
      this.fail(`invalid value for ${name}`);
      return;
    }
    if (CONNECTION_SPECIFIC.has(name)) {
      this.fail(`connection-specific field ${name}`);
      return;
    }
    if (name === "te" && value !== "trailers") {
      this.fail("te other than trailers");
      return;
    }
    const prev = this.headers[name];
    if (prev === undefined) this.headers[name] = name === "set-cookie" ? [value] : value;
    else if (name === "cookie") this.headers[name] = `${prev}; ${value}`;
    else if (Array.isArray(prev)) prev.push(value);
    else this.headers[name] = [prev, value];
  };

  /** After the block: the request's content-length (-1 when absent), or null if malformed. */
  finish(): number | null {
    if (this.error !== "" || this.tooLarge) return null;
    const h = this.headers;
    if (!this.trailers) {
      const m = h[":method"];
      if (typeof m !== "string" || m === "" || m === "CONNECT") return this.bad("bad :method");
      for (let i = 0; i < m.length; i++) {
        const c = m.charCodeAt(i);
        if (c >= 128 || NAME_OK[c] === 0) {
          if (c < 65 || c > 90) return this.bad("bad :method");
        }
      }
      const p = h[":path"];
      if (typeof p !== "string" || p === "") return this.bad("missing :path");
      if (p.charCodeAt(0) !== 47 && !(p === "*" && m === "OPTIONS")) return this.bad("bad :path");
      if (typeof h[":scheme"] !== "string") return this.bad("missing :scheme");
    }
    const cl = h["content-length"];
    if (cl === undefined) return -1;
    if (typeof cl !== "string" || !/^\d{1,15}$/.test(cl)) return this.bad("bad content-length");
    return Number(cl);
  }

  private fail(why: string): void {
    this.error = why;
  }

  private bad(why: string): null {
    this.error = why;
    return null;
  }
}
