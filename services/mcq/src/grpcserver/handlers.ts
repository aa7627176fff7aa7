// gRPC handlers: each translates a message into one use case (documents/, auth/, admin/) — the
// same ones REST calls — and the view back into a message. The views' keys are the messages'
// proto field names (snake_case), so protobuf's JSON reader maps them.

import { create, fromJson, type JsonObject } from "@bufbuild/protobuf";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { requireIdentityFrom } from "@metacircular/mcdsl/grpc";
import { bearerToken } from "@metacircular/mcdsl/identity";
import { AdminService, HealthResponseSchema } from "@metacircular/proto/mcq/v1/admin_pb";
import {
  AuthService,
  LoginResponseSchema,
  LogoutResponseSchema,
} from "@metacircular/proto/mcq/v1/auth_pb";
import {
  ChangesResponseSchema,
  DeleteResponseSchema,
  DocumentSchema,
  DocumentService,
  DocumentSummarySchema,
  GetResponseSchema,
  ListResponseSchema,
  MarkReadResponseSchema,
  MarkUnreadResponseSchema,
  PutResponseSchema,
} from "@metacircular/proto/mcq/v1/document_pb";
import type { Health } from "../admin/health.ts";
import type { Sessions } from "../auth/sessions.ts";
import type { Documents } from "../documents/documents.ts";
import type { DocumentDetail, DocumentSummary } from "../documents/views.ts";

export interface GrpcDeps {
  docs: Documents;
  sessions: Sessions;
  health: Health;
}

const json = (v: object) => JSON.parse(JSON.stringify(v)) as JsonObject;
const summary = (s: DocumentSummary) => fromJson(DocumentSummarySchema, json(s));
function detail(d: DocumentDetail) {
  const { body, html, toc, ...rest } = d;
  return fromJson(DocumentSchema, json({ summary: rest, body, html, toc }));
}
const opt = (v: string | undefined) => v || undefined;

function registerDocuments(router: ConnectRouter, docs: Documents): void {
  const who = (ctx: HandlerContext) => requireIdentityFrom(ctx);
  router.service(DocumentService, {
    list: (req, ctx) =>
      create(ListResponseSchema, {
        documents: docs
          .list(who(ctx), {
            unread: req.unread,
            pushedBy: opt(req.pushedBy),
            tag: opt(req.tag),
            q: opt(req.q),
            limit: req.limit,
          })
          .map(summary),
      }),
    get: (req, ctx) =>
      create(GetResponseSchema, { document: detail(docs.get(who(ctx), req.slug)) }),
    put: async (req, ctx) => {
      const r = await docs.put(who(ctx), req.slug, {
        body: req.body,
        title: req.title,
        tags: req.tags,
      });
      return create(PutResponseSchema, { created: r.created, document: detail(r.document) });
    },
    delete: (req, ctx) => {
      docs.delete(who(ctx), req.slug);
      return create(DeleteResponseSchema, {});
    },
    markRead: (req, ctx) =>
      create(MarkReadResponseSchema, { document: summary(docs.markRead(who(ctx), req.slug)) }),
    markUnread: (req, ctx) =>
      create(MarkUnreadResponseSchema, {
        document: summary(docs.markUnread(who(ctx), req.slug)),
      }),
    changes: async (req, ctx) =>
      fromJson(ChangesResponseSchema, json(await docs.changes(who(ctx), req.slug))),
  });
}

export function registerHandlers(router: ConnectRouter, d: GrpcDeps): void {
  registerDocuments(router, d.docs);
  router.service(AuthService, {
    login: async (req) => {
      const r = await d.sessions.login({
        username: req.username,
        password: req.password,
        totpCode: req.totpCode,
      });
      return create(LoginResponseSchema, { token: r.token, expiresAt: r.expires_at });
    },
    logout: async (_req, ctx) => {
      const token = bearerToken(ctx.requestHeader.get("authorization")) ?? "";
      await d.sessions.logout(requireIdentityFrom(ctx), token);
      return create(LogoutResponseSchema, {});
    },
  });
  router.service(AdminService, {
    health: () => create(HealthResponseSchema, d.health.report()),
  });
}
