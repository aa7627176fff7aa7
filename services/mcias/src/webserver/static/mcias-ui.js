// MCIAS web UI behaviour (plain JS, served from /static; no inline scripts anywhere).
// Adding a passkey on the account page: ask /ui/passkeys/begin for creation options (CSRF
// token in the X-CSRF-Token header), let the authenticator create the credential through
// window.mciasPasskey (webauthn.js), then post the response with the form. Click handling is
// delegated to the document, so it keeps working after htmx swaps the page body.
(() => {
  async function addPasskey(form) {
    const errorBox = document.getElementById("passkey-add-error");
    if (errorBox) errorBox.hidden = true;
    try {
      if (!window.mciasPasskey || !window.PublicKeyCredential)
        throw new Error("this browser does not support passkeys");
      const csrf = form.elements.namedItem("_csrf").value;
      const res = await fetch("/ui/passkeys/begin", {
        method: "POST",
        headers: { "x-csrf-token": csrf },
        credentials: "same-origin",
      });
      const begin = await res.json();
      if (!res.ok) throw new Error(begin.error?.message || "could not start");
      const created = await window.mciasPasskey.create(begin.options);
      form.elements.namedItem("challenge_id").value = begin.challenge_id;
      form.elements.namedItem("response").value = JSON.stringify(created);
      HTMLFormElement.prototype.submit.call(form);
    } catch (e) {
      if (!errorBox) return;
      errorBox.textContent =
        e?.name === "NotAllowedError"
          ? "Adding the passkey was cancelled."
          : `Adding the passkey failed: ${e?.message || e}`;
      errorBox.hidden = false;
    }
  }

  document.addEventListener("click", (ev) => {
    const button = ev.target instanceof Element ? ev.target.closest("#passkey-add") : null;
    const form = button?.closest("form");
    if (form) addPasskey(form);
  });
})();
