// Lockout without denial of service, on the real process: while an attacker keeps spraying
// guesses at an account (which keeps the per-account throttle closed), the owner on a device
// that signed in before (a device token over REST, the mcias_device cookie in the web UI) logs
// in at once; unknown devices stay throttled; a known device meets its own limit. Clients bind
// to distinct loopback source addresses (127.0.0.x).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { type MciasInstance, startMcias } from "./helpers.ts";
import { UiClient } from "./web-ui-client.ts";

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: Record<string, unknown>;
}

function login(body: Record<string, unknown>, localAddress: string): Promise<Answer> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${m.url}/v1/auth/login`,
      {
        method: "POST",
        localAddress,
        agent: false,
        headers: { "content-type": "application/json", "content-length": payload.length },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => {
          text += d;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers["retry-after"] as string | undefined,
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const OWNER_PW = "owner-password-1";
const ATTACKER = "127.0.0.2";
const OWNER_HOME = "127.0.0.10";
const ELSEWHERE = "127.0.0.20";
const MAX_SPRAY = 300;

let m: MciasInstance;
before(async () => {
  // A long first delay, so the account stays closed for the whole test once the spray has
  // used the free failures: every owner check below runs while the account is throttled.
  m = await startMcias({
    extraToml: [
      "[protection]",
      "free_failures = 2",
      "base_delay_s = 300",
      "max_delay_s = 600",
      "ip_failures_per_min = 1000",
      "device_failures = 3",
      "device_lock_s = 600",
    ].join("\n"),
  });
  await m.api("POST", "/v1/policies", { priority: 10, effect: "allow", roles: ["user"] });
  await m.createAccount("owner", { roles: ["user"], password: OWNER_PW });
  await m.createAccount("other", { roles: ["user"], password: "other-password-1" });
});
after(async () => {
  await m?.stop();
});

/** Sprays wrong passwords at `owner` until stopped (at most MAX_SPRAY); counts statuses. */
function spray() {
  const statuses = new Map<number, number>();
  let sent = 0;
  let stop = false;
  let closed: () => void = () => undefined;
  const throttled = new Promise<void>((r) => {
    closed = r;
  });
  const done = (async () => {
    while (!stop && sent < MAX_SPRAY) {
      const r = await login({ username: "owner", password: `guess-${sent++}` }, ATTACKER);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 429) closed();
    }
  })();
  return {
    throttled,
    statuses,
    async end() {
      stop = true;
      await done;
      return sent;
    },
  };
}

test("REST: the owner's known device logs in during a spray; unknown devices are throttled", async (t) => {
  const first = await login({ username: "owner", password: OWNER_PW }, OWNER_HOME);
  assert.equal(first.status, 200);
  const device1 = first.body.device_token as string;
  assert.match(device1, /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
  const other = await login({ username: "other", password: "other-password-1" }, OWNER_HOME);
  const otherDevice = other.body.device_token as string;

  const attack = spray();
  t.after(() => attack.end());
  await attack.throttled;

  const unknown = await login({ username: "owner", password: OWNER_PW }, ELSEWHERE);
  assert.equal(unknown.status, 429, "no device: the per-account throttle holds");
  assert.ok(Number(unknown.retryAfter) >= 1);
  const foreign = await login(
    { username: "owner", password: OWNER_PW, device_token: otherDevice },
    ELSEWHERE,
  );
  assert.equal(foreign.status, 429, "another account's device token is not a known device");
  const forged = await login(
    {
      username: "owner",
      password: OWNER_PW,
      device_token: `${device1.slice(0, 23)}${"A".repeat(43)}`,
    },
    ELSEWHERE,
  );
  assert.equal(forged.status, 429, "a forged secret is not a known device");

  const known = await login(
    { username: "owner", password: OWNER_PW, device_token: device1 },
    ELSEWHERE,
  );
  assert.equal(known.status, 200, "the known device passes at once");
  assert.ok(known.body.token);
  const device2 = known.body.device_token as string;
  assert.notEqual(device2, device1, "a fresh device token on success");
  const replay = await login(
    { username: "owner", password: OWNER_PW, device_token: device1 },
    ELSEWHERE,
  );
  assert.equal(replay.status, 429, "the presented token was retired");

  // The known device has its own limit: three failures lock it, even with the right password.
  for (let i = 0; i < 3; i++) {
    const bad = await login(
      { username: "owner", password: `typo-${i}`, device_token: device2 },
      ELSEWHERE,
    );
    assert.equal(bad.status, 401);
  }
  const locked = await login(
    { username: "owner", password: OWNER_PW, device_token: device2 },
    ELSEWHERE,
  );
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.retryAfter) > 300, `device lock, Retry-After ${locked.retryAfter}`);

  const sent = await attack.end();
  assert.ok(sent <= MAX_SPRAY);
  const statuses = [...attack.statuses.keys()].sort();
  assert.deepEqual(
    statuses.filter((s) => s !== 401 && s !== 429),
    [],
    `the spray only ever saw 401/429: ${JSON.stringify([...attack.statuses])}`,
  );
  assert.ok(
    (attack.statuses.get(401) ?? 0) <= 3,
    "two free failures and one that closed the account",
  );

  const audit = (await (await m.api("GET", "/v1/audit?event=login_failure&limit=10")).json()) as {
    events: { detail: { device?: string } }[];
  };
  assert.ok(
    audit.events.some((e) => e.detail.device),
    "device failures are audited with the device id",
  );
});

test("web UI: the mcias_device cookie lets the owner's browser in while the account is throttled", async (t) => {
  await m.api("POST", "/v1/accounts/owner/unlock");
  const browser = new UiClient(m.url);
  const signIn = await browser.login("owner", OWNER_PW);
  assert.equal(signIn.status, 303);
  const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith("mcias_device="));
  assert.ok(cookie, "the device cookie is set on sign-in");
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Strict/i);
  assert.match(cookie, /Path=\//);
  const before = browser.jar.get("mcias_device");

  const attack = spray();
  t.after(() => attack.end());
  await attack.throttled;

  const stranger = new UiClient(m.url);
  const refused = await stranger.login("owner", OWNER_PW);
  assert.equal(refused.status, 429, "a browser without the cookie is throttled");

  browser.jar.delete("mcias_ui");
  const again = await browser.login("owner", OWNER_PW);
  assert.equal(again.status, 303, "the owner's browser signs in at once");
  assert.notEqual(browser.jar.get("mcias_device"), before, "the cookie is renewed");
  await attack.end();
});

test("mciasctl login --device-file keeps the CLI's device and signs in during a spray", async (t) => {
  await m.api("POST", "/v1/accounts/owner/unlock");
  const dir = mkdtempSync(join(tmpdir(), "mciasctl-device-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "state", "device");
  const ctl = (args: string[]) =>
    spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        resolve(import.meta.dirname, "../src/cmd/mciasctl.ts"),
        "--server",
        m.url,
        ...args,
      ],
      { encoding: "utf8", input: `${OWNER_PW}\n`, env: { ...process.env, MCIAS_TOKEN: "" } },
    );
  const first = ctl(["login", "owner", "--device-file", file]);
  assert.equal(first.status, 0, first.stderr);
  const saved = readFileSync(file, "utf8").trim();
  assert.match(saved, /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);

  const attack = spray();
  t.after(() => attack.end());
  await attack.throttled;

  const without = ctl(["login", "owner"]);
  assert.notEqual(without.status, 0);
  assert.match(without.stderr, /rate_limited/);
  const known = ctl(["login", "owner", "--device-file", file]);
  assert.equal(known.status, 0, known.stderr);
  assert.notEqual(readFileSync(file, "utf8").trim(), saved, "the file holds the fresh token");
});
