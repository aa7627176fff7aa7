import assert from "node:assert/strict";
import { test } from "node:test";
import { networkOf, networkOfSockaddr, ResponseRateLimiter } from "./rate-limit.ts";

test("token bucket per client network: over the limit, slip every 2nd, drop the rest", () => {
  const rrl = new ResponseRateLimiter(5, 2);
  const t0 = 1_000_000;
  const seen = Array.from({ length: 12 }, () => rrl.check("192.0.2.7", t0));
  assert.deepEqual(seen.slice(0, 5), ["send", "send", "send", "send", "send"]);
  assert.deepEqual(seen.slice(5), ["drop", "slip", "drop", "slip", "drop", "slip", "drop"]);
  // Same /24 shares the bucket; another network does not.
  assert.equal(rrl.check("192.0.2.99", t0), "slip");
  assert.equal(rrl.check("198.51.100.1", t0), "send");
  // Tokens refill with time.
  assert.equal(rrl.check("192.0.2.7", t0 + 1000), "send");
});

test("disabled at 0 and network keys", () => {
  const off = new ResponseRateLimiter(0);
  for (let i = 0; i < 100; i++) assert.equal(off.check("192.0.2.1"), "send");
  assert.equal(networkOf("10.1.2.3"), "10.1.2");
  assert.equal(networkOf("::ffff:10.1.2.3"), "10.1.2");
  assert.equal(networkOf("2001:db8:1:2:3::1"), "2001:db8:1:2");
});

test("network keys from raw sockaddrs match the string form", () => {
  const v4 = Buffer.alloc(16);
  v4.writeUInt16LE(2, 0); // AF_INET
  v4.set([10, 1, 2, 3], 4);
  assert.equal(networkOfSockaddr(v4), networkOf("10.1.2.3"));
  const v6 = Buffer.alloc(28);
  v6.writeUInt16LE(10, 0); // AF_INET6
  v6.set(Buffer.from("20010db8000100020003000000000001", "hex"), 8);
  assert.equal(networkOfSockaddr(v6), networkOf("2001:db8:1:2:3::1"));
  v6.set(Buffer.from("00000000000000000000ffff0a010203", "hex"), 8);
  assert.equal(networkOfSockaddr(v6), "10.1.2");
  // Offsets into a shared buffer work the same.
  const shared = Buffer.concat([Buffer.alloc(32), v4]);
  assert.equal(networkOfSockaddr(shared, 32), "10.1.2");
});
