// What a page says after an action redirected to it (`?done=<key>`): fixed texts, so nothing
// from the query string is echoed into the page.
import type { AppEnv } from "@metacircular/mcdsl/http";
import type { Flash } from "@metacircular/mcdsl/web";
import type { Context } from "hono";

const DONE: Record<string, string> = {
  revoked: "The certificate was revoked.",
  rotated: "The key was rotated: new encryptions use the new version.",
  "rule-added": "The rule was saved.",
  "rule-deleted": "The rule was deleted.",
};

export function doneFlash(c: Context<AppEnv>): Flash[] | undefined {
  const text = DONE[c.req.query("done") ?? ""];
  return text ? [{ kind: "ok", id: "notice", text }] : undefined;
}
