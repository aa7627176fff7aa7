// Tables of records. On a wide screen a dense table; below 600 px each row becomes a card and
// each cell a "label: value" line (the label comes from data-label, so nothing is cut off and
// nothing scrolls sideways). An empty list shows its empty state instead of bare headers.
import type { Child } from "hono/jsx";

export interface Column<T> {
  /** The header text, repeated as each cell's label on a phone. */
  label: string;
  cell: (row: T) => Child;
  /**
   * Cell style: "nowrap" (short codes, times), "num" (right-aligned digits), "break" (long
   * tokens such as addresses, ids and URLs may break anywhere), "wide" (a Detail cell).
   */
  kind?: "nowrap" | "num" | "break" | "wide" | undefined;
}

export interface DataTableProps<T> {
  id?: string | undefined;
  caption?: string | undefined;
  columns: readonly Column<T>[];
  rows: readonly T[];
  /** Shown instead of the table when rows is empty (an EmptyState). */
  empty: Child;
}

export function DataTable<T>(p: DataTableProps<T>) {
  if (p.rows.length === 0) return <>{p.empty}</>;
  return (
    <div class="kit-table-wrap">
      <table class="kit-table" id={p.id}>
        {p.caption && <caption>{p.caption}</caption>}
        <thead>
          <tr>
            {p.columns.map((c) => (
              <th scope="col">{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((row) => (
            <tr>
              {p.columns.map((c) => (
                <td data-label={c.label} class={c.kind ? `kit-${c.kind}` : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const PREVIEW_CHARS = 80;

/** Long text in a cell: a one-line preview; the whole text, wrapped at words, on click. */
export function Detail(p: { text: string; preview?: string | undefined }) {
  if (p.text.trim() === "") return <span class="kit-muted">—</span>;
  const oneLine = (p.preview ?? p.text).replace(/\s+/g, " ").trim();
  const preview =
    oneLine.length > PREVIEW_CHARS ? `${oneLine.slice(0, PREVIEW_CHARS - 1)}…` : oneLine;
  return (
    <details class="kit-detail">
      <summary>{preview}</summary>
      <pre>{p.text}</pre>
    </details>
  );
}

/** A JSON value (or its text) as a Detail: compact preview, indented on click. */
export function JsonDetail(p: { value: unknown }) {
  let parsed: unknown = p.value;
  if (typeof p.value === "string") {
    try {
      parsed = JSON.parse(p.value);
    } catch {
      return <Detail text={p.value} />;
    }
  }
  if (parsed === null || parsed === undefined) return <span class="kit-muted">—</span>;
  if (typeof parsed === "object" && Object.keys(parsed).length === 0)
    return <span class="kit-muted">—</span>;
  return <Detail text={JSON.stringify(parsed, null, 2)} preview={JSON.stringify(parsed)} />;
}
