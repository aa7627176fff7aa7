// The ACME protocol client (RFC 8555): directory, nonces (badNonce retried), account with
// optional External Account Binding, orders, authorizations, challenges, finalize, download,
// revoke (by account or by certificate key), deactivation and ARI renewal information.

import type { JWK } from "jose";
import { type AccountKey, eabBinding, type Signer, signJws } from "./account-key.ts";
import { AcmeError } from "./errors.ts";
import { type HttpReply, header, send, type TransportOptions } from "./transport.ts";
import type { Authorization, Directory, Order } from "./types.ts";

export interface AcmeClientOptions extends TransportOptions {
  directoryUrl: string;
  accountKey: AccountKey;
  /** An existing account URL (kid); found or created by `account()` otherwise. */
  accountUrl?: string | undefined;
  /** Poll interval for pending resources; default 250 ms. */
  pollMs?: number | undefined;
}

export interface Reply {
  status: number;
  location: string | undefined;
  /** Seconds the server asks the client to wait before polling again (Retry-After). */
  retryAfter: string | undefined;
  body: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: ACME resources are read field by field
  json: any;
}

const JOSE = { "Content-Type": "application/jose+json" };

export class AcmeClient {
  private dir: Directory | undefined;
  private nonces: string[] = [];
  accountUrl: string | undefined;

  constructor(readonly o: AcmeClientOptions) {
    this.accountUrl = o.accountUrl;
  }

  get key(): AccountKey {
    return this.o.accountKey;
  }

  async directory(): Promise<Directory> {
    if (!this.dir) this.dir = this.parse(await this.fetch("GET", this.o.directoryUrl)).json;
    return this.dir!;
  }

  private async fetch(method: string, url: string, body?: string): Promise<HttpReply> {
    const r = await send(this.o, method, url, body, body === undefined ? {} : JOSE);
    const n = header(r.headers, "replay-nonce");
    if (n) this.nonces.push(n);
    return r;
  }

  private parse(r: HttpReply): Reply {
    const type = header(r.headers, "content-type") ?? "";
    const json =
      type.includes("json") && r.body.length > 0 ? JSON.parse(r.body.toString("utf8")) : undefined;
    if (r.status >= 400) {
      const p = json ?? {};
      throw new AcmeError(String(p.type ?? "about:blank"), r.status, String(p.detail ?? r.status));
    }
    const location = header(r.headers, "location");
    return {
      status: r.status,
      location,
      retryAfter: header(r.headers, "retry-after"),
      body: r.body,
      json,
    };
  }

  private async nonce(): Promise<string> {
    const n = this.nonces.pop();
    if (n) return n;
    await this.fetch("HEAD", (await this.directory()).newNonce);
    const fresh = this.nonces.pop();
    if (!fresh) throw new Error("the ACME server sent no Replay-Nonce");
    return fresh;
  }

  /** One signed POST; payload "" is POST-as-GET. badNonce is retried with the fresh nonce. */
  async post(
    url: string,
    payload: unknown,
    opts: { signer?: Signer; key?: AccountKey } = {},
  ): Promise<Reply> {
    const key = opts.key ?? this.key;
    const signer = opts.signer ?? (this.accountUrl ? { kid: this.accountUrl } : { jwk: key.jwk });
    for (let attempt = 0; ; attempt++) {
      const jws = await signJws(key, signer, url, await this.nonce(), payload);
      try {
        return this.parse(await this.fetch("POST", url, JSON.stringify(jws)));
      } catch (e) {
        if (!(e instanceof AcmeError && e.kind === "badNonce") || attempt >= 4) throw e;
      }
    }
  }

  /** Finds or creates the account; EAB when given. Returns the account URL. */
  async account(
    o: { contact?: string[]; eab?: { kid: string; hmacKey: string } } = {},
  ): Promise<string> {
    const d = await this.directory();
    const payload: Record<string, unknown> = { termsOfServiceAgreed: true };
    if (o.contact) payload.contact = o.contact;
    if (o.eab)
      payload.externalAccountBinding = await eabBinding(
        this.key,
        o.eab.kid,
        o.eab.hmacKey,
        d.newAccount,
      );
    const r = await this.post(d.newAccount, payload, { signer: { jwk: this.key.jwk } });
    if (!r.location) throw new Error("newAccount answered without Location");
    this.accountUrl = r.location;
    return r.location;
  }

  async deactivate(): Promise<void> {
    await this.post(this.requireAccount(), { status: "deactivated" });
  }

  private requireAccount(): string {
    if (!this.accountUrl) throw new Error("no ACME account yet: call account() first");
    return this.accountUrl;
  }

  async newOrder(o: { names: string[]; profile?: string; replaces?: string }): Promise<Order> {
    this.requireAccount();
    const payload: Record<string, unknown> = {
      identifiers: o.names.map((value) => ({ type: "dns", value })),
    };
    if (o.profile) payload.profile = o.profile;
    if (o.replaces) payload.replaces = o.replaces;
    const r = await this.post((await this.directory()).newOrder, payload);
    return { ...r.json, url: r.location };
  }

  async get<T>(url: string): Promise<T> {
    return (await this.post(url, "")).json as T;
  }

  authorization(url: string): Promise<Authorization> {
    return this.get<Authorization>(url);
  }

  async respond(challengeUrl: string): Promise<void> {
    await this.post(challengeUrl, {});
  }

  /** Polls until the resource leaves pending/processing (bounded by timeoutMs). */
  async poll<T extends { status: string }>(url: string, timeoutMs = 60_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.get<T>(url);
      if (v.status !== "pending" && v.status !== "processing") return v;
      if (Date.now() > end) throw new Error(`${url} still ${v.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, this.o.pollMs ?? 250));
    }
  }

  async finalize(order: Order, csrDer: Buffer): Promise<Order> {
    await this.post(order.finalize, { csr: csrDer.toString("base64url") });
    return { ...(await this.poll<Order>(order.url)), url: order.url };
  }

  async certificate(url: string): Promise<string> {
    return (await this.post(url, "")).body.toString("utf8");
  }

  /** Revokes with the account key, or with the certificate's own key when given. */
  async revoke(certDer: Buffer, o: { reason?: number; certKey?: AccountKey } = {}): Promise<void> {
    const payload = {
      certificate: certDer.toString("base64url"),
      ...(o.reason === undefined ? {} : { reason: o.reason }),
    };
    const url = (await this.directory()).revokeCert;
    if (o.certKey)
      await this.post(url, payload, { key: o.certKey, signer: { jwk: o.certKey.jwk as JWK } });
    else await this.post(url, payload);
  }

  /** RFC 9773 renewal information, or undefined when the server has no renewalInfo. */
  async renewalInfo(certId: string): Promise<{ start: Date; end: Date } | undefined> {
    const base = (await this.directory()).renewalInfo;
    if (!base) return undefined;
    const r = this.parse(await this.fetch("GET", `${base}/${certId}`));
    const w = r.json?.suggestedWindow;
    if (!w?.start || !w?.end) throw new Error("renewalInfo without suggestedWindow");
    return { start: new Date(w.start), end: new Date(w.end) };
  }
}
