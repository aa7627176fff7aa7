// Form fields that keep what was typed and say what is wrong. A field in error carries
// aria-invalid="true" and its message is tied to it with aria-describedby (as is the hint),
// so a screen reader reads both. Password fields never echo a value back.
import type { Child } from "hono/jsx";
import { CSRF_FIELD } from "../csrf/index.ts";

/** Field name → message, for the fields a refused submission got wrong. */
export type FieldErrors = Readonly<Record<string, string | undefined>>;

/** What was submitted, to fill the form again after a refusal. */
export type FormValues = Readonly<Record<string, string | readonly string[] | undefined>>;

interface FieldBase {
  name: string;
  label: string;
  /** Defaults to "f-" + name. */
  id?: string | undefined;
  hint?: Child;
  error?: string | undefined;
  required?: boolean | undefined;
}

function ids(p: FieldBase) {
  const id = p.id ?? `f-${p.name}`;
  const hint = p.hint ? `${id}-hint` : undefined;
  const error = p.error ? `${id}-error` : undefined;
  const describedBy = [hint, error].filter(Boolean).join(" ") || undefined;
  return { id, hint, error, describedBy };
}

function Messages(p: {
  hint?: Child;
  hintId?: string | undefined;
  error?: string | undefined;
  errorId?: string | undefined;
}) {
  return (
    <>
      {p.hint && p.hintId && (
        <p class="kit-hint" id={p.hintId}>
          {p.hint}
        </p>
      )}
      {p.error && p.errorId && (
        <p class="kit-field-error" id={p.errorId}>
          {p.error}
        </p>
      )}
    </>
  );
}

export interface FieldProps extends FieldBase {
  type?: "text" | "password" | "email" | "url" | "number" | "search" | "tel" | undefined;
  value?: string | undefined;
  autocomplete?: string | undefined;
  placeholder?: string | undefined;
  inputmode?: "text" | "numeric" | "email" | "url" | undefined;
  autocapitalize?: "none" | "off" | undefined;
  pattern?: string | undefined;
  maxlength?: number | undefined;
  spellcheck?: boolean | undefined;
  autofocus?: boolean | undefined;
}

export function Field(p: FieldProps) {
  const i = ids(p);
  const secret = p.type === "password";
  return (
    <div class="kit-field">
      <label for={i.id}>{p.label}</label>
      <input
        id={i.id}
        name={p.name}
        type={p.type ?? "text"}
        value={secret ? undefined : p.value}
        autocomplete={p.autocomplete}
        placeholder={p.placeholder}
        inputmode={p.inputmode}
        autocapitalize={p.autocapitalize}
        pattern={p.pattern}
        maxlength={p.maxlength}
        spellcheck={p.spellcheck}
        autofocus={p.autofocus}
        required={p.required}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={i.describedBy}
      />
      <Messages hint={p.hint} hintId={i.hint} error={p.error} errorId={i.error} />
    </div>
  );
}

export interface TextAreaProps extends FieldBase {
  value?: string | undefined;
  rows?: number | undefined;
  spellcheck?: boolean | undefined;
}

export function TextAreaField(p: TextAreaProps) {
  const i = ids(p);
  return (
    <div class="kit-field">
      <label for={i.id}>{p.label}</label>
      <textarea
        id={i.id}
        name={p.name}
        rows={p.rows ?? 4}
        spellcheck={p.spellcheck}
        required={p.required}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={i.describedBy}
      >
        {p.value ?? ""}
      </textarea>
      <Messages hint={p.hint} hintId={i.hint} error={p.error} errorId={i.error} />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

export interface SelectProps extends FieldBase {
  options: readonly Option[];
  value?: string | undefined;
}

export function SelectField(p: SelectProps) {
  const i = ids(p);
  return (
    <div class="kit-field">
      <label for={i.id}>{p.label}</label>
      <select
        id={i.id}
        name={p.name}
        required={p.required}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={i.describedBy}
      >
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Messages hint={p.hint} hintId={i.hint} error={p.error} errorId={i.error} />
    </div>
  );
}

export interface ChecksProps extends FieldBase {
  options: readonly Option[];
  values?: readonly string[] | undefined;
}

/** A group of checkboxes sharing one name; the label is the fieldset's legend. */
export function CheckboxGroup(p: ChecksProps) {
  const i = ids(p);
  const picked = new Set(p.values ?? []);
  return (
    <fieldset
      id={i.id}
      aria-invalid={p.error ? "true" : undefined}
      aria-describedby={i.describedBy}
    >
      <legend>{p.label}</legend>
      <div class="kit-checks">
        {p.options.map((o) => (
          <label class="kit-check">
            <input type="checkbox" name={p.name} value={o.value} checked={picked.has(o.value)} />
            {o.label}
          </label>
        ))}
      </div>
      <Messages hint={p.hint} hintId={i.hint} error={p.error} errorId={i.error} />
    </fieldset>
  );
}

/** The hidden CSRF field every mutating form carries (name: CSRF_FIELD). */
export function CsrfField(p: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={p.token} />;
}

/** One value of a FormValues (the first, for repeated names). */
export function formValue(values: FormValues | undefined, name: string): string | undefined {
  const v = values?.[name];
  return typeof v === "string" ? v : v?.[0];
}

/** Every value of a repeated name (checkboxes). */
export function formValues(values: FormValues | undefined, name: string): readonly string[] {
  const v = values?.[name];
  return v === undefined ? [] : typeof v === "string" ? [v] : v;
}
