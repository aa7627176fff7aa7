import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { after, before, describe, it } from "node:test";
import { connect, TLSSocket } from "node:tls";
import { createTestCA, type TestCA } from "@metacircular/testkit";
import { pino } from "pino";
import type { TlsVersion } from "../state/types.ts";
import { TlsContexts } from "./tls-contexts.ts";

interface Outcome {
  reused: boolean;
  protocol: string | null;
  session: Buffer | undefined;
}

describe("TlsContexts", () => {
  let ca: TestCA;
  let leafA: ReturnType<TestCA["issue"]>;
  let leafB: ReturnType<TestCA["issue"]>;
  let clock = 0;
  const ctxs = new TlsContexts(pino({ level: "silent" }), {
    ticketRotateMs: 60_000,
    now: () => clock,
  });
  let server: Server;
  let port = 0;

  before(async () => {
    ca = createTestCA();
    leafA = ca.issue(["a.example.test", "a12.example.test"]);
    leafB = ca.issue(["b.example.test"]);
    // Terminates TLS the way the L7 front does: the route's context picked before the handshake.
    server = createServer((sock) => {
      sock.once("data", (first: Buffer) => {
        const name = first.includes("b.example.test") ? leafB : leafA;
        const min: TlsVersion = first.includes("a12.example.test") ? "1.2" : "1.3";
        sock.pause();
        sock.unshift(first);
        const tls = new TLSSocket(sock, {
          isServer: true,
          secureContext: ctxs.get(name.certPath, name.keyPath, min),
        });
        tls.on("error", () => tls.destroy());
        tls.on("secure", () => tls.end("ok"));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    port = (server.address() as { port: number }).port;
  });

  after(() => {
    server.close();
    ctxs.close();
    ca.remove();
  });

  function handshake(
    servername: string,
    session?: Buffer,
    maxVersion: "TLSv1.2" | "TLSv1.3" = "TLSv1.3",
  ): Promise<Outcome> {
    return new Promise((res, rej) => {
      let ticket: Buffer | undefined;
      const s = connect({ host: "127.0.0.1", port, servername, ca: ca.cert, session, maxVersion });
      s.on("session", (t: Buffer) => (ticket = t));
      s.on("error", rej);
      s.on("data", () => {});
      s.on("end", () => {
        res({ reused: s.isSessionReused(), protocol: s.getProtocol(), session: ticket });
        s.destroy();
      });
    });
  }

  it("resumes sessions within a ticket-key period and not after the key rotated", async () => {
    const first = await handshake("a.example.test");
    assert.equal(first.reused, false);
    assert.equal(first.protocol, "TLSv1.3");
    assert.ok(first.session, "the server issued a session ticket");
    const second = await handshake("a.example.test", first.session);
    assert.equal(second.reused, true);
    clock += 60_000;
    const third = await handshake("a.example.test", second.session ?? first.session);
    assert.equal(third.reused, false, "a ticket from the previous key period is refused");
    const fourth = await handshake("a.example.test", third.session);
    assert.equal(fourth.reused, true);
  });

  it("never resumes a session of another route's context", async () => {
    const a = await handshake("a.example.test");
    const onB = await handshake("b.example.test", a.session);
    assert.equal(onB.reused, false);
  });

  it("keeps TLS 1.3 as the minimum unless the route allows 1.2", async () => {
    await assert.rejects(handshake("a.example.test", undefined, "TLSv1.2"));
    const old = await handshake("a12.example.test", undefined, "TLSv1.2");
    assert.equal(old.protocol, "TLSv1.2");
  });

  it("serves one context per (cert, key, min version) until its key is due", () => {
    const x = ctxs.get(leafA.certPath, leafA.keyPath, "1.3");
    assert.equal(ctxs.get(leafA.certPath, leafA.keyPath, "1.3"), x);
    assert.notEqual(ctxs.get(leafA.certPath, leafA.keyPath, "1.2"), x);
    clock += 60_000;
    assert.notEqual(ctxs.get(leafA.certPath, leafA.keyPath, "1.3"), x);
    assert.throws(() => ctxs.get("/nonexistent/cert.pem", leafA.keyPath, "1.3"));
  });
});
