// `mcp build`: every image of a definition's [build.images] built with the podman CLI from the
// service's source folder (<workspace>/<path>) and pushed to its registry under the tag the
// component that runs it names (components whose image repository ends in the image's name).
// podman's output is the progress, on stderr. Pushes authenticate with [registry] username and
// an MCIAS token for the registry's audience (MCR's token flow), else podman's own login.
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadToken } from "@metacircular/mcdsl/cli";
import { AppError } from "@metacircular/mcdsl/errors";
import { parseImageRef } from "../servicedef/image-ref.ts";
import type { ServiceDef } from "../servicedef/schema.ts";
import type { CliConfig } from "./cli-config.ts";

export interface BuildStep {
  image: string;
  containerfile: string;
  context: string;
  tags: string[];
}

/** What to build, and under which tags; an image no component runs is refused. */
export function buildPlan(def: ServiceDef, workspace: string): BuildStep[] {
  const images = Object.entries(def.build?.images ?? {});
  if (images.length === 0)
    throw AppError.badRequest("nothing_to_build", `${def.name} has no [build.images]`);
  const context = join(workspace, def.path ?? def.name);
  return images.map(([image, file]) => {
    const tags = def.components
      .map((c) => c.image)
      .filter((ref) => {
        const r = parseImageRef(ref);
        return r.ok && r.ref.repository.split("/").at(-1) === image;
      });
    if (tags.length === 0) {
      throw AppError.badRequest(
        "image_unused",
        `build.images.${image}: no component's image is named ${image}`,
      );
    }
    return { image, containerfile: join(context, file), context, tags: [...new Set(tags)] };
  });
}

function podman(cmd: string, args: string[]): Promise<void> {
  const [bin, ...pre] = cmd.split(/\s+/).filter(Boolean) as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const p = spawn(bin, [...pre, ...args], { stdio: ["ignore", 2, 2] });
    p.once("error", (e) =>
      reject(AppError.badRequest("podman_missing", `cannot run ${bin}: ${e.message}`)),
    );
    p.once("exit", (code) => {
      if (code === 0) resolve();
      else
        reject(
          new AppError(502, "build_failed", `${bin} ${args[0]} exited with ${code} (see above)`),
        );
    });
  });
}

/** --creds, --cert-dir and --tls-verify for `podman push`, from [registry]. */
function pushOptions(cfg: CliConfig, certDir: string): string[] {
  const reg = cfg.registry;
  if (!reg) return [];
  const out: string[] = [];
  if (reg.username) {
    const token =
      process.env.MCP_REGISTRY_TOKEN ?? loadToken(cfg.mcias.url, reg.service_name) ?? "";
    if (!token) {
      throw AppError.unauthenticated(
        `no token for ${reg.service_name}: run mcp login (or set MCP_REGISTRY_TOKEN)`,
        "registry_login_required",
      );
    }
    out.push("--creds", `${reg.username}:${token}`);
  }
  if (reg.ca_cert) out.push("--cert-dir", certDir);
  if (!reg.tls_verify) out.push("--tls-verify=false");
  return out;
}

export async function buildAndPush(cfg: CliConfig, def: ServiceDef): Promise<BuildStep[]> {
  const plan = buildPlan(def, cfg.build.workspace ?? process.cwd());
  const certDir = mkdtempSync(join(tmpdir(), "mcp-build-certs-"));
  try {
    if (cfg.registry?.ca_cert) {
      copyFileSync(cfg.registry.ca_cert, join(certDir, "ca.crt"));
    }
    const push = pushOptions(cfg, certDir);
    for (const s of plan) {
      process.stderr.write(`build ${s.image} from ${s.containerfile}\n`);
      const tagArgs = s.tags.flatMap((t) => ["--tag", t]);
      await podman(cfg.build.podman, ["build", "--file", s.containerfile, ...tagArgs, s.context]);
      for (const t of s.tags) {
        process.stderr.write(`push ${t}\n`);
        await podman(cfg.build.podman, ["push", ...push, t]);
      }
    }
    return plan;
  } finally {
    rmSync(certDir, { recursive: true, force: true });
  }
}
