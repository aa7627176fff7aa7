// Engine mounts by name (several mounts of one type allowed). The table is MEK-sealed system
// storage ("sys/mounts/<name>"); each mount gets its own data key when it is created.

import { AppError } from "@metacircular/mcdsl/errors";
import type { Barrier } from "../barrier/barrier.ts";
import type { EngineType } from "../engines/engine.ts";

export interface MountInfo {
  name: string;
  type: string;
  created_at: string;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export class MountTable {
  constructor(
    private readonly barrier: Barrier,
    private readonly engines: Map<string, EngineType>,
  ) {}

  list(): MountInfo[] {
    const sys = this.barrier.systemStore();
    return sys.list("mounts/").map((p) => JSON.parse(sys.get(p)!.toString("utf8")) as MountInfo);
  }

  get(name: string): MountInfo {
    const v = this.barrier.systemStore().get(`mounts/${name}`);
    if (!v) throw AppError.notFound("mount_not_found", `no mount named ${name}`);
    return JSON.parse(v.toString("utf8")) as MountInfo;
  }

  engine(name: string): { info: MountInfo; engine: EngineType } {
    const info = this.get(name);
    const engine = this.engines.get(info.type);
    if (!engine) throw AppError.internal(`mount ${name} has an unknown engine type`);
    return { info, engine };
  }

  async create(name: string, type: string, config: unknown): Promise<MountInfo> {
    if (!NAME.test(name))
      throw AppError.badRequest("invalid_mount_name", "mount names are [a-z0-9_-], at most 63");
    const engine = this.engines.get(type);
    if (!engine)
      throw AppError.badRequest("unknown_engine", `unknown engine type ${JSON.stringify(type)}`);
    const sys = this.barrier.systemStore();
    if (sys.get(`mounts/${name}`)) throw AppError.conflict("mount_exists", `mount ${name} exists`);
    const info: MountInfo = { name, type, created_at: new Date().toISOString() };
    this.barrier.createMountKey(name);
    await engine.onMount?.(this.barrier.mountStore(name), config);
    sys.put(`mounts/${name}`, Buffer.from(JSON.stringify(info)));
    return info;
  }

  remove(name: string): void {
    this.get(name);
    this.barrier.systemStore().delete(`mounts/${name}`);
    this.barrier.destroyMount(name);
  }
}
