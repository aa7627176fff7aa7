export { type ArchiveSummary, type CreateOptions, createArchive } from "./create.ts";
export { type ExtractOptions, type ExtractSummary, extractArchive } from "./extract.ts";
export { listArchive } from "./list.ts";
export { ArchiveError, type EntryType, type TarEntry } from "./tar-format.ts";
