export { type ClientHelloResult, parseClientHello } from "./client-hello.ts";
export {
  encodeProxyV1,
  encodeProxyV2,
  type ProxyAddresses,
  type ProxyHeaderResult,
  parseProxyHeader,
} from "./proxy-header.ts";
