// Flow control both ways on the lean connection: response DATA within the client's connection
// and stream windows (and its SETTINGS changes), backpressure signals, and request bodies whose
// window credit follows what the consumer has taken.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Frame,
  frame,
  MemSock,
  PREFACE,
  request,
  settings,
  windowUpdate,
} from "../../../test/helpers/h2-wire.ts";
import { ERR, FLAG, FRAME, LOCAL } from "./constants.ts";
import { LeanConn } from "./lean-conn.ts";
import type { LeanStream } from "./lean-stream.ts";

function setup(clientSettings: [number, number][] = []) {
  const sock = new MemSock();
  const streams: LeanStream[] = [];
  new LeanConn(sock, { onStream: (s) => streams.push(s) });
  sock.feed(PREFACE, settings(clientSettings));
  sock.sent();
  return { sock, streams };
}

/** Frames written once the connection's deferred flush (setImmediate) has run. */
async function tick(sock: MemSock): Promise<Frame[]> {
  await new Promise((r) => setImmediate(r));
  return sock.sent();
}

const dataOf = (fr: Frame[], id = 1) => fr.filter((f) => f.type === FRAME.DATA && f.id === id);
const bytes = (fr: Frame[]) => fr.reduce((n, f) => n + f.payload.length, 0);

describe("lean HTTP/2 flow control", () => {
  it("response DATA stops at the client's windows and resumes on WINDOW_UPDATE", async () => {
    const { sock, streams } = setup();
    sock.feed(request(1));
    const s = streams[0] as LeanStream;
    s.respond({ ":status": 200 });
    assert.equal(s.write(Buffer.alloc(200_000, 1)), false); // past the high-water mark
    s.end();
    let fr = dataOf(await tick(sock));
    assert.equal(bytes(fr), 65_535);
    assert.ok(fr.every((f) => f.payload.length <= 16_384));
    sock.feed(windowUpdate(1, 200_000)); // the connection window is still empty
    assert.equal(bytes(dataOf(await tick(sock))), 0);
    sock.feed(windowUpdate(0, 100_000));
    fr = dataOf(await tick(sock));
    assert.equal(bytes(fr), 100_000);
    sock.feed(windowUpdate(0, 100_000));
    fr = dataOf(await tick(sock));
    assert.equal(bytes(fr), 200_000 - 165_535);
    assert.equal(fr.at(-1)?.flags, FLAG.END_STREAM);
    assert.equal(s.closed, true);
  });

  it("SETTINGS_INITIAL_WINDOW_SIZE changes apply to open streams (also below zero)", async () => {
    const { sock, streams } = setup([[4, 10]]);
    sock.feed(request(1));
    const s = streams[0] as LeanStream;
    s.respond({ ":status": 200 });
    s.end(Buffer.alloc(100, 2));
    assert.equal(bytes(dataOf(await tick(sock))), 10);
    sock.feed(settings([[4, 0]])); // window now -10
    sock.feed(windowUpdate(1, 15)); // +5: 5 bytes may go
    assert.equal(bytes(dataOf(await tick(sock))), 5);
    sock.feed(settings([[4, 1000]]));
    const fr = dataOf(await tick(sock));
    assert.equal(bytes(fr), 85);
    assert.equal(fr.at(-1)?.flags, FLAG.END_STREAM);
  });

  it("honours a larger SETTINGS_MAX_FRAME_SIZE and emits 'drain' once data went out", async () => {
    const { sock, streams } = setup([
      [5, 65_536],
      [4, 1 << 20],
    ]);
    sock.feed(windowUpdate(0, 1 << 20), request(1));
    const s = streams[0] as LeanStream;
    s.respond({ ":status": 200 });
    s.write(Buffer.alloc(100_000));
    const fr = dataOf(await tick(sock));
    assert.equal(fr[0]?.payload.length, 65_536);
    assert.equal(bytes(fr), 100_000);
    assert.equal(s.write(Buffer.alloc(10)), true);
  });

  it("'drain' follows a WINDOW_UPDATE that empties the queue", async () => {
    const { sock, streams } = setup([[4, 0]]);
    sock.feed(request(1));
    const s = streams[0] as LeanStream;
    s.respond({ ":status": 200 });
    assert.equal(s.write(Buffer.alloc(70_000)), false);
    const drained = new Promise((r) => s.once("drain", r));
    sock.feed(windowUpdate(1, 70_000));
    await drained;
    assert.equal(bytes(dataOf(await tick(sock))), 65_535); // the connection window limits
  });

  it("trailers follow the last DATA and end the stream", async () => {
    const { sock, streams } = setup();
    sock.feed(request(1));
    const s = streams[0] as LeanStream;
    s.respond({ ":status": 200 }, { waitForTrailers: true });
    s.on("wantTrailers", () => s.sendTrailers({ "grpc-status": "0" }));
    s.end(Buffer.from("x"));
    const fr = await tick(sock);
    assert.deepEqual(
      fr.map((f) => [f.type, f.flags]),
      [
        [FRAME.HEADERS, FLAG.END_HEADERS],
        [FRAME.DATA, 0],
        [FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM],
      ],
    );
  });

  it("request body: no credit while paused, WINDOW_UPDATE once consumed", async () => {
    const { sock, streams } = setup();
    sock.feed(request(1, [], false, "POST"));
    const s = streams[0] as LeanStream;
    let got = 0;
    s.on("data", (d: Buffer) => (got += d.length));
    s.pause();
    const chunk = Buffer.alloc(60_000);
    for (let i = 0; i < 10; i++) sock.feed(frame(FRAME.DATA, 0, 1, chunk));
    assert.equal(got, 0);
    assert.equal((await tick(sock)).filter((f) => f.type === FRAME.WINDOW_UPDATE).length, 0);
    s.resume();
    assert.equal(got, 600_000);
    const wu = (await tick(sock)).filter((f) => f.type === FRAME.WINDOW_UPDATE);
    assert.ok(wu.some((f) => f.id === 1 && f.payload.readUInt32BE(0) >= LOCAL.streamWindow / 2));
  });

  it("request DATA beyond the stream window is a stream FLOW_CONTROL_ERROR", async () => {
    const { sock, streams } = setup();
    sock.feed(request(1, [], false, "POST"));
    (streams[0] as LeanStream).pause();
    const chunk = Buffer.alloc(65_536);
    for (let i = 0; i < 17; i++) sock.feed(frame(FRAME.DATA, 0, 1, chunk));
    const r = (await tick(sock)).find((f) => f.type === FRAME.RST_STREAM);
    assert.equal(r?.payload.readUInt32BE(0), ERR.FLOW_CONTROL_ERROR);
  });

  it("padding is credited back immediately", async () => {
    const { sock, streams } = setup();
    sock.feed(request(1, [], false, "POST"));
    let got = "";
    (streams[0] as LeanStream).on("data", (d: Buffer) => (got += d.toString()));
    const padded = Buffer.concat([Buffer.from([200]), Buffer.from("abc"), Buffer.alloc(200)]);
    sock.feed(frame(FRAME.DATA, FLAG.PADDED | FLAG.END_STREAM, 1, padded));
    assert.equal(got, "abc");
  });
});
