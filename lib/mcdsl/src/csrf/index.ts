export {
  CSRF_FIELD,
  CSRF_HEADER,
  type CsrfEnv,
  type CsrfOptions,
  csrfProtection,
} from "./middleware.ts";
export { csrfToken, MIN_CSRF_KEY_BYTES, verifyCsrfToken } from "./token.ts";
