// What the MCP tools and the CLI can do with documents, behind one interface with two
// implementations: in-process (the Streamable HTTP endpoint, for the caller's identity) and over
// the REST API (stdio MCP and the CLI, with the caller's token).
import type { Identity } from "@metacircular/mcdsl/identity";
import type { Changes, Documents, ListQuery, PushInput } from "../documents/documents.ts";
import type { DocumentDetail, DocumentSummary } from "../documents/views.ts";

export interface McqOps {
  list(q: ListQuery): Promise<DocumentSummary[]>;
  get(slug: string): Promise<DocumentDetail>;
  put(slug: string, input: PushInput): Promise<{ created: boolean; document: DocumentDetail }>;
  markRead(slug: string): Promise<DocumentSummary>;
  markUnread(slug: string): Promise<DocumentSummary>;
  changes(slug: string): Promise<Changes>;
}

export function localOps(docs: Documents, id: Identity): McqOps {
  return {
    list: async (q) => docs.list(id, q),
    get: async (slug) => docs.get(id, slug),
    put: (slug, input) => docs.put(id, slug, input),
    markRead: async (slug) => docs.markRead(id, slug),
    markUnread: async (slug) => docs.markUnread(id, slug),
    changes: (slug) => docs.changes(id, slug),
  };
}
