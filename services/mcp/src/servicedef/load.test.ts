// Service definitions: what is accepted, and that every refusal names the file, the field path
// and the reason.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { ConfigError } from "@metacircular/mcdsl/config";
import { tempDirFor } from "@metacircular/testkit";
import { loadServiceDef, loadServiceDefs, parseServiceDef } from "./load.ts";

const GOOD = `
name = "hello"
node = "rift"

[build.images]
hello = "Containerfile"

[[components]]
name = "web"
image = "mcr.svc.mcp.metacircular.net:8443/hello:v1.0.0"
volumes = ["/srv/hello:/srv/hello:ro"]
cmd = ["httpd", "-f"]
env = ["GREETING=hi there"]
user = "0:0"

[[components.routes]]
port = 8080
mode = "l7"

[[components.routes]]
name = "grpc"
port = 9443
mode = "l4"
hostname = "hello-grpc.example.net"
public = true
`;

test("a full definition parses, with defaults filled in", () => {
  const d = parseServiceDef(GOOD, "hello.toml");
  assert.equal(d.name, "hello");
  assert.equal(d.tier, "worker");
  assert.equal(d.active, true);
  assert.deepEqual(d.build?.images, { hello: "Containerfile" });
  const c = d.components[0];
  assert.equal(c?.restart, "unless-stopped");
  assert.deepEqual(c?.routes[0], { port: 8080, mode: "l7", public: false });
  assert.equal(c?.routes[1]?.public, true);
});

function refusal(text: string): {
  message: string;
  problems: Array<{ path: string; message: string }>;
} {
  try {
    parseServiceDef(text, "/defs/hello.toml");
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    assert.match(e.message, /\/defs\/hello\.toml/);
    return { message: e.message, problems: e.problems };
  }
  assert.fail("accepted");
}

const cases: Array<{ what: string; edit: (s: string) => string; path: string; reason: RegExp }> = [
  {
    what: "a misspelt route field",
    edit: (s) => s.replace("public = true", "pubilc = true"),
    path: "components[0].routes[1].pubilc",
    reason: /unknown key \(did you mean public\?\)/,
  },
  {
    what: "a misspelt component field",
    edit: (s) => s.replace("volumes =", "volume ="),
    path: "components[0].volume",
    reason: /did you mean volumes/,
  },
  {
    what: "an unknown top-level field far from any other",
    edit: (s) => s.replace('node = "rift"', 'node = "rift"\nflavour = "mint"'),
    path: "flavour",
    reason: /^unknown key$/,
  },
  {
    what: ":latest",
    edit: (s) => s.replace("hello:v1.0.0", "hello:latest"),
    path: "components[0].image",
    reason: /:latest` is refused/,
  },
  {
    what: "an untagged image",
    edit: (s) => s.replace("hello:v1.0.0", "hello"),
    path: "components[0].image",
    reason: /no version tag/,
  },
  {
    what: "an unknown mode",
    edit: (s) => s.replace('mode = "l4"', 'mode = "l5"'),
    path: "components[0].routes[1].mode",
    reason: /l4.*l7/,
  },
  {
    what: "a port out of range",
    edit: (s) => s.replace("port = 8080", "port = 70000"),
    path: "components[0].routes[0].port",
    reason: /65535/,
  },
  {
    what: "a missing node",
    edit: (s) => s.replace('node = "rift"', ""),
    path: "node",
    reason: /required/,
  },
  {
    what: "an upper-case service name",
    edit: (s) => s.replace('name = "hello"', 'name = "Hello"'),
    path: "name",
    reason: /DNS label/,
  },
  {
    what: "PORT set by hand",
    edit: (s) => s.replace('"GREETING=hi there"', '"PORT=1"'),
    path: "components[0].env[0]",
    reason: /set by the agent/,
  },
  {
    what: "a relative volume",
    edit: (s) => s.replace("/srv/hello:/srv/hello:ro", "data:/srv/hello"),
    path: "components[0].volumes[0]",
    reason: /absolute/,
  },
  {
    what: "an unknown restart policy",
    edit: (s) => s.replace('user = "0:0"', 'user = "0:0"\nrestart = "sometimes"'),
    path: "components[0].restart",
    reason: /unless-stopped/,
  },
  {
    what: "two unnamed routes in one component",
    edit: (s) => s.replace('name = "grpc"\n', ""),
    path: "components[0].routes[1].name",
    reason: /name every route but one/,
  },
  {
    what: "a misspelt health check field",
    edit: (s) => `${s}\n[components.health]\nhtp = "/healthz"\n`,
    path: "components[0].health.htp",
    reason: /unknown key \(did you mean http\?\)/,
  },
  {
    what: "a health check on a route the component lacks",
    edit: (s) => `${s}\n[components.health]\nhttp = "/healthz"\nroute = "admin"\n`,
    path: "components[0].health.route",
    reason: /no route admin in component web/,
  },
  {
    what: "a relative health check path",
    edit: (s) => `${s}\n[components.health]\nhttp = "healthz"\n`,
    path: "components[0].health.http",
    reason: /absolute path/,
  },
  {
    what: "a TOML syntax error",
    edit: (s) => s.replace('node = "rift"', "node = rift"),
    path: "",
    reason: /TOML syntax error at line 3/,
  },
];

for (const c of cases) {
  test(`refused: ${c.what}`, () => {
    const r = refusal(c.edit(GOOD));
    const p = r.problems.find((x) => x.path === c.path);
    assert.ok(p, `no problem at ${c.path}: ${r.message}`);
    assert.match(p.message, c.reason);
  });
}

test("every problem is reported at once", () => {
  const text = GOOD.replace("hello:v1.0.0", "hello:latest").replace('mode = "l4"', 'mode = "tcp"');
  const paths = refusal(text.replace("public = true", "publik = true")).problems.map((p) => p.path);
  assert.deepEqual(paths.sort(), [
    "components[0].image",
    "components[0].routes[1].mode",
    "components[0].routes[1].publik",
  ]);
});

test("files: the name must match the file, and a directory loads sorted", (t) => {
  const dir = tempDirFor(t, "mcp-defs-");
  writeFileSync(dir.join("hello.toml"), GOOD);
  writeFileSync(dir.join("also.toml"), GOOD.replace('name = "hello"', 'name = "also"'));
  writeFileSync(dir.join("notes.txt"), "not a definition");
  assert.deepEqual(
    loadServiceDefs(dir.path).map((d) => d.name),
    ["also", "hello"],
  );
  writeFileSync(dir.join("other.toml"), GOOD);
  assert.throws(
    () => loadServiceDef(dir.join("other.toml")),
    /name: is hello, but the file is named other\.toml/,
  );
  assert.throws(() => loadServiceDef(dir.join("missing.toml")), /cannot read file \(ENOENT\)/);
});
