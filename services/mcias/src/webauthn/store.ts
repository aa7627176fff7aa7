// SQL for the passkeys table: one row per WebAuthn credential of an account.
import { randomUUID } from "node:crypto";
import type { Db } from "../db/open.ts";

export interface PasskeyInfo {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface StoredPasskey extends PasskeyInfo {
  accountId: string;
  /** base64url credential id chosen by the authenticator. */
  credentialId: string;
  /** COSE_Key bytes. */
  publicKey: Uint8Array<ArrayBuffer>;
  counter: number;
  transports: string[];
}

interface Row {
  id: string;
  account_id: string;
  credential_id: string;
  public_key: Buffer;
  counter: number;
  transports: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

function toStored(r: Row): StoredPasskey {
  return {
    id: r.id,
    accountId: r.account_id,
    credentialId: r.credential_id,
    publicKey: new Uint8Array(r.public_key),
    counter: r.counter,
    transports: JSON.parse(r.transports) as string[],
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  };
}

export function passkeyInfo(p: StoredPasskey): PasskeyInfo {
  return { id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt };
}

export interface NewPasskey {
  accountId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string;
}

export class PasskeyStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  insert(p: NewPasskey): StoredPasskey {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO passkeys (id, account_id, credential_id, public_key, counter, transports,
           device_type, backed_up, name, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        p.accountId,
        p.credentialId,
        Buffer.from(p.publicKey),
        p.counter,
        JSON.stringify(p.transports),
        p.deviceType,
        p.backedUp ? 1 : 0,
        p.name,
        this.now(),
      );
    return this.byId(id)!;
  }

  byId(id: string): StoredPasskey | undefined {
    const r = this.db.prepare("SELECT * FROM passkeys WHERE id = ?").get(id) as Row | undefined;
    return r && toStored(r);
  }

  byCredentialId(credentialId: string): StoredPasskey | undefined {
    const r = this.db.prepare("SELECT * FROM passkeys WHERE credential_id = ?").get(credentialId) as
      | Row
      | undefined;
    return r && toStored(r);
  }

  listFor(accountId: string): StoredPasskey[] {
    return (
      this.db
        .prepare("SELECT * FROM passkeys WHERE account_id = ? ORDER BY created_at, id")
        .all(accountId) as Row[]
    ).map(toStored);
  }

  countFor(accountId: string): number {
    return (
      this.db.prepare("SELECT COUNT(*) AS n FROM passkeys WHERE account_id = ?").get(accountId) as {
        n: number;
      }
    ).n;
  }

  /**
   * Records a verified use. The counter only moves forward: the update is conditional, so two
   * concurrent assertions with the same counter cannot both succeed.
   */
  recordUse(id: string, oldCounter: number, newCounter: number): boolean {
    return (
      this.db
        .prepare("UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ? AND counter = ?")
        .run(newCounter, this.now(), id, oldCounter).changes === 1
    );
  }

  delete(accountId: string, id: string): boolean {
    return (
      this.db.prepare("DELETE FROM passkeys WHERE id = ? AND account_id = ?").run(id, accountId)
        .changes === 1
    );
  }
}
