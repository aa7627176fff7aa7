// The shape of a per-type RDATA codec: presentation tokens → canonical text and wire parts, and
// wire → canonical text. Used for the types added after RFC 1035 (rdata-extra.ts lists them).

import type { RdataPart } from "./rdata-parts.ts";
import type { WireReader } from "./reader.ts";
import type { Token } from "./text-tokens.ts";

export interface ParsedRdata {
  text: string;
  parts: RdataPart[];
}

export interface RdataCodec {
  /** `raw` is the untokenised text, for formats with their own quoting (SvcParams). */
  parse(tokens: Token[], origin: string | undefined, raw: string): ParsedRdata;
  /** Reads exactly the RDATA from `r` (positioned at its start, bounded at its end). */
  text(r: WireReader): string;
}
