// Codecs for the types beyond RFC 1035's core that rdata.ts dispatches to by type number.

import { RR } from "./constants.ts";
import type { RdataCodec } from "./rdata-codec.ts";
import { CERT, DNSKEY, DS, SSHFP, TLSA } from "./rdata-keys.ts";
import { HINFO, NAPTR, URI } from "./rdata-strings.ts";
import { SVCB } from "./rdata-svcb.ts";

export const EXTRA_CODECS: ReadonlyMap<number, RdataCodec> = new Map([
  [RR.HINFO, HINFO],
  [RR.NAPTR, NAPTR],
  [RR.CERT, CERT],
  [RR.DS, DS],
  [RR.SSHFP, SSHFP],
  [RR.DNSKEY, DNSKEY],
  [RR.TLSA, TLSA],
  [RR.SVCB, SVCB],
  [RR.HTTPS, SVCB],
  [RR.URI, URI],
]);
