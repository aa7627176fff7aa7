// What the page routes share: the use cases, the version and the page context of a request;
// and the form reader.
import type { AppEnv } from "@metacircular/mcdsl/http";
import type { Context } from "hono";
import type { MetacryptOps } from "../service/ops.ts";
import type { PageContext } from "./frame.tsx";

export interface Ui {
  ops: MetacryptOps;
  version: string;
  ctx(c: Context<AppEnv>): PageContext;
}

/** A form field as one string ("" when absent or repeated oddly). */
export async function formFields(c: Context<AppEnv>): Promise<(k: string) => string> {
  const body = await c.req.parseBody();
  return (k) => {
    const v = body[k];
    return typeof v === "string" ? v.trim() : "";
  };
}
