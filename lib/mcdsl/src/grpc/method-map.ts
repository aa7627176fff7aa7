// MethodMap: every gRPC method declared public, authenticated or admin under its full path
// "/package.Service/Method". Methods missing from the map are refused.
import type { DescService } from "@bufbuild/protobuf";
import type { Access } from "../identity/index.ts";

export type MethodMap = Record<string, Access>;

export function methodKey(service: DescService, method: string): string {
  return `/${service.typeName}/${method}`;
}

/** Methods of `services` that `map` does not declare — each service's completeness test uses this. */
export function missingMethods(services: DescService[], map: MethodMap): string[] {
  return services
    .flatMap((s) => s.methods.map((m) => methodKey(s, m.name)))
    .filter((k) => !(k in map))
    .sort();
}

export function checkMethodMap(map: MethodMap): void {
  for (const [key, level] of Object.entries(map)) {
    if (!/^\/[A-Za-z_][\w.]*\.[A-Za-z_]\w*\/[A-Za-z_]\w*$/.test(key)) {
      throw new Error(`method map key "${key}" is not "/package.Service/Method"`);
    }
    if (level !== "public" && level !== "authenticated" && level !== "admin") {
      throw new Error(`method map "${key}": unknown level "${level}"`);
    }
  }
}
