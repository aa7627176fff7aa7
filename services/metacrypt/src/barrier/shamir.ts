// N-of-M shares of the unseal secret (shamir-secret-sharing, GF(256)). A share is handed out
// base64 once at initialisation and never stored.

import { combine, split } from "shamir-secret-sharing";

export async function splitSecret(
  secret: Buffer,
  shares: number,
  threshold: number,
): Promise<string[]> {
  const parts = await split(new Uint8Array(secret), shares, threshold);
  return parts.map((p) => Buffer.from(p).toString("base64"));
}

export async function combineShares(shares: Buffer[]): Promise<Buffer> {
  return Buffer.from(await combine(shares.map((s) => new Uint8Array(s))));
}
