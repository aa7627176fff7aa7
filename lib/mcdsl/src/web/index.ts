// @metacircular/mcdsl/web — the web kit every service's UI is built from (see README "web").
export {
  KIT_CACHE_CONTROL,
  KIT_PREFIX,
  KIT_ROUTE,
  type KitFile,
  type ServiceStylesheet,
  serviceStylesheet,
  type WebKitAssets,
  webKitAssets,
} from "./assets.ts";
export {
  CheckboxGroup,
  type ChecksProps,
  CsrfField,
  Field,
  type FieldErrors,
  type FieldProps,
  type FormValues,
  formValue,
  formValues,
  type Option,
  SelectField,
  type SelectProps,
  TextAreaField,
  type TextAreaProps,
} from "./form.tsx";
export {
  currentItem,
  faviconHref,
  iconSvg,
  KIT_HTMX_CONFIG,
  type NavItem,
  Page,
  type PageProps,
  renderPage,
} from "./page.tsx";
export {
  Badge,
  type BadgeTone,
  EmptyState,
  type Fact,
  Facts,
  type Flash,
  type FlashKind,
  FlashMessage,
  formatUtc,
  Pager,
  Section,
  Time,
} from "./parts.tsx";
export { type Column, DataTable, type DataTableProps, Detail, JsonDetail } from "./table.tsx";
