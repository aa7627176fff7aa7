// Brute force without denial of service, against the real process. Clients bind to distinct
// loopback source addresses (127.0.0.x) so per-IP limits apply without trusting any header.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, test } from "node:test";
import { type MciasInstance, startMcias } from "./helpers.ts";

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

function post(base: string, path: string, body: unknown, localAddress: string): Promise<Answer> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
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
            body: text,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const MARK = "Zq9SprayMarker";
let m: MciasInstance;
before(async () => {
  m = await startMcias();
  await m.api("POST", "/v1/policies", { priority: 10, effect: "allow", roles: ["user"] });
  await m.createAccount("alice", { roles: ["user"], password: `alice-${MARK}-pw` });
  await m.createAccount("victim", { roles: ["user"], password: "victim-password-1" });
});
after(async () => {
  await m?.stop();
});

test("1,000 bad passwords from one IP are throttled; the real user elsewhere logs in; logs stay clean", async () => {
  const attacker = "127.0.0.2";
  const statuses = new Map<number, number>();
  const names = ["victim", "nobody-here", "ghost", "admin"];
  let next = 0;
  const worker = async () => {
    while (next < 1000) {
      const i = next++;
      const r = await post(
        m.url,
        "/v1/auth/login",
        { username: names[i % names.length], password: `bad-${i}-${MARK}` },
        attacker,
      );
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 429) assert.ok(Number(r.retryAfter) >= 1, "429 carries Retry-After");
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const failed = statuses.get(401) ?? 0;
  const throttled = statuses.get(429) ?? 0;
  assert.equal(failed + throttled, 1000, `only 401/429 expected: ${JSON.stringify([...statuses])}`);
  assert.ok(failed <= 20, `at most 20 password checks per minute from one IP, saw ${failed}`);
  assert.ok(throttled >= 980);

  const legit = await post(
    m.url,
    "/v1/auth/login",
    { username: "alice", password: `alice-${MARK}-pw` },
    "127.0.0.3",
  );
  assert.equal(legit.status, 200);
  const token = (JSON.parse(legit.body) as { token: string }).token;

  const audit = (await (await m.api("GET", "/v1/audit?event=login_throttled&limit=5")).json()) as {
    events: unknown[];
  };
  assert.ok(audit.events.length > 0, "throttling is audited");

  const out = m.output();
  assert.ok(out.length > 0);
  assert.ok(!out.includes(MARK), "no password in the logs");
  assert.ok(!out.includes(token), "no issued token in the logs");
  assert.ok(!out.includes(m.adminToken), "no admin token in the logs");
  assert.ok(!out.includes(m.adminPassword), "no bootstrap password in the logs");
});

test("unknown user and wrong password look the same", async () => {
  const a = await post(
    m.url,
    "/v1/auth/login",
    { username: "alice", password: "wrong-password" },
    "127.0.0.4",
  );
  const b = await post(
    m.url,
    "/v1/auth/login",
    { username: "no-such-user", password: "wrong-password" },
    "127.0.0.4",
  );
  assert.equal(a.status, 401);
  assert.equal(b.status, a.status);
  assert.equal(b.body, a.body);
});

test("per-account delay after five failures, and unlock takes effect at once", async () => {
  await m.api("POST", "/v1/accounts/victim/unlock");
  for (let i = 0; i < 6; i++) {
    const r = await post(
      m.url,
      "/v1/auth/login",
      { username: "victim", password: `nope-${i}` },
      `127.0.1.${i + 1}`,
    );
    assert.equal(r.status, 401);
  }
  const blocked = await post(
    m.url,
    "/v1/auth/login",
    { username: "victim", password: "victim-password-1" },
    "127.0.2.1",
  );
  assert.equal(blocked.status, 429);
  assert.ok(Number(blocked.retryAfter) >= 1);
  const u = await m.api("POST", "/v1/accounts/victim/unlock");
  assert.equal(u.status, 200);
  const ok = await post(
    m.url,
    "/v1/auth/login",
    { username: "victim", password: "victim-password-1" },
    "127.0.2.1",
  );
  assert.equal(ok.status, 200);
});

test("Argon2id work beyond the bounded pool is refused with 429 + Retry-After", async () => {
  const small = await startMcias({
    argon2: { memory_kib: 65536, time_cost: 3, max_concurrent: 1, max_queue: 0 },
  });
  try {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post(
          small.url,
          "/v1/auth/login",
          { username: `nobody${i}`, password: "whatever-password" },
          `127.0.3.${i + 1}`,
        ),
      ),
    );
    const busy = answers.filter((a) => a.status === 429);
    assert.ok(busy.length > 0, `some logins refused: ${answers.map((a) => a.status).join(",")}`);
    assert.ok(busy.every((a) => a.retryAfter === "1"));
    assert.ok(answers.every((a) => a.status === 401 || a.status === 429));
    const health = await fetch(`${small.url}/v1/health`);
    assert.equal(health.status, 200);
  } finally {
    await small.stop();
  }
});
