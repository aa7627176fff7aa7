// The agent's gRPC API against a real MCIAS: every method is in the access map (completeness),
// and each principal of the platform matrix is allowed or refused as specified — admins, users
// and system accounts operate; guests are refused; no token, a bogus one and valid tokens for
// another service are unauthenticated.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Code, createClient } from "@connectrpc/connect";
import { missingMethods } from "@metacircular/mcdsl/grpc";
import { silentLogger } from "@metacircular/mcdsl/log";
import { AgentService } from "@metacircular/proto/mcp/v1/agent_pb";
import {
  bearerTransport,
  freePort,
  grpcOutcome,
  type MatrixTokens,
  type MciasInstance,
  makeTempDir,
  matrixPrincipals,
  startMcias,
  type TempDir,
} from "@metacircular/testkit";
import { type AgentHandle, startAgent } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import { grpcAccess, grpcServices } from "../src/grpcserver/method-map.ts";
import { startPodman, type TestPodman } from "./helpers/podman.ts";

let mcias: MciasInstance;
let p: TestPodman;
let dir: TempDir;
let agent: AgentHandle;
let tokens: MatrixTokens;

before(async () => {
  [mcias, p] = await Promise.all([
    startMcias({ extraToml: '[policy]\ndefault = "allow"\n' }),
    startPodman(),
  ]);
  tokens = await matrixPrincipals(mcias, { service: "mcp-agent", agent: "ci-deployer" });
  dir = makeTempDir("mcp-authz-");
  const cfg = configSchema.parse({
    server: { grpc_addr: `127.0.0.1:${await freePort()}` },
    database: { path: dir.join("agent.sqlite") },
    mcias: { server_url: mcias.url, service_name: "mcp-agent" },
    node: { name: "testnode" },
    podman: { socket: p.socket },
    proxy: { enabled: false },
    dns: { enabled: false },
    images: { pull: false },
  });
  agent = await startAgent(cfg, { logger: silentLogger() });
});
after(async () => {
  await agent?.close();
  await p?.stop();
  await mcias?.stop();
  dir?.remove();
});

test("every AgentService method is in the access map", () => {
  assert.deepEqual(missingMethods(grpcServices, grpcAccess), []);
});

const OPERATORS = ["admin", "agent", "other", "human"] as const;
const REFUSED: Record<string, Code> = {
  guest: Code.PermissionDenied,
  none: Code.Unauthenticated,
  bogus: Code.Unauthenticated,
  foreign: Code.Unauthenticated,
  foreignSystem: Code.Unauthenticated,
};

test("authorization matrix: read and change", async () => {
  for (const who of [...OPERATORS, ...Object.keys(REFUSED)] as Array<keyof MatrixTokens>) {
    const api = createClient(AgentService, bearerTransport(agent.grpc.url, tokens[who]));
    const status = await grpcOutcome(api.getAgentStatus({}), (r) => r.node);
    // A definition the agent refuses as invalid: allowed callers get that far, nobody deploys.
    const deploy = await grpcOutcome(api.deploy({ definition: 'name = "x"', fileName: "x.toml" }));
    if ((OPERATORS as readonly string[]).includes(who)) {
      assert.deepEqual(status, { ok: true, value: "testnode" }, who);
      assert.equal(deploy.ok ? "" : deploy.code, "invalid_definition", who);
    } else {
      const want = REFUSED[who];
      assert.equal(status.ok ? -1 : status.grpcCode, want, `${who} status`);
      assert.equal(deploy.ok ? -1 : deploy.grpcCode, want, `${who} deploy`);
    }
  }
});

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) {
    // nothing expected
  }
}

async function* oneMessage<T>(m: T) {
  yield m;
}

test("authorization matrix: file streams (a path outside the folder: operators reach the check)", async () => {
  for (const who of [...OPERATORS, ...Object.keys(REFUSED)] as Array<keyof MatrixTokens>) {
    const api = createClient(AgentService, bearerTransport(agent.grpc.url, tokens[who]));
    const pull = await grpcOutcome(drain(api.pullFile({ service: "hello", path: "../x" })));
    const push = await grpcOutcome(
      api.pushFile(oneMessage({ service: "hello", path: "../x", data: new Uint8Array([1]) })),
    );
    if ((OPERATORS as readonly string[]).includes(who)) {
      assert.equal(pull.ok ? "" : pull.code, "path_refused", `${who} pull`);
      assert.equal(push.ok ? "" : push.code, "path_refused", `${who} push`);
    } else {
      assert.equal(pull.ok ? -1 : pull.grpcCode, REFUSED[who], `${who} pull`);
      assert.equal(push.ok ? -1 : push.grpcCode, REFUSED[who], `${who} push`);
    }
  }
});

test("an invalid definition is refused with the field named", async () => {
  const api = createClient(AgentService, bearerTransport(agent.grpc.url, tokens.human));
  const text = 'name = "x"\nnode = "testnode"\n[[components]]\nname = "a"\nimage = "x:latest"\n';
  await assert.rejects(api.deploy({ definition: text, fileName: "x.toml" }), (e: Error) => {
    assert.match(e.message, /x\.toml/);
    assert.match(e.message, /components\[0\]\.image: `:latest` is refused/);
    return true;
  });
});
