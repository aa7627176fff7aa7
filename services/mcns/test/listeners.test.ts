// Listener setup failures: when TCP cannot bind the port UDP got, startup fails cleanly and no
// socket stays bound (a leaked UDP socket would keep the process alive), on both UDP paths.

import assert from "node:assert/strict";
import dgram from "node:dgram";
import net from "node:net";
import { test } from "node:test";
import { freeTcpUdpPort } from "@metacircular/testkit";
import { startTestMcns } from "./helpers/mcns.ts";
import { ensureUdpAddon, UDP_IOS } from "./helpers/native.ts";

for (const io of UDP_IOS)
  test(`a TCP port conflict fails startup and releases the UDP port (${io})`, async () => {
    ensureUdpAddon();
    const port = await freeTcpUdpPort();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(port, "127.0.0.1", () => r()));
    try {
      await assert.rejects(
        startTestMcns({ dns: { listen_addr: `127.0.0.1:${port}`, udp_io: io } }, { noApi: true }),
        /EADDRINUSE/,
      );
      const probe = dgram.createSocket("udp4");
      await new Promise<void>((resolve, reject) => {
        probe.once("error", reject);
        probe.bind(port, "127.0.0.1", () => resolve());
      });
      probe.close();
    } finally {
      blocker.close();
    }
  });
