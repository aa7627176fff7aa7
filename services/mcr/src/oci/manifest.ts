// arch: parser
// Manifest parser: OCI image manifest and index, Docker v2 schema 2 and manifest list. Takes the
// raw bytes and the request's Content-Type; returns the descriptors the registry must check and
// index (config, layers, child manifests, subject). Every defect is 400 MANIFEST_INVALID, never
// an exception of another kind.
import { parseStrictJson } from "@metacircular/mcdsl/http";
import { tryParseDigest } from "./digest.ts";
import { manifestInvalid } from "./errors.ts";
import {
  DOCKER_LIST,
  DOCKER_MANIFEST,
  isIndexType,
  MANIFEST_TYPES,
  OCI_INDEX,
  OCI_MANIFEST,
} from "./media-types.ts";

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  urls?: string[];
}

export interface ParsedManifest {
  mediaType: string;
  kind: "image" | "index";
  config?: Descriptor;
  layers: Descriptor[];
  manifests: Descriptor[];
  subject?: Descriptor;
  /** artifactType, or for an image manifest without one its config media type. */
  artifactType?: string;
  annotations?: Record<string, string>;
}

type Json = Record<string, unknown>;

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function stringMap(v: unknown, where: string): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw manifestInvalid(`${where} must be an object of strings`);
  for (const x of Object.values(v))
    if (typeof x !== "string") throw manifestInvalid(`${where} must be an object of strings`);
  return v as Record<string, string>;
}

function optionalString(v: unknown, where: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.length === 0 || v.length > 255)
    throw manifestInvalid(`${where} must be a non-empty string`);
  return v;
}

export function parseDescriptor(v: unknown, where: string): Descriptor {
  if (!isObject(v)) throw manifestInvalid(`${where} must be a descriptor object`);
  const mediaType = optionalString(v.mediaType, `${where}.mediaType`);
  if (mediaType === undefined) throw manifestInvalid(`${where}.mediaType is required`);
  if (typeof v.digest !== "string") throw manifestInvalid(`${where}.digest is required`);
  const d = tryParseDigest(v.digest);
  if (typeof d === "string") throw manifestInvalid(`${where}.digest: ${d}`);
  if (typeof v.size !== "number" || !Number.isSafeInteger(v.size) || v.size < 0)
    throw manifestInvalid(`${where}.size must be a non-negative integer`);
  const out: Descriptor = { mediaType, digest: d.text, size: v.size };
  const artifactType = optionalString(v.artifactType, `${where}.artifactType`);
  if (artifactType) out.artifactType = artifactType;
  const annotations = stringMap(v.annotations, `${where}.annotations`);
  if (annotations) out.annotations = annotations;
  if (v.urls !== undefined) {
    if (!Array.isArray(v.urls) || v.urls.some((u) => typeof u !== "string"))
      throw manifestInvalid(`${where}.urls must be an array of strings`);
    out.urls = v.urls as string[];
  }
  return out;
}

function descriptors(v: unknown, where: string): Descriptor[] {
  if (!Array.isArray(v)) throw manifestInvalid(`${where} must be an array`);
  if (v.length > 10_000) throw manifestInvalid(`${where} has too many entries`);
  return v.map((x, i) => parseDescriptor(x, `${where}[${i}]`));
}

/** The media type from the header and the body; they must agree when both are given. */
function resolveMediaType(contentType: string | undefined, body: Json): string {
  const header = contentType?.split(";")[0]?.trim().toLowerCase();
  const declared = body.mediaType;
  if (declared !== undefined && typeof declared !== "string")
    throw manifestInvalid("mediaType must be a string");
  const fromHeader = header && MANIFEST_TYPES.includes(header) ? header : undefined;
  if (fromHeader && declared && declared !== fromHeader)
    throw manifestInvalid(`Content-Type ${fromHeader} does not match mediaType ${declared}`);
  const chosen =
    fromHeader ?? declared ?? (Array.isArray(body.manifests) ? OCI_INDEX : OCI_MANIFEST);
  if (!MANIFEST_TYPES.includes(chosen)) throw manifestInvalid(`unsupported media type ${chosen}`);
  if ((chosen === DOCKER_MANIFEST || chosen === DOCKER_LIST) && declared === undefined)
    throw manifestInvalid("a Docker manifest must carry its mediaType");
  return chosen;
}

export function parseManifest(bytes: Uint8Array, contentType: string | undefined): ParsedManifest {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw manifestInvalid("not valid UTF-8");
  }
  const json = parseStrictJson(text);
  if (!json.ok) throw manifestInvalid(`not valid JSON (${json.code})`);
  const body = json.value;
  if (!isObject(body)) throw manifestInvalid("a manifest is a JSON object");
  if (body.schemaVersion !== 2) throw manifestInvalid("schemaVersion must be 2");
  const mediaType = resolveMediaType(contentType, body);
  const out: ParsedManifest = {
    mediaType,
    kind: isIndexType(mediaType) ? "index" : "image",
    layers: [],
    manifests: [],
  };
  if (out.kind === "index") out.manifests = descriptors(body.manifests, "manifests");
  else {
    out.config = parseDescriptor(body.config, "config");
    out.layers = descriptors(body.layers ?? [], "layers");
  }
  if (body.subject !== undefined) out.subject = parseDescriptor(body.subject, "subject");
  const artifactType = optionalString(body.artifactType, "artifactType") ?? out.config?.mediaType;
  if (artifactType) out.artifactType = artifactType;
  const annotations = stringMap(body.annotations, "annotations");
  if (annotations) out.annotations = annotations;
  return out;
}
