// node:http's own HTTP/1.x parser (llhttp, through node's internal `_http_common` binding) as an
// oracle for the lean head parser: the same bytes, llhttp's verdict and parsed head, with the
// settings a node:http server uses (strict, no lenient flags, 16 KiB heads).
import { createRequire } from "node:module";

interface ParserCtor {
  new (): Parser;
  REQUEST: number;
  RESPONSE: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
}
interface Parser {
  initialize(type: number, resource: object, maxHeaderSize?: number): void;
  execute(b: Buffer): number | (Error & { code?: string; reason?: string });
  finish(): unknown;
  close(): void;
  [k: number]: unknown;
}

const common = createRequire(import.meta.url)("_http_common") as {
  HTTPParser: ParserCtor;
  methods: string[];
};
const { HTTPParser, methods } = common;

export interface LlHead {
  method: string;
  target: string;
  status: number;
  minor: number;
  /** Names lower-cased, values as llhttp delivers them (outer whitespace removed). */
  headers: [string, string][];
  upgrade: boolean;
  keepAlive: boolean;
}

export interface LlResult {
  /** The head completed (whatever came after it). */
  head: LlHead | null;
  /** llhttp's error code when it refused the bytes (before or after the head). */
  error: string | null;
  /** Messages completed and body bytes seen, for framing comparisons. */
  messages: number;
  bodyBytes: number;
  /** Heads completed in total (a pipelined second message counts). */
  heads: number;
}

/** Runs `b` through a fresh llhttp parser, request or response mode. */
export function llhttpParse(b: Buffer, request: boolean, maxHeaderSize = 16 * 1024): LlResult {
  const p = new HTTPParser();
  p.initialize(request ? HTTPParser.REQUEST : HTTPParser.RESPONSE, {}, maxHeaderSize);
  const out: LlResult = { head: null, error: null, messages: 0, bodyBytes: 0, heads: 0 };
  let pending: string[] = [];
  let url = "";
  p[HTTPParser.kOnHeaders] = (h: string[], u: string) => {
    pending = pending.concat(h);
    url += u;
  };
  p[HTTPParser.kOnHeadersComplete] = (
    _major: number,
    minor: number,
    h: string[] | undefined,
    method: number | undefined,
    u: string | undefined,
    status: number | undefined,
    _msg: string | undefined,
    upgrade: boolean,
    keepAlive: boolean,
  ) => {
    const flat = h ?? pending;
    const headers: [string, string][] = [];
    for (let i = 0; i < flat.length; i += 2)
      headers.push([(flat[i] as string).toLowerCase(), flat[i + 1] as string]);
    out.heads++;
    if (out.head === null)
      out.head = {
        method: method === undefined ? "" : (methods[method] ?? ""),
        target: u ?? url,
        status: status ?? 0,
        minor,
        headers,
        upgrade,
        keepAlive,
      };
    pending = [];
    url = "";
    return 0;
  };
  p[HTTPParser.kOnBody] = (chunk: Buffer) => {
    out.bodyBytes += chunk.length;
  };
  p[HTTPParser.kOnMessageComplete] = () => {
    out.messages++;
  };
  const r = p.execute(b);
  if (typeof r !== "number") out.error = r.code ?? "error";
  p.close();
  return out;
}
