// RDATA as the writer sees it: byte runs and domain names (compressed or not).

/** A name inside RDATA; `compress` is true only for the RFC 1035 types (RFC 3597 §4). */
export interface NamePart {
  name: string;
  compress: boolean;
}

export type RdataPart = Buffer | NamePart;
