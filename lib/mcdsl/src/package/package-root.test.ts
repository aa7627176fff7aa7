import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { findPackageRoot, packageVersion } from "./package-root.ts";

const root = mkdtempSync(join(tmpdir(), "pkgroot-"));
after(() => rmSync(root, { recursive: true, force: true }));

const svc = join(root, "services", "demo");
mkdirSync(join(svc, "dist"), { recursive: true });
mkdirSync(join(svc, "src", "deep"), { recursive: true });
writeFileSync(join(root, "package.json"), JSON.stringify({ name: "workspace-root" }));
writeFileSync(join(svc, "package.json"), JSON.stringify({ name: "@x/demo", version: "1.2.3" }));
writeFileSync(join(svc, "dist", "demo.mjs"), "");

describe("findPackageRoot", () => {
  it("finds the package from a source module's URL, a bundle file and a directory", () => {
    assert.equal(
      findPackageRoot("@x/demo", pathToFileURL(join(svc, "src", "deep", "m.ts")).href),
      svc,
    );
    assert.equal(findPackageRoot("@x/demo", join(svc, "dist", "demo.mjs")), svc);
    assert.equal(findPackageRoot("@x/demo", svc), svc);
  });

  it("tries each start in turn and names them all when none leads there", () => {
    assert.equal(findPackageRoot("@x/demo", tmpdir(), join(svc, "dist")), svc);
    assert.throws(
      () => findPackageRoot("@x/other", join(svc, "dist")),
      /cannot find the @x\/other/,
    );
  });

  it("reads the version", () => {
    assert.equal(packageVersion(svc), "1.2.3");
    assert.throws(() => packageVersion(root), /has no version/);
  });
});
