export {
  keyList,
  MIN_KEY_BYTES,
  type OpenResult,
  type SessionKeys,
  seal,
  unseal,
} from "./cookie-codec.ts";
export { newSessionId, type SessionOptions, type SessionStore, sessionStore } from "./session.ts";
