// The lean stream's forwarding interface: a consumer getting events as direct calls (close
// synchronously), borrowed response bytes that the caller may overwrite right after the call,
// and a response head given as a field list.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Frame,
  frame,
  MemSock,
  PREFACE,
  request,
  settings,
} from "../../../test/helpers/h2-wire.ts";
import { FLAG, FRAME } from "./constants.ts";
import { LeanConn } from "./lean-conn.ts";
import type { LeanStream, StreamConsumer } from "./lean-stream.ts";

function setup() {
  const sock = new MemSock();
  const streams: LeanStream[] = [];
  new LeanConn(sock, { onStream: (s) => streams.push(s) });
  sock.feed(PREFACE, settings());
  sock.sent();
  return { sock, streams };
}

async function tick(sock: MemSock): Promise<Frame[]> {
  await new Promise((r) => setImmediate(r));
  return sock.sent();
}

const dataOf = (fr: Frame[], id: number) =>
  Buffer.concat(fr.filter((f) => f.type === FRAME.DATA && f.id === id).map((f) => f.payload));

describe("lean stream forwarding interface", () => {
  it("copies borrowed bytes: the caller's buffer may change as soon as the call returns", async () => {
    const { sock, streams } = setup();
    sock.feed(request(1), request(3), request(5));
    const [small, big, windowed] = streams as [LeanStream, LeanStream, LeanStream];
    const buf = Buffer.alloc(100_000);
    const expect = (n: number, seed: number) =>
      Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff));
    expect(20, 1).copy(buf);
    small.endBorrowed(buf.subarray(0, 20));
    buf.fill(0);
    expect(5000, 2).copy(buf);
    big.respond({ ":status": 200 });
    assert.equal(big.writeBorrowed(buf.subarray(0, 5000)), true);
    buf.fill(0);
    big.end();
    // Beyond the client's 65,535-octet window: the rest waits in the queue, as a copy.
    expect(100_000, 3).copy(buf);
    windowed.respond({ ":status": 200 });
    windowed.writeBorrowed(buf);
    windowed.end();
    buf.fill(0);
    const fr = await tick(sock);
    assert.deepEqual(dataOf(fr, 1), expect(20, 1));
    assert.deepEqual(dataOf(fr, 3), expect(5000, 2));
    const first = dataOf(fr, 5);
    sock.feed(frame(FRAME.WINDOW_UPDATE, 0, 0, Buffer.from([0, 1, 0, 0])));
    sock.feed(frame(FRAME.WINDOW_UPDATE, 0, 5, Buffer.from([0, 1, 0, 0])));
    const rest = dataOf(await tick(sock), 5);
    assert.deepEqual(Buffer.concat([first, rest]), expect(100_000, 3));
  });

  it("gives a consumer the request body and a synchronous close", () => {
    const { sock, streams } = setup();
    sock.feed(request(1, [["content-length", "3"]], false, "POST"));
    const s = streams[0] as LeanStream;
    const events: string[] = [];
    const c: StreamConsumer = {
      onStreamData: (d) => events.push(`data ${d.toString()}`),
      onStreamEnd: () => events.push("end"),
      onStreamDrain: () => events.push("drain"),
      onStreamWantTrailers: () => events.push("trailers"),
      onStreamClose: (aborted) => events.push(`close ${aborted}`),
    };
    s.consumer = c;
    sock.feed(frame(FRAME.DATA, FLAG.END_STREAM, 1, Buffer.from("abc")));
    s.end("ok");
    assert.deepEqual(events, ["data abc", "end", "close false"]);
  });

  it("encodes a field list exactly as the equivalent header object", async () => {
    const { sock, streams } = setup();
    sock.feed(request(1), request(3));
    const [a, b] = streams as [LeanStream, LeanStream];
    const fields: [string, string][] = [
      ["content-type", "text/plain"],
      ["server", "nginx"],
      ["x-long", "v".repeat(200)],
      ["vary", "accept-encoding"],
    ];
    a.respond({ ":status": 404, ...Object.fromEntries(fields) }, { endStream: true });
    b.respondFields(
      404,
      fields.map((f) => f[0]),
      fields.map((f) => f[1]),
      fields.length,
      true,
      false,
    );
    const heads = (await tick(sock)).filter((f) => f.type === FRAME.HEADERS);
    assert.equal(heads.length, 2);
    assert.deepEqual(heads[1]?.payload, heads[0]?.payload);
    assert.equal(heads[1]?.flags, FLAG.END_HEADERS | FLAG.END_STREAM);
    assert.equal(b.closed, true);
  });
});
