// Regenerates lib/proto/gen from lib/proto/proto with buf + protoc-gen-es (both from npm).
// With --check it generates into a temporary copy and fails when the committed code differs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const protoDir = join(root, "lib/proto");
const buf = join(root, "node_modules/.bin/buf");

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function generate(outBase?: string): void {
  execFileSync(buf, ["lint"], { cwd: protoDir, stdio: "inherit" });
  const args = outBase ? ["generate", "-o", outBase] : ["generate"];
  execFileSync(buf, args, { cwd: protoDir, stdio: "inherit" });
}

if (!process.argv.includes("--check")) {
  generate(protoDir);
  console.log("generated lib/proto/gen");
} else {
  const scratch = mkdtempSync(join(tmpdir(), "mc-proto-"));
  try {
    const copy = scratch;
    generate(scratch);
    const want = listFiles(join(copy, "gen"));
    const have = listFiles(join(protoDir, "gen"));
    const drift: string[] = [];
    for (const f of new Set([...want, ...have])) {
      const a = want.includes(f) ? readFileSync(join(copy, "gen", f), "utf8") : null;
      const b = have.includes(f) ? readFileSync(join(protoDir, "gen", f), "utf8") : null;
      if (a !== b) drift.push(f);
    }
    if (drift.length > 0) {
      console.error(
        `generated code is out of date (run npm run generate):\n  ${drift.join("\n  ")}`,
      );
      process.exit(1);
    }
    console.log(`generated code is up to date (${have.length} files)`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
