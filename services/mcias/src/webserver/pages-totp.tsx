// TOTP self-service: the account page's TOTP section, enrolment (QR code + secret, confirmed
// by a first code), the recovery codes shown once, and disabling with the password.
import { Field, Section } from "@metacircular/mcdsl/web";
import type { Context } from "hono";
import QRCode from "qrcode";
import type { Core } from "../app.ts";
import type { Env, Router } from "../server/router.ts";
import { beginTotpEnrolment, confirmTotpEnrolment, disableOwnTotp } from "../totp/enrolment.ts";
import { otpauthUri } from "../totp/totp.ts";
import { Csrf, page } from "./layout.tsx";
import type { AccountSection } from "./pages-account.tsx";
import { ctx, failure, readForm } from "./ui-forms.ts";

export function totpSection(core: Core): AccountSection {
  return (c) => {
    const { me, csrf } = ctx(c);
    const enabled = core.accounts.get(me.username).totpEnabled;
    return (
      <Section id="totp" title="Two-factor authentication (TOTP)" card>
        <p id="totp-status">{enabled ? "TOTP is enabled." : "TOTP is not enabled."}</p>
        {enabled ? (
          <form method="post" action="/ui/totp/disable" class="kit-form">
            <Csrf token={csrf} />
            <Field
              name="password"
              type="password"
              label="Password (to disable TOTP)"
              autocomplete="current-password"
              required
            />
            <div class="kit-actions">
              <button type="submit" class="kit-danger">
                Disable TOTP
              </button>
            </div>
          </form>
        ) : (
          <form method="post" action="/ui/totp/enroll">
            <Csrf token={csrf} />
            <button type="submit">Set up TOTP</button>
          </form>
        )}
      </Section>
    );
  };
}

async function enrolPage(
  c: Context<Env>,
  core: Core,
  secret: string,
  status: 200 | 400,
  error?: string,
) {
  const { me, csrf } = ctx(c);
  const uri = otpauthUri(core.cfg.tokens.issuer.toUpperCase(), me.username, secret);
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M" });
  return page(c, status, {
    title: "Set up TOTP",
    csrf,
    me,
    error,
    children: (
      <>
        <p>Scan the code with an authenticator app, or enter the secret by hand.</p>
        <div
          class="kit-qr"
          role="img"
          aria-label="QR code"
          dangerouslySetInnerHTML={{ __html: svg }}
        />
        <p>
          Secret: <code id="totp-secret">{secret}</code>
        </p>
        <form method="post" action="/ui/totp/confirm" class="kit-form">
          <Csrf token={csrf} />
          <Field
            name="code"
            label="Code from the app"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            error={error}
            required
          />
          <div class="kit-actions">
            <button type="submit">Confirm</button>
          </div>
        </form>
      </>
    ),
  });
}

export function registerTotpPages(r: Router, core: Core): void {
  r.add("POST", "/ui/totp/enroll", async (c) => {
    const { me, csrf } = ctx(c);
    try {
      const e = await beginTotpEnrolment(core, core.accounts.get(me.username));
      return enrolPage(c, core, e.secret, 200);
    } catch (e) {
      const { message } = failure(e);
      return page(c, 400, { title: "Set up TOTP", csrf, me, error: message });
    }
  });

  r.add("POST", "/ui/totp/confirm", async (c) => {
    const { me, csrf } = ctx(c);
    const code = (await readForm(c)).str("code", 16).trim();
    const account = core.accounts.get(me.username);
    let codes: string[];
    try {
      codes = confirmTotpEnrolment(core, account, code);
    } catch (e) {
      const { message } = failure(e);
      const pending = core.accounts.secrets(me.username)?.totpSecret;
      if (pending && !account.totpEnabled) return enrolPage(c, core, pending, 400, message);
      return page(c, 400, { title: "Set up TOTP", csrf, me, error: message });
    }
    return page(c, 200, {
      title: "TOTP enabled",
      csrf,
      me,
      notice:
        "TOTP is enabled. Store these recovery codes safely: each works once, and they are shown only now.",
      children: (
        <>
          <ul id="recovery-codes" class="kit-codes">
            {codes.map((x) => (
              <li>
                <code>{x}</code>
              </li>
            ))}
          </ul>
          <p>
            <a href="/ui/">Back to my account</a>
          </p>
        </>
      ),
    });
  });

  r.add("POST", "/ui/totp/disable", async (c) => {
    const { me, csrf } = ctx(c);
    const password = (await readForm(c)).str("password");
    try {
      await disableOwnTotp(core, core.accounts.get(me.username), password);
    } catch (e) {
      if (failure(e).status !== 401) throw e;
      return page(c, 401, {
        title: "Disable TOTP",
        csrf,
        me,
        error: "The password is wrong; TOTP stays enabled.",
        children: (
          <p>
            <a href="/ui/">Back to my account</a>
          </p>
        ),
      });
    }
    return c.redirect("/ui/?done=totp_disabled", 303);
  });
}
