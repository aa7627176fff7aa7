// MCIAS passkeys in the browser (plain JS, no build step, served from /static/webauthn.js).
//
// window.mciasPasskey.create(optionsJSON) → RegistrationResponseJSON
// window.mciasPasskey.get(optionsJSON)    → AuthenticationResponseJSON
// They convert between the JSON options/responses MCIAS speaks (binary fields base64url) and
// the ArrayBuffers navigator.credentials.create/get use.
//
// On a login page (a form#login-form with hidden passkey_challenge/passkey_response inputs and
// a section#passkey holding button#passkey-sign-in) it also runs the username-less passkey
// sign-in: begin at POST /v1/auth/passkey/login/begin, ask the authenticator, then submit the
// same form with the assertion instead of a password.
(() => {
  function toBuffer(b64url) {
    const b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toB64url(buffer) {
    const bytes = new Uint8Array(buffer);
    let bin = "";
    for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map((c) => Object.assign({}, c, { id: toBuffer(c.id) }));
  }

  function common(cred) {
    return {
      id: cred.id,
      rawId: toB64url(cred.rawId),
      type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      clientExtensionResults: cred.getClientExtensionResults(),
    };
  }

  async function create(options) {
    const publicKey = Object.assign({}, options, {
      challenge: toBuffer(options.challenge),
      user: Object.assign({}, options.user, { id: toBuffer(options.user.id) }),
      excludeCredentials: descriptors(options.excludeCredentials),
    });
    const cred = await navigator.credentials.create({ publicKey });
    if (!cred) throw new Error("no credential was created");
    const r = cred.response;
    return Object.assign(common(cred), {
      response: {
        clientDataJSON: toB64url(r.clientDataJSON),
        attestationObject: toB64url(r.attestationObject),
        transports: typeof r.getTransports === "function" ? r.getTransports() : [],
      },
    });
  }

  async function get(options) {
    const publicKey = Object.assign({}, options, {
      challenge: toBuffer(options.challenge),
      allowCredentials: descriptors(options.allowCredentials),
    });
    const cred = await navigator.credentials.get({ publicKey });
    if (!cred) throw new Error("no passkey was used");
    const r = cred.response;
    return Object.assign(common(cred), {
      response: {
        clientDataJSON: toB64url(r.clientDataJSON),
        authenticatorData: toB64url(r.authenticatorData),
        signature: toB64url(r.signature),
        userHandle: r.userHandle ? toB64url(r.userHandle) : undefined,
      },
    });
  }

  window.mciasPasskey = { create, get };

  async function passkeySignIn(form, errorBox) {
    errorBox.hidden = true;
    try {
      const res = await fetch("/v1/auth/passkey/login/begin", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
        credentials: "same-origin",
      });
      const begin = await res.json();
      if (!res.ok) throw new Error(begin.error?.message || "could not start a passkey sign-in");
      const assertion = await get(begin.options);
      form.elements.namedItem("passkey_challenge").value = begin.challenge_id;
      form.elements.namedItem("passkey_response").value = JSON.stringify(assertion);
      const password = form.elements.namedItem("password");
      if (password) password.value = "";
      // The prototype's submit: skips the password field's `required` and any shadowing input.
      HTMLFormElement.prototype.submit.call(form);
    } catch (e) {
      errorBox.textContent =
        e?.name === "NotAllowedError"
          ? "Passkey sign-in was cancelled or no passkey is available."
          : `Passkey sign-in failed: ${e?.message || e}`;
      errorBox.hidden = false;
    }
  }

  function initLoginPage() {
    const box = document.getElementById("passkey");
    const form = document.getElementById("login-form");
    const button = document.getElementById("passkey-sign-in");
    const errorBox = document.getElementById("passkey-error");
    if (!box || !form || !button || !errorBox || !window.PublicKeyCredential) return;
    if (!form.elements.namedItem("passkey_response")) return;
    box.hidden = false;
    button.addEventListener("click", () => passkeySignIn(form, errorBox));
  }

  if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", initLoginPage);
  else initLoginPage();
})();
