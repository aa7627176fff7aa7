// A tiny browser stand-in for the web UI integration tests: fetch with manual redirects and
// a cookie jar, plus helpers to read the CSRF token from a page and to sign in.
import assert from "node:assert/strict";

export class UiClient {
  readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (gone) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async get(path: string): Promise<Response> {
    const res = await fetch(this.base + path, {
      redirect: "manual",
      headers: { cookie: this.cookieHeader() },
    });
    this.remember(res);
    return res;
  }

  async post(
    path: string,
    fields: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields))
      for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await fetch(this.base + path, {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: this.cookieHeader(),
        "content-type": "application/x-www-form-urlencoded",
        ...headers,
      },
      body,
    });
    this.remember(res);
    return res;
  }

  /** GET a page and return its CSRF token. */
  async csrf(path = "/ui/"): Promise<string> {
    const res = await this.get(path);
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    return csrfOf(await res.text());
  }

  /** Submits the login form; returns the response (303 on success). */
  async login(username: string, password: string, totp = ""): Promise<Response> {
    const csrf = await this.csrf("/ui/login");
    return this.post("/ui/login", {
      _csrf: csrf,
      username,
      password,
      totp_code: totp,
      next: "/ui/",
    });
  }

  /** The session token held in the UI cookie. */
  sessionToken(): string | undefined {
    return this.jar.get("mcias_ui");
  }
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m?.[1], "the page carries a CSRF token");
  return m[1];
}
