// Collects a decoded request header list (or trailer list) and checks it against RFC 9113
// §8.2–8.3: lower-case token names, no CR/LF/NUL or edge whitespace in values, pseudo-headers
// only first, known, once, and the required ones present; no connection-specific fields; a single
// numeric content-length. Anything else is malformed. The fields are kept as a list (no object
// with per-request keys on the hot path); the Node-style header object is built on demand.
import { CONNECTION_SPECIFIC, LOCAL } from "./constants.ts";

export type RequestHeaders = Record<string, string | string[]>;

/** Lower-case tchar (RFC 9110 §5.6.2) minus upper-case letters. */
const NAME_OK = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz") NAME_OK[c.charCodeAt(0)] = 1;

const BAD_VALUE = /[\0\r\n]|^[ \t]|[ \t]$/;
/** :path, :authority and :method end up in an HTTP/1.1 request line or Host header. */
const BAD_TARGET = /[\0-\x20\x7f]/;
/** Regular fields checked for repeats one by one; a longer list is treated as having some. */
const PLAIN_MAX = 16;

/** One request's decoded header list, in the order received (pseudo-headers first). */
export class RequestFields {
  readonly names: string[] = [];
  readonly values: string[] = [];
  method: string | undefined;
  path: string | undefined;
  scheme: string | undefined;
  authority: string | undefined;
  /**
   * No regular name repeats and none is numeric: the list reads exactly as the header object
   * would (same fields, same order: an object puts integer-like keys first), so it can be used
   * instead.
   */
  plain = true;
  /** Index in the lists of the first regular field. */
  regularFrom = 0;
  private obj: RequestHeaders | null = null;

  /**
   * The Node-style header object (lower-case names; cookie joined, other repeats as arrays), with
   * no prototype, like node:http2's: a field named like an Object.prototype member is just a field.
   */
  object(): RequestHeaders {
    if (this.obj !== null) return this.obj;
    const o: RequestHeaders = Object.create(null);
    const names = this.names;
    const values = this.values;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const value = values[i] as string;
      if (i < this.regularFrom) {
        o[name] = value;
        continue;
      }
      const prev = o[name];
      if (prev === undefined) o[name] = name === "set-cookie" ? [value] : value;
      else if (name === "cookie") o[name] = `${prev}; ${value}`;
      else if (Array.isArray(prev)) prev.push(value);
      else o[name] = [prev, value];
    }
    this.obj = o;
    return o;
  }

  /** A field's value when it occurs exactly once (what the object holds as a plain string). */
  single(name: string): string | undefined {
    if (name === "set-cookie") return undefined; // always an array in the object
    let found: string | undefined;
    for (let i = this.regularFrom; i < this.names.length; i++) {
      if (this.names[i] !== name) continue;
      if (found !== undefined)
        return name === "cookie" ? (this.object()[name] as string) : undefined;
      found = this.values[i] as string;
    }
    return found;
  }

  has(name: string): boolean {
    for (let i = this.regularFrom; i < this.names.length; i++)
      if (this.names[i] === name) return true;
    return false;
  }
}

export class HeaderCollector {
  fields = new RequestFields();
  /** First problem found ("" when none); decoding continues so HPACK state stays in sync. */
  error = "";
  tooLarge = false;
  private size = 0;
  private regular = false;
  private trailers = false;
  /** content-length: occurrences and the first value. */
  private clCount = 0;
  private cl = "";

  reset(trailers: boolean): void {
    this.fields = new RequestFields();
    this.error = "";
    this.tooLarge = false;
    this.size = 0;
    this.regular = false;
    this.trailers = trailers;
    this.clCount = 0;
    this.cl = "";
  }

  /** The header object of the current list (tests; the forwarders use `fields`). */
  get headers(): RequestHeaders {
    return this.fields.object();
  }

  readonly add = (name: string, value: string): void => {
    this.size += name.length + value.length + 32;
    if (this.size > LOCAL.maxHeaderList) this.tooLarge = true;
    if (this.error !== "" || this.tooLarge) return;
    const f = this.fields;
    if (name.charCodeAt(0) === 58) {
      if (this.trailers || this.regular) {
        this.fail("misplaced pseudo-header");
        return;
      }
      let prev: string | undefined;
      if (name === ":method") prev = f.method;
      else if (name === ":path") prev = f.path;
      else if (name === ":scheme") prev = f.scheme;
      else if (name === ":authority") prev = f.authority;
      else {
        this.fail(`unknown pseudo-header ${name}`);
        return;
      }
      if (prev !== undefined) {
        this.fail(`duplicate ${name}`);
        return;
      }
      if (name !== ":scheme" && BAD_TARGET.test(value)) {
        this.fail(`invalid ${name}`);
        return;
      }
      if (name === ":method") f.method = value;
      else if (name === ":path") f.path = value;
      else if (name === ":scheme") f.scheme = value;
      else f.authority = value;
      f.names.push(name);
      f.values.push(value);
      f.regularFrom = f.names.length;
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
    if (name === "content-length" && this.clCount++ === 0) this.cl = value;
    const names = f.names;
    if (f.plain) {
      const c = name.charCodeAt(0);
      if ((c >= 48 && c <= 57) || names.length - f.regularFrom >= PLAIN_MAX) f.plain = false;
      else {
        for (let i = f.regularFrom; i < names.length; i++) {
          if (names[i] === name) {
            f.plain = false;
            break;
          }
        }
      }
    }
    names.push(name);
    f.values.push(value);
  };

  /** After the block: the request's content-length (-1 when absent), or null if malformed. */
  finish(): number | null {
    if (this.error !== "" || this.tooLarge) return null;
    const f = this.fields;
    if (!this.trailers) {
      const m = f.method;
      if (m === undefined || m === "" || m === "CONNECT") return this.bad("bad :method");
      for (let i = 0; i < m.length; i++) {
        const c = m.charCodeAt(i);
        if (c >= 128 || NAME_OK[c] === 0) {
          if (c < 65 || c > 90) return this.bad("bad :method");
        }
      }
      const p = f.path;
      if (p === undefined || p === "") return this.bad("missing :path");
      if (p.charCodeAt(0) !== 47 && !(p === "*" && m === "OPTIONS")) return this.bad("bad :path");
      if (f.scheme === undefined) return this.bad("missing :scheme");
    }
    if (this.clCount === 0) return -1;
    const cl = this.cl;
    if (this.clCount > 1 || cl.length === 0 || cl.length > 15)
      return this.bad("bad content-length");
    let n = 0;
    for (let i = 0; i < cl.length; i++) {
      const d = cl.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return this.bad("bad content-length");
      n = n * 10 + d;
    }
    return n;
  }

  private fail(why: string): void {
    this.error = why;
  }

  private bad(why: string): null {
    this.error = why;
    return null;
  }
}
