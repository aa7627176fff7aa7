// Transit keys (names, versions, rotate) and the SSH CA (public key, KRL, issued certificates).
import {
  Badge,
  type Column,
  CsrfField,
  DataTable,
  EmptyState,
  Facts,
  type Flash,
  Section,
  Time,
} from "@metacircular/mcdsl/web";
import type { MountInfo } from "../mounts/mount-table.ts";
import { frame, type PageContext } from "./frame.tsx";
import { MountPicker } from "./mount-picker.tsx";

/** A transit key as get-key answers on the wire. */
export interface WireKey {
  name: string;
  type: string;
  latest_version: number;
  min_decryption_version: number;
  deletion_allowed: boolean;
  versions: { version: number; created_at: number }[];
}

function NoMount(p: { type: string }) {
  return (
    <EmptyState id="no-mount" title={`No ${p.type} mount`}>
      An admin mounts one with{" "}
      <code>
        metacryptctl mount create {p.type} {p.type}
      </code>
      .
    </EmptyState>
  );
}

function KeyDetail(p: { ctx: PageContext; mount: string; info: WireKey }) {
  const k = p.info;
  const cols: Column<WireKey["versions"][number]>[] = [
    { label: "Version", cell: (v) => String(v.version), kind: "num" },
    { label: "Created", cell: (v) => <Time at={v.created_at * 1000} />, kind: "nowrap" },
    {
      label: "Decrypts",
      cell: (v) =>
        v.version >= k.min_decryption_version ? (
          <Badge tone="ok">yes</Badge>
        ) : (
          <Badge tone="warn">too old</Badge>
        ),
    },
  ];
  return (
    <Section id="key" title={`Key ${k.name}`} card>
      <Facts
        items={[
          { label: "Type", value: k.type },
          { label: "Latest version", value: String(k.latest_version), id: "latest" },
          { label: "Oldest decrypting version", value: String(k.min_decryption_version) },
        ]}
      />
      <DataTable id="versions" rows={k.versions} columns={cols} empty={null} />
      <form
        method="post"
        action={`/transit/${p.mount}/${encodeURIComponent(k.name)}/rotate`}
        id="rotate"
      >
        <CsrfField token={p.ctx.csrf} />
        <button type="submit">Rotate key</button>
      </form>
    </Section>
  );
}

export function transitPage(
  ctx: PageContext,
  v: { mounts: MountInfo[]; mount: string; keys: string[]; key?: WireKey; flash?: Flash[] },
) {
  const cols: Column<string>[] = [
    {
      label: "Key",
      cell: (n) => <a href={`/transit?mount=${v.mount}&key=${encodeURIComponent(n)}`}>{n}</a>,
      kind: "break",
    },
  ];
  const body = v.mount ? (
    <>
      <MountPicker action="/transit" mounts={v.mounts} current={v.mount} />
      <DataTable
        id="keys"
        rows={v.keys}
        columns={cols}
        empty={
          <EmptyState id="no-keys" title="No keys yet">
            Create one with{" "}
            <code>
              metacryptctl request {v.mount} create-key --data '{"{"}"name":"…"{"}"}'
            </code>
            .
          </EmptyState>
        }
      />
      {v.key && <KeyDetail ctx={ctx} mount={v.mount} info={v.key} />}
    </>
  ) : (
    <NoMount type="transit" />
  );
  return frame(ctx, "Transit keys", body, v.flash ? { flash: v.flash } : {});
}

/** An SSH certificate record as list-certs answers on the wire. */
export interface WireSshCert {
  serial: string;
  key_id: string;
  cert_type: string;
  principals: string[];
  valid_before: number;
  revoked: boolean;
}

const SSH_COLS: Column<WireSshCert>[] = [
  { label: "Serial", cell: (c) => c.serial, kind: "num" },
  { label: "Key id", cell: (c) => c.key_id, kind: "break" },
  { label: "Type", cell: (c) => c.cert_type },
  { label: "Principals", cell: (c) => c.principals.join(", "), kind: "break" },
  { label: "Valid until", cell: (c) => <Time at={c.valid_before * 1000} />, kind: "nowrap" },
  {
    label: "Status",
    cell: (c) => (c.revoked ? <Badge tone="bad">revoked</Badge> : <Badge tone="ok">valid</Badge>),
  },
];

export function sshPage(
  ctx: PageContext,
  v: {
    mounts: MountInfo[];
    mount: string;
    ca?: { publicKey: string; keyType: string; maxTtlSeconds: number };
    certs: WireSshCert[];
  },
) {
  if (!v.mount) return frame(ctx, "SSH CA", <NoMount type="ssh-ca" />);
  const ca = v.ca ? (
    <Section id="ca" title="CA public key" card>
      <pre id="ca-pub">{v.ca.publicKey}</pre>
      <Facts
        items={[
          { label: "Key type", value: v.ca.keyType },
          { label: "Longest certificate", value: `${v.ca.maxTtlSeconds} s` },
          {
            label: "Revocation list",
            value: (
              <a href={`/v1/ssh/${v.mount}/krl`} id="krl">
                KRL (binary, for sshd RevokedKeys)
              </a>
            ),
          },
        ]}
      />
    </Section>
  ) : (
    <EmptyState id="no-ca-key" title="The SSH CA has no key yet">
      An admin creates it with <code>metacryptctl request {v.mount} init</code>.
    </EmptyState>
  );
  const body = (
    <>
      <MountPicker action="/ssh" mounts={v.mounts} current={v.mount} />
      {ca}
      <Section id="ssh-certs" title="Issued certificates">
        <DataTable
          id="ssh-cert-list"
          rows={v.certs}
          columns={SSH_COLS}
          empty={<EmptyState id="no-ssh-certs" title="No certificates issued yet" />}
        />
      </Section>
    </>
  );
  return frame(ctx, "SSH CA", body);
}
