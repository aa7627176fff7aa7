// The CLI profile and the settings resolver: flag > env > profile > built-in default, shown in --help.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Command } from "commander";
import { configDir, loadProfile, profileEntry, profilePath } from "./profile.ts";
import { addSettings, profileWarning, type SettingSpec } from "./settings.ts";

const dir = mkdtempSync(join(tmpdir(), "mcdsl-profile-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const PROFILE = {
  version: 1,
  profile: "local",
  written_by: "npm start",
  data_dir: "/d",
  ca_cert: "/d/ca/ca.crt",
  admin: { username: "admin", password_file: null },
  mcias: {
    url: "http://127.0.0.1:18444",
    web_url: "https://mcias.localhost:18443",
    grpc_addr: "127.0.0.1:18445",
  },
  mcns: {
    url: "http://127.0.0.1:18446",
    web_url: "https://mcns.localhost:18443",
    grpc_addr: "127.0.0.1:18447",
    dns_addr: "127.0.0.1:18448",
  },
  mc_proxy: {
    socket: "/d/mc-proxy/mc-proxy.sock",
    listener: "web",
    listen_addr: "127.0.0.1:18443",
    metrics_url: "http://127.0.0.1:18449/metrics",
  },
};

function envWith(profile: unknown): NodeJS.ProcessEnv {
  const xdg = mkdtempSync(join(dir, "xdg-"));
  mkdirSync(join(xdg, "metacircular"));
  const text = typeof profile === "string" ? profile : JSON.stringify(profile);
  writeFileSync(join(xdg, "metacircular", "profile.json"), text, { mode: 0o600 });
  return { XDG_CONFIG_HOME: xdg };
}

test("the path follows XDG_CONFIG_HOME when absolute, else HOME/.config", () => {
  assert.equal(configDir({ XDG_CONFIG_HOME: "/x" }), "/x/metacircular");
  assert.equal(configDir({ XDG_CONFIG_HOME: "rel", HOME: "/h" }), "/h/.config/metacircular");
  assert.equal(profilePath({ HOME: "/h" }), "/h/.config/metacircular/profile.json");
});

test("a missing profile is absent; a valid one loads; a malformed one is invalid with a reason", () => {
  assert.equal(loadProfile({ XDG_CONFIG_HOME: join(dir, "none") }).state, "absent");
  const ok = loadProfile(envWith(PROFILE));
  assert.equal(ok.state, "loaded");
  assert.equal(ok.state === "loaded" && ok.profile.mc_proxy.socket, "/d/mc-proxy/mc-proxy.sock");
  const extra = loadProfile(envWith({ ...PROFILE, surprise: 1 }));
  assert.equal(extra.state, "invalid");
  // Another service's entry (an object of strings) is allowed and read back.
  const more = loadProfile(envWith({ ...PROFILE, mcq: { url: "http://127.0.0.1:1" } }));
  assert.equal(more.state, "loaded");
  assert.deepEqual(more.state === "loaded" && profileEntry(more.profile, "mcq"), {
    url: "http://127.0.0.1:1",
  });
  assert.equal(ok.state === "loaded" && profileEntry(ok.profile, "mcr"), undefined);
  const bad = loadProfile(envWith({ ...PROFILE, mcq: { url: 1 } }));
  assert.equal(bad.state, "invalid");
  const v2 = loadProfile(envWith({ ...PROFILE, version: 2 }));
  assert.match(v2.state === "invalid" ? v2.reason : "", /^version:/);
  const junk = loadProfile(envWith("{not json"));
  assert.equal(junk.state === "invalid" && junk.reason, "not valid JSON");
  assert.match(profileWarning(junk) ?? "", /^warning: ignoring the CLI profile .*profile\.json/);
  assert.equal(profileWarning(ok), undefined);
});

const SPEC: SettingSpec = {
  flags: "--server <url>",
  description: "MCIAS base URL",
  env: "MCIAS_URL",
  fromProfile: (p) => p.mcias.url,
  fallback: "https://127.0.0.1:8443",
};

function resolve(argv: string[], env: NodeJS.ProcessEnv, profileEnv: NodeJS.ProcessEnv) {
  const saved = process.env.MCIAS_URL;
  if (env.MCIAS_URL === undefined) delete process.env.MCIAS_URL;
  else process.env.MCIAS_URL = env.MCIAS_URL;
  try {
    const program = new Command("x").exitOverride().configureOutput({ writeOut: () => {} });
    addSettings(program, [SPEC], loadProfile(profileEnv));
    program.parse(argv, { from: "user" });
    const help = program.helpInformation().replace(/\s+/g, " ");
    return { server: program.opts().server as string, help };
  } finally {
    if (saved === undefined) delete process.env.MCIAS_URL;
    else process.env.MCIAS_URL = saved;
  }
}

test("precedence is flag > environment > profile > built-in default", () => {
  const withProfile = envWith(PROFILE);
  const none = { XDG_CONFIG_HOME: join(dir, "none") };
  assert.equal(resolve([], {}, none).server, "https://127.0.0.1:8443");
  assert.equal(resolve([], {}, withProfile).server, "http://127.0.0.1:18444");
  assert.equal(resolve([], { MCIAS_URL: "http://e:1" }, withProfile).server, "http://e:1");
  assert.equal(
    resolve(["--server", "http://f:2"], { MCIAS_URL: "http://e:1" }, withProfile).server,
    "http://f:2",
  );
});

test("--help names the environment variable and says when the default comes from the profile", () => {
  const withProfile = resolve([], {}, envWith(PROFILE)).help;
  assert.match(
    withProfile,
    /--server <url> MCIAS base URL \(default: http:\/\/127\.0\.0\.1:18444, from profile, env: MCIAS_URL\)/,
  );
  const without = resolve([], {}, { XDG_CONFIG_HOME: join(dir, "none") }).help;
  assert.match(without, /\(default: "https:\/\/127\.0\.0\.1:8443", env: MCIAS_URL\)/);
});
