// The certificate inventory of a CA mount: search by name, serial, requester and expiry; revoke.
import {
  Badge,
  type Column,
  CsrfField,
  DataTable,
  EmptyState,
  Field,
  type Flash,
  SelectField,
  Time,
} from "@metacircular/mcdsl/web";
import type { CertSummary } from "../ca/inventory.ts";
import type { MountInfo } from "../mounts/mount-table.ts";
import { frame, type PageContext } from "./frame.tsx";
import { MountPicker } from "./mount-picker.tsx";

export interface CertSearch {
  name: string;
  serial: string;
  requester: string;
  /** A date (YYYY-MM-DD). */
  expires_before: string;
  status: string;
}

const STATUS = [
  { value: "", label: "Any" },
  { value: "valid", label: "Not revoked" },
  { value: "revoked", label: "Revoked" },
];

/** RFC 5280 reason codes offered by the form. */
const REASONS = [
  { value: "0", label: "Unspecified" },
  { value: "1", label: "Key compromise" },
  { value: "4", label: "Superseded" },
  { value: "5", label: "Cessation of operation" },
];

function SearchForm(p: { mount: string; q: CertSearch }) {
  return (
    <form
      method="get"
      action="/certs"
      class="kit-filters"
      id="cert-search"
      hx-get="/certs"
      hx-target="#inventory"
      hx-select="#inventory"
      hx-swap="outerHTML"
      hx-push-url="true"
    >
      <input type="hidden" name="mount" value={p.mount} />
      <Field name="name" label="Name" type="search" value={p.q.name} autocapitalize="none" />
      <Field name="serial" label="Serial" value={p.q.serial} autocapitalize="none" />
      <Field name="requester" label="Requester" value={p.q.requester} autocapitalize="none" />
      <div class="kit-field">
        <label for="f-expires_before">Expires before</label>
        <input id="f-expires_before" name="expires_before" type="date" value={p.q.expires_before} />
      </div>
      <SelectField name="status" label="Status" value={p.q.status} options={STATUS} />
      <div class="kit-actions">
        <button type="submit">Search</button>
      </div>
    </form>
  );
}

function state(c: CertSummary) {
  if (c.revoked_at) return <Badge tone="bad">revoked</Badge>;
  if (Date.parse(c.not_after) < Date.now()) return <Badge tone="warn">expired</Badge>;
  return <Badge tone="ok">valid</Badge>;
}

function RevokeForm(p: { mount: string; serial: string; csrf: string }) {
  return (
    <form
      method="post"
      action={`/certs/${p.mount}/${p.serial}/revoke`}
      class="kit-inline revoke"
      aria-label={`Revoke ${p.serial}`}
    >
      <CsrfField token={p.csrf} />
      <SelectField
        id={`reason-${p.serial}`}
        name="reason"
        label="Reason"
        value="0"
        options={REASONS}
      />
      <button type="submit" class="kit-danger">
        Revoke
      </button>
    </form>
  );
}

function columns(mount: string, csrf: string): Column<CertSummary>[] {
  return [
    { label: "Serial", cell: (c) => <code>{c.serial}</code>, kind: "break" },
    { label: "Common name", cell: (c) => c.common_name, kind: "break" },
    { label: "Names", cell: (c) => c.names.join(", "), kind: "break" },
    { label: "Requester", cell: (c) => c.requester },
    { label: "Profile", cell: (c) => c.profile },
    { label: "Expires", cell: (c) => <Time at={c.not_after} />, kind: "nowrap" },
    { label: "Status", cell: state },
    {
      label: "Action",
      cell: (c) =>
        c.revoked_at ? (
          <Time at={c.revoked_at} />
        ) : (
          <RevokeForm mount={mount} serial={c.serial} csrf={csrf} />
        ),
    },
  ];
}

export function certsPage(
  ctx: PageContext,
  v: { mounts: MountInfo[]; mount: string; q: CertSearch; certs: CertSummary[]; flash?: Flash[] },
) {
  const empty = (
    <EmptyState id="no-certs" title="No certificate matches">
      Issue one with <code>metacryptctl ca issue {v.mount || "pki"} --profile …</code>.
    </EmptyState>
  );
  const body = v.mount ? (
    <>
      <MountPicker action="/certs" mounts={v.mounts} current={v.mount} />
      <SearchForm mount={v.mount} q={v.q} />
      <div id="inventory">
        <p class="kit-muted" id="count">
          {v.certs.length} certificate{v.certs.length === 1 ? "" : "s"}
        </p>
        <DataTable id="certs" rows={v.certs} columns={columns(v.mount, ctx.csrf)} empty={empty} />
      </div>
    </>
  ) : (
    <EmptyState id="no-ca" title="No CA mount">
      An admin mounts one with <code>metacryptctl mount create pki ca</code>.
    </EmptyState>
  );
  return frame(ctx, "Certificates", body, v.flash ? { flash: v.flash } : {});
}
