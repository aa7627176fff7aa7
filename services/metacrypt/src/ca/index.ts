// The CA domain's public surface for in-process tools (bench/metacrypt/issue-cpu.ts): issuers,
// profiles and issuance against a mount store, and the schema migrations a store's database needs.
export { migrations } from "../db/migrations.ts";
export { type Issued, issueWithKey } from "./issue.ts";
export { createIssuer } from "./issuers.ts";
export { putProfile } from "./profiles.ts";
