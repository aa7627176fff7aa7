// Login and logout through MCIAS, one use case each (REST /v1/auth/* and gRPC AuthService only
// translate): a password login yields a token whose audience is mcq; logout revokes the token the
// call was authenticated with.
import { AppError } from "@metacircular/mcdsl/errors";
import type { Identity } from "@metacircular/mcdsl/identity";

/** What MCIAS offers for this (mcdsl's AuthClient). */
export interface LoginClient {
  login(
    username: string,
    password: string,
    totpCode?: string,
  ): Promise<{ token: string; expiresAt: Date }>;
  logout(token: string): Promise<void>;
}

export interface LoginInput {
  username: string;
  password: string;
  totpCode?: string | undefined;
}

export interface LoginAnswer {
  token: string;
  expires_at: string;
}

export class Sessions {
  constructor(private readonly mcias: LoginClient) {}

  async login(i: LoginInput): Promise<LoginAnswer> {
    if (!i.username || !i.password)
      throw AppError.badRequest("invalid_request", "username and password are required");
    const r = await this.mcias.login(i.username, i.password, i.totpCode || undefined);
    return { token: r.token, expires_at: r.expiresAt.toISOString() };
  }

  /** Revokes `token`, which authenticated `_id` (the access map checked it is for mcq). */
  async logout(_id: Identity, token: string): Promise<void> {
    await this.mcias.logout(token);
  }
}
