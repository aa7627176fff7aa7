// `npm test` runs this: prints every architecture violation (see scripts/arch/check.ts) and
// exits 1 when there is any. Usage: node --import tsx scripts/check-architecture.ts [root]
import { resolve } from "node:path";
import { checkArchitecture } from "./arch/check.ts";

const root = resolve(process.argv[2] ?? resolve(import.meta.dirname, ".."));
const violations = checkArchitecture(root);
for (const v of violations) console.log(`${v.rule.padEnd(16)} ${v.path}  ${v.message}`);
console.log(
  violations.length ? `${violations.length} architecture violations` : "architecture: ok",
);
process.exit(violations.length ? 1 : 0);
