// Prepared-statement reuse for the hot paths (login, throttling, audit): mcdsl/db's per-handle
// statement cache under the short name the MCIAS stores use.
export { cachedStatement as stmt } from "@metacircular/mcdsl/db";
