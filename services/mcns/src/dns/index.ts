// Public surface of the mcns wire codec (for e2e tests and tools).
export { CLASS_IN, FLAG, OPCODE, RCODE, RR, typeName, typeNumber } from "./constants.ts";
export { DnsFormatError } from "./errors.ts";
export {
  buildMessage,
  buildQuery,
  type ParsedMessage,
  type ParsedRecord,
  parseMessage,
  recordText,
} from "./message.ts";
export { absoluteName, lowerName } from "./name.ts";
export { parseRdata, rdataToText } from "./rdata.ts";
