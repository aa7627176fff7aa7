export { type CollectResult, PasswordCollector } from "./collector.ts";
export {
  type PasswordInput,
  PasswordInputError,
  type ReadPasswordOptions,
  readPassword,
} from "./read-password.ts";
